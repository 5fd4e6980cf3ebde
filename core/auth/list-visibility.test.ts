import assert from 'node:assert/strict';
import { test } from 'node:test';
import { visibleOnly } from './list-visibility.js';
import { aBinding, anAuthFixture, aUser, onNamespace } from './testing/fixtures.js';

const onlySales = (r: { type: string; namespace?: readonly string[] }) => r.namespace?.[0] === 'sales';

test('listNamespaces keeps only the namespaces the caller may see, and the page token', () => {
  const response = { status: 200, body: { namespaces: [['sales'], ['hr'], ['sales', 'eu']], 'next-page-token': 'abc' } };
  assert.deepEqual(visibleOnly('listNamespaces', 'default', response, onlySales).body, { namespaces: [['sales'], ['sales', 'eu']], 'next-page-token': 'abc' });
});

test('listTables and listViews filter identifiers as tables and views', () => {
  const seen: string[] = [];
  const response = { status: 200, body: { identifiers: [{ namespace: ['sales'], name: 'a' }, { namespace: ['hr'], name: 'b' }], 'next-page-token': null } };
  const filtered = visibleOnly('listViews', 'default', response, (r) => (seen.push(r.type), onlySales(r)));
  assert.deepEqual((filtered.body as { identifiers: unknown[] }).identifiers, [{ namespace: ['sales'], name: 'a' }]);
  assert.deepEqual(seen, ['View', 'View']);
});

test('other operations and error answers pass through untouched', () => {
  const response = { status: 200, body: { namespace: ['hr'], properties: {} } };
  assert.equal(visibleOnly('loadNamespaceMetadata', 'default', response, () => false), response);
  const error = { status: 404, body: { error: {} } };
  assert.equal(visibleOnly('listTables', 'default', error, () => false), error);
});

test('a list answer without the expected array fails closed', () => {
  assert.throws(() => visibleOnly('listTables', 'default', { status: 200, body: { tables: [] } }, () => true), /refusing to answer unfiltered/);
});

test('filtering a large listing through real decisions (a hot path for the JIT)', async () => {
  const { authorizer, store } = anAuthFixture();
  await store.createBinding(aBinding('TableReader', { type: 'User', id: 'alice' }, onNamespace('sales')));
  const session = await authorizer.session(aUser('alice'));
  const identifiers = Array.from({ length: 5_000 }, (_, i) => ({ namespace: [i % 2 === 0 ? 'sales' : 'hr'], name: `t${i}` }));
  const filtered = visibleOnly('listTables', 'default', { status: 200, body: { identifiers } }, (r) => session.canSee(r));
  assert.equal((filtered.body as { identifiers: unknown[] }).identifiers.length, 2_500);
});
