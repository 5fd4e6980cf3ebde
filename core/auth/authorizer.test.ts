import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessDeniedError } from './authorizer.js';
import { aBinding, aNamespace, anAuthFixture, aTable, aUser, aView, aWarehouse, onNamespace, onWarehouse } from './testing/fixtures.js';

test('default deny: a principal without bindings or policies may do nothing', async () => {
  const { authorizer } = anAuthFixture();
  const session = await authorizer.session(aUser('nobody'));
  assert.equal(session.decide('getConfig', aWarehouse()).allowed, false);
  assert.equal(session.decide('loadTable', aTable(['sales'], 'orders')).allowed, false);
  assert.deepEqual(session.decide('loadTable', aTable(['sales'], 'orders')).policies, []);
});

test('a TableReader binding on a namespace covers reads below it and nothing else', async () => {
  const { authorizer, store } = anAuthFixture();
  await store.createBinding(aBinding('TableReader', { type: 'User', id: 'alice' }, onNamespace('sales'), 'reader'));
  const session = await authorizer.session(aUser('alice'));
  assert.deepEqual(session.decide('loadTable', aTable(['sales'], 'orders')), { allowed: true, policies: ['binding:reader'] });
  assert.equal(session.decide('loadTable', aTable(['sales', 'eu'], 'orders')).allowed, true, 'child namespaces are inside');
  assert.equal(session.decide('updateTable', aTable(['sales'], 'orders')).allowed, false);
  assert.equal(session.decide('loadTable', aTable(['hr'], 'salaries')).allowed, false);
});

test('remote signing is a TableReader action: readers reach the signer, and updateTable tells writers apart', async () => {
  const { authorizer, store } = anAuthFixture();
  await store.createBinding(aBinding('TableReader', { type: 'User', id: 'r' }, onNamespace('sales')));
  await store.createBinding(aBinding('TableWriter', { type: 'User', id: 'w' }, onNamespace('sales')));
  const t = aTable(['sales'], 'orders');
  const reader = await authorizer.session(aUser('r'));
  assert.equal(reader.decide('signRequest', t).allowed, true);
  assert.equal(reader.decide('updateTable', t).allowed, false, 'so the signer signs only reads for it');
  const writer = await authorizer.session(aUser('w'));
  assert.equal(writer.decide('signRequest', t).allowed, true);
  assert.equal(writer.decide('updateTable', t).allowed, true, 'so the signer signs writes too');
  assert.equal(reader.decide('signRequest', aTable(['hr'], 'salaries')).allowed, false);
});

test('roles nest: TableWriter ⊃ TableReader, NamespaceOwner ⊃ TableWriter, CatalogAdmin ⊃ all', async () => {
  const { authorizer, store } = anAuthFixture();
  await store.createBinding(aBinding('TableWriter', { type: 'User', id: 'w' }, onNamespace('sales')));
  await store.createBinding(aBinding('NamespaceOwner', { type: 'User', id: 'o' }, onNamespace('sales')));
  await store.createBinding(aBinding('CatalogAdmin', { type: 'User', id: 'a' }, { type: 'Catalog' }));
  const t = aTable(['sales'], 'orders');
  const writer = await authorizer.session(aUser('w'));
  assert.equal(writer.decide('loadTable', t).allowed, true);
  assert.equal(writer.decide('updateTable', t).allowed, true);
  assert.equal(writer.decide('dropTable', t).allowed, false);
  const owner = await authorizer.session(aUser('o'));
  assert.equal(owner.decide('dropTable', t).allowed, true);
  assert.equal(owner.decide('createTable', aNamespace('sales')).allowed, true);
  assert.equal(owner.decide('createApiKey', { type: 'Catalog' }).allowed, false);
  const admin = await authorizer.session(aUser('a'));
  assert.equal(admin.decide('createApiKey', { type: 'Catalog' }).allowed, true);
  assert.equal(admin.decide('dropView', aView(['x'], 'v')).allowed, true);
});

test('a binding on a namespace grants Traverse on its ancestors only: they become visible, not readable', async () => {
  const { authorizer, store } = anAuthFixture();
  await store.createBinding(aBinding('TableReader', { type: 'User', id: 'alice' }, onNamespace('sales', 'eu'), 'deep'));
  const session = await authorizer.session(aUser('alice'));
  assert.equal(session.canSee(aWarehouse()), true);
  assert.equal(session.canSee(aNamespace('sales')), true);
  assert.equal(session.decide('listNamespaces', aNamespace('sales')).allowed, true);
  assert.deepEqual(session.decide('namespaceExists', aNamespace('sales')).policies, ['binding:deep']);
  assert.equal(session.decide('loadNamespaceMetadata', aNamespace('sales')).allowed, false);
  assert.equal(session.canSee(aTable(['sales'], 'orders')), false, 'tables beside the bound namespace stay hidden');
  assert.equal(session.canSee(aNamespace('sales', 'us')), false, 'sibling namespaces stay hidden');
});

test('a CatalogAdmin bound on a warehouse administers that warehouse, not the catalog', async () => {
  const { authorizer, store } = anAuthFixture();
  await store.createBinding(aBinding('CatalogAdmin', { type: 'User', id: 'whadmin' }, onWarehouse()));
  const session = await authorizer.session(aUser('whadmin'));
  assert.equal(session.decide('dropNamespace', aNamespace('any')).allowed, true);
  assert.equal(session.decide('createRoleBinding', { type: 'Catalog' }).allowed, false);
  assert.equal(session.decide('getConfig', aWarehouse('other')).allowed, false);
});

test('group bindings apply to members; API keys acting for a user inherit the user', async () => {
  const { authorizer, store } = anAuthFixture();
  await store.createBinding(aBinding('TableReader', { type: 'Group', id: 'analysts' }, onNamespace('sales')));
  await store.createBinding(aBinding('TableWriter', { type: 'User', id: 'bob' }, onNamespace('sales')));
  const t = aTable(['sales'], 'orders');
  assert.equal((await authorizer.session(aUser('carol', ['analysts']))).decide('loadTable', t).allowed, true);
  assert.equal((await authorizer.session(aUser('dave', ['other']))).decide('loadTable', t).allowed, false);
  const key = await authorizer.session({ type: 'ApiKey', id: 'ak_x', groups: [], user: 'bob', authMethod: 'api-key' });
  assert.equal(key.decide('updateTable', t).allowed, true);
});

test('a custom forbid wins over a role, and reports itself as the reason', async () => {
  const { authorizer, store } = anAuthFixture();
  await store.createBinding(aBinding('NamespaceOwner', { type: 'User', id: 'o' }, onNamespace('sales')));
  await store.appendPolicyVersion('no-prod-drops', {
    policy: 'forbid(principal, action == Action::"dropTable", resource is Table) when { resource.name like "prod_*" };',
    description: '',
    by: 'test',
    at: 'now',
  });
  const session = await authorizer.session(aUser('o'));
  assert.deepEqual(session.decide('dropTable', aTable(['sales'], 'prod_orders')), { allowed: false, policies: ['policy:no-prod-drops'] });
  assert.equal(session.decide('dropTable', aTable(['sales'], 'scratch')).allowed, true);
});

test('configured admins (CATALOG_AUTH_ADMINS) are CatalogAdmin without a stored binding', async () => {
  const { authorizer } = anAuthFixture({ admins: [{ type: 'Group', id: 'platform' }] });
  const session = await authorizer.session(aUser('ops', ['platform']));
  assert.deepEqual(session.decide('putPolicy', { type: 'Catalog' }), { allowed: true, policies: ['config:Group:platform'] });
});

test('a change of bindings is seen at once in this container, and the decision cache is dropped', async () => {
  const { authorizer, store } = anAuthFixture();
  const t = aTable(['sales'], 'orders');
  assert.equal((await authorizer.session(aUser('alice'))).decide('loadTable', t).allowed, false);
  await store.createBinding(aBinding('TableReader', { type: 'User', id: 'alice' }, onNamespace('sales'), 'later'));
  assert.equal((await authorizer.session(aUser('alice'))).decide('loadTable', t).allowed, true);
  await store.deleteBinding('later');
  assert.equal((await authorizer.session(aUser('alice'))).decide('loadTable', t).allowed, false);
});

test('another container sees a change within the cache TTL', async () => {
  const a = anAuthFixture({ ttlMs: 5_000 });
  const t = aTable(['sales'], 'orders');
  const { AuthorizationStore } = await import('./authorization-store.js');
  const { Authorizer } = await import('./authorizer.js');
  const otherStore = new AuthorizationStore(a.records, a.keys, a.clock, 5_000);
  const other = new Authorizer(a.engine, otherStore, []);
  assert.equal((await other.session(aUser('alice'))).decide('loadTable', t).allowed, false);
  await a.store.createBinding(aBinding('TableReader', { type: 'User', id: 'alice' }, onNamespace('sales')));
  assert.equal((await other.session(aUser('alice'))).decide('loadTable', t).allowed, false, 'still cached');
  a.clock.advance(5_000);
  assert.equal((await other.session(aUser('alice'))).decide('loadTable', t).allowed, true);
});

test('a denied check on an invisible resource reads exactly as a missing one; a visible one is 403', () => {
  const table = { action: 'loadTable', resource: aTable(['sales'], 'orders') } as const;
  const hidden = accessDeniedError(table, false);
  assert.equal(hidden.status, 404);
  assert.equal(hidden.type, 'NoSuchTableException');
  assert.equal(hidden.message, 'Table does not exist: sales.orders');
  assert.equal(accessDeniedError({ action: 'createTable', resource: aNamespace('a', 'b') }, false).message, 'Namespace does not exist: a.b');
  assert.equal(accessDeniedError({ action: 'getConfig', resource: aWarehouse('w') }, false).type, 'NoSuchWarehouseException');
  assert.equal(accessDeniedError({ action: 'loadView', resource: aView(['a'], 'v') }, false).type, 'NoSuchViewException');
  assert.equal(accessDeniedError(table, true).status, 403);
});

test('measured: a Cedar decision on a warm function, uncached and cached', async (t) => {
  const { authorizer, store } = anAuthFixture();
  for (let i = 0; i < 200; i++) await store.createBinding(aBinding('TableReader', { type: 'Group', id: `team-${i}` }, onNamespace(`ns${i}`)));
  await store.createBinding(aBinding('TableWriter', { type: 'User', id: 'alice' }, onNamespace('sales')));
  await store.appendPolicyVersion('guard', { policy: 'forbid(principal, action == Action::"dropTable", resource) when { resource.name like "prod_*" };', description: '', by: 't', at: 'now' });
  const alice = aUser('alice', ['team-7', 'team-9']);
  const session = await authorizer.session(alice);
  const N = 2_000;
  for (let i = 0; i < 200; i++) session.decide('loadTable', aTable(['sales', `w${i}`], 'warm'));
  let start = performance.now();
  for (let i = 0; i < N; i++) assert.equal(session.decide('loadTable', aTable(['sales', `n${i}`], `t${i}`)).allowed, true);
  const uncachedUs = ((performance.now() - start) / N) * 1000;
  start = performance.now();
  for (let i = 0; i < N; i++) assert.equal(session.decide('loadTable', aTable(['sales', `n${i % 100}`], `t${i % 100}`)).allowed, true);
  const cachedUs = ((performance.now() - start) / N) * 1000;
  start = performance.now();
  for (let i = 0; i < 200; i++) await authorizer.session(alice);
  const sessionUs = ((performance.now() - start) / 200) * 1000;
  t.diagnostic(`cedar decision (uncached, 200 bindings in store, 3 relevant + 1 custom policy): ${uncachedUs.toFixed(1)} µs`);
  t.diagnostic(`cedar decision (cached): ${cachedUs.toFixed(2)} µs; opening a warm session: ${sessionUs.toFixed(1)} µs`);
});
