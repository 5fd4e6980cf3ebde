import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { assertError, assertStatus } from '../support/assertions.js';
import { auditRecords, keyWithRole } from '../support/auth-fixtures.js';
import { namespacePath, startTestCatalog, uniqueName, type CatalogResponse, type TestCatalog } from '../support/catalog-harness.js';
import { appendCommit, createTableBody, randomSnapshotId, tableState } from '../support/table-requests.js';
import { aCreateViewRequest, aReplaceCommit, type LoadViewResultJson } from '../support/view-fixtures.js';

/**
 * Issue 10, part 3: a client that never calls /v1/config reaches the default warehouse through the
 * un-prefixed routes (`/v1/namespaces`, `/v1/tables/rename`, ...). Invariant: an un-prefixed request
 * is its prefixed twin on the default warehouse: same answer, same authorization, same
 * Idempotency-Key space, same audit record, and what one form creates the other sees.
 */
let catalog: TestCatalog;
/** The two forms of the same routes. */
let P: string;
const U = '/v1';
const forms = () => [
  { name: 'un-prefixed', base: U },
  { name: 'prefixed', base: P },
];
const withKey = (key: string) => ({ 'idempotency-key': key });

before(async () => {
  catalog = await startTestCatalog({ auth: true, env: { CATALOG_LOG_LEVEL: 'error' } });
  P = `/v1/${catalog.warehouse}`;
});
after(async () => catalog.close());

async function createNamespace(base: string, namespace: string[], properties: Record<string, string> = {}): Promise<void> {
  assertStatus(await catalog.request('POST', `${base}/namespaces`, { body: { namespace, properties } }), 200);
}

/** The same GET on both forms: equal status and body. */
async function sameOnBoth(path: string, options: { token?: string | null } = {}): Promise<CatalogResponse> {
  const unprefixed = await catalog.request('GET', `${U}${path}`, options);
  const prefixed = await catalog.request('GET', `${P}${path}`, options);
  assert.equal(unprefixed.status, prefixed.status, path);
  assert.deepEqual(unprefixed.body, prefixed.body, path);
  return unprefixed;
}

describe('config', () => {
  test('GET /v1/config still advertises the prefix and only the prefixed templates', async () => {
    const config = await catalog.request('GET', '/v1/config');
    assertStatus(config, 200);
    const body = config.body as { overrides: Record<string, string>; endpoints: string[] };
    assert.equal(body.overrides['prefix'], catalog.warehouse);
    assert.ok(body.endpoints.includes('GET /v1/{prefix}/namespaces'));
    assert.ok(!body.endpoints.includes('GET /v1/namespaces'));
    for (const endpoint of body.endpoints.filter((e) => !e.endsWith('/v1/oauth/tokens'))) assert.match(endpoint, /^\S+ \/v1\/\{prefix\}\//);
  });
});

describe('namespaces', () => {
  test('create, list, load, exists, properties and drop un-prefixed; each step seen the same way prefixed', async () => {
    const name = uniqueName('unp_ns');
    await createNamespace(U, [name], { owner: 'curl' });
    const listed = await sameOnBoth('/namespaces');
    assert.ok((listed.body as { namespaces: string[][] }).namespaces.some((n) => n[0] === name));
    const loaded = await sameOnBoth(`/namespaces/${name}`);
    assertStatus(loaded, 200);
    assert.deepEqual((loaded.body as { namespace: string[] }).namespace, [name]);
    assertStatus(await catalog.request('HEAD', `${U}/namespaces/${name}`), 204);
    assertStatus(await catalog.request('HEAD', `${P}/namespaces/${name}`), 204);
    const updated = await catalog.request('POST', `${U}/namespaces/${name}/properties`, { body: { updates: { tier: 'gold' }, removals: ['owner'] } });
    assertStatus(updated, 200);
    assert.deepEqual((updated.body as { updated: string[]; removed: string[] }).updated, ['tier']);
    assert.equal(((await catalog.request('GET', `${P}/namespaces/${name}`)).body as { properties: Record<string, string> }).properties['tier'], 'gold');
    assertStatus(await catalog.request('DELETE', `${U}/namespaces/${name}`), 204);
    assertError(await catalog.request('GET', `${P}/namespaces/${name}`), 404, 'NoSuchNamespaceException', name);
    assertStatus(await catalog.request('HEAD', `${U}/namespaces/${name}`), 404);
  });

  test('a namespace created prefixed is there un-prefixed, nested levels included, and its drop answers alike', async () => {
    const parent = uniqueName('unp_parent');
    await createNamespace(P, [parent]);
    await createNamespace(P, [parent, 'child']);
    const children = await sameOnBoth(`/namespaces?parent=${parent}`);
    assert.deepEqual((children.body as { namespaces: string[][] }).namespaces, [[parent, 'child']]);
    assertError(await catalog.request('DELETE', `${U}/namespaces/${parent}`), 409, 'NamespaceNotEmptyException');
    assertError(await catalog.request('DELETE', `${P}/namespaces/${parent}`), 409, 'NamespaceNotEmptyException');
    assertStatus(await catalog.request('DELETE', `${U}/namespaces/${namespacePath([parent, 'child'])}`), 204);
  });

  test('a trailing slash is forgiven on the un-prefixed form too', async () => {
    assertStatus(await catalog.request('GET', `${U}/namespaces/`), 200);
  });

  test('ambiguity: /v1/namespaces/namespaces is the namespace "namespaces" of the default warehouse', async () => {
    await createNamespace(U, ['namespaces']);
    const loaded = await sameOnBoth('/namespaces/namespaces');
    assertStatus(loaded, 200);
    assert.deepEqual((loaded.body as { namespace: string[] }).namespace, ['namespaces']);
    assertStatus(await catalog.request('POST', `${U}/namespaces/namespaces/tables`, { body: createTableBody('tables') }), 200);
    const table = await sameOnBoth('/namespaces/namespaces/tables/tables');
    assertStatus(table, 200);
    const listed = await sameOnBoth('/namespaces/namespaces/tables');
    assert.deepEqual((listed.body as { identifiers: unknown[] }).identifiers, [{ namespace: ['namespaces'], name: 'tables' }]);
    // A warehouse can never be named after a reserved word, so this is no route at all.
    assertError(await catalog.request('GET', `${U}/tables/namespaces`), 404, 'NoSuchRouteException');
  });
});

describe('tables', () => {
  test('create, load, commit, list, exists, metrics and drop un-prefixed; the prefixed form sees every step', async () => {
    const ns = uniqueName('unp_t');
    await createNamespace(U, [ns]);
    const created = await catalog.request('POST', `${U}/namespaces/${ns}/tables`, { body: createTableBody('events') });
    assertStatus(created, 200);
    const createdBody = created.body as { 'metadata-location': string; metadata: Record<string, unknown> };
    const config = (await catalog.request('GET', '/v1/config')).body as { overrides: Record<string, string> };
    assert.ok(String(createdBody.metadata['location']).startsWith(`${config.overrides['warehouse']}/`), 'located in the default warehouse');
    const loaded = await sameOnBoth(`/namespaces/${ns}/tables/events`);
    assert.equal((loaded.body as { 'metadata-location': string })['metadata-location'], createdBody['metadata-location']);

    const snapshotId = randomSnapshotId();
    const committed = await catalog.request('POST', `${U}/namespaces/${ns}/tables/events`, { body: appendCommit(tableState(createdBody.metadata), snapshotId) });
    assertStatus(committed, 200);
    const afterCommit = (await catalog.request('GET', `${P}/namespaces/${ns}/tables/events`)).body as { metadata: Record<string, unknown> };
    assert.equal(tableState(afterCommit.metadata).mainSnapshotId, snapshotId);

    const listed = await sameOnBoth(`/namespaces/${ns}/tables`);
    assert.deepEqual((listed.body as { identifiers: unknown[] }).identifiers, [{ namespace: [ns], name: 'events' }]);
    assertStatus(await catalog.request('HEAD', `${U}/namespaces/${ns}/tables/events`), 204);
    const report = { 'report-type': 'commit-report', 'table-name': `${ns}.events`, 'snapshot-id': snapshotId, 'sequence-number': 1, operation: 'append', metrics: {} };
    assertStatus(await catalog.request('POST', `${U}/namespaces/${ns}/tables/events/metrics`, { body: report }), 204);

    assertStatus(await catalog.request('DELETE', `${U}/namespaces/${ns}/tables/events`), 204);
    assertError(await catalog.request('GET', `${P}/namespaces/${ns}/tables/events`), 404, 'NoSuchTableException');
    assertStatus(await catalog.request('HEAD', `${U}/namespaces/${ns}/tables/events`), 404);
  });

  test('register un-prefixed a table dropped prefixed (without purge); both forms load it', async () => {
    const ns = uniqueName('unp_reg');
    await createNamespace(P, [ns]);
    const created = await catalog.request('POST', `${P}/namespaces/${ns}/tables`, { body: createTableBody('orders') });
    assertStatus(created, 200);
    const location = (created.body as { 'metadata-location': string })['metadata-location'];
    assertStatus(await catalog.request('DELETE', `${P}/namespaces/${ns}/tables/orders?purgeRequested=false`), 204);
    const registered = await catalog.request('POST', `${U}/namespaces/${ns}/register`, { body: { name: 'orders', 'metadata-location': location } });
    assertStatus(registered, 200);
    const loaded = await sameOnBoth(`/namespaces/${ns}/tables/orders`);
    assert.equal((loaded.body as { 'metadata-location': string })['metadata-location'], location);
  });

  test('rename un-prefixed moves a table created prefixed', async () => {
    const ns = uniqueName('unp_ren');
    await createNamespace(P, [ns]);
    assertStatus(await catalog.request('POST', `${P}/namespaces/${ns}/tables`, { body: createTableBody('before') }), 200);
    const rename = { source: { namespace: [ns], name: 'before' }, destination: { namespace: [ns], name: 'after' } };
    assertStatus(await catalog.request('POST', `${U}/tables/rename`, { body: rename }), 204);
    assertStatus(await catalog.request('HEAD', `${P}/namespaces/${ns}/tables/after`), 204);
    assertStatus(await catalog.request('HEAD', `${P}/namespaces/${ns}/tables/before`), 404);
  });

  test('a multi-table transaction un-prefixed lands on tables the prefixed form loads', async () => {
    const ns = uniqueName('unp_tx');
    await createNamespace(U, [ns]);
    const states: ReturnType<typeof tableState>[] = [];
    for (const name of ['a', 'b']) {
      const created = await catalog.request('POST', `${P}/namespaces/${ns}/tables`, { body: createTableBody(name) });
      assertStatus(created, 200);
      states.push(tableState((created.body as { metadata: Record<string, unknown> }).metadata));
    }
    const ids = [randomSnapshotId(), randomSnapshotId()];
    const changes = ['a', 'b'].map((name, i) => ({ identifier: { namespace: [ns], name }, ...appendCommit(states[i]!, ids[i]!) }));
    assertStatus(await catalog.request('POST', `${U}/transactions/commit`, { body: { 'table-changes': changes } }), 204);
    for (const [i, name] of ['a', 'b'].entries()) {
      const loaded = (await catalog.request('GET', `${P}/namespaces/${ns}/tables/${name}`)).body as { metadata: Record<string, unknown> };
      assert.equal(tableState(loaded.metadata).mainSnapshotId, ids[i]);
    }
  });
});

describe('views', () => {
  test('create, load, replace, list, exists, rename and drop un-prefixed; the prefixed form sees every step', async () => {
    const ns = uniqueName('unp_v');
    await createNamespace(U, [ns]);
    const created = await catalog.request('POST', `${U}/namespaces/${ns}/views`, { body: aCreateViewRequest('daily') });
    assertStatus(created, 200);
    const loaded = await sameOnBoth(`/namespaces/${ns}/views/daily`);
    const base = (loaded.body as unknown as LoadViewResultJson).metadata;
    const replaced = await catalog.request('POST', `${U}/namespaces/${ns}/views/daily`, { body: aReplaceCommit(base) });
    assertStatus(replaced, 200);
    const afterReplace = (await catalog.request('GET', `${P}/namespaces/${ns}/views/daily`)).body as unknown as LoadViewResultJson;
    assert.equal(afterReplace.metadata['current-version-id'], 2);
    const listed = await sameOnBoth(`/namespaces/${ns}/views`);
    assert.deepEqual((listed.body as { identifiers: unknown[] }).identifiers, [{ namespace: [ns], name: 'daily' }]);
    assertStatus(await catalog.request('HEAD', `${U}/namespaces/${ns}/views/daily`), 204);
    const rename = { source: { namespace: [ns], name: 'daily' }, destination: { namespace: [ns], name: 'weekly' } };
    assertStatus(await catalog.request('POST', `${U}/views/rename`, { body: rename }), 204);
    assertStatus(await catalog.request('HEAD', `${P}/namespaces/${ns}/views/weekly`), 204);
    assertStatus(await catalog.request('DELETE', `${U}/namespaces/${ns}/views/weekly`), 204);
    assertError(await catalog.request('GET', `${P}/namespaces/${ns}/views/weekly`), 404, 'NoSuchViewException');
  });

  test('a view created prefixed loads un-prefixed', async () => {
    const ns = uniqueName('unp_vp');
    await createNamespace(P, [ns]);
    assertStatus(await catalog.request('POST', `${P}/namespaces/${ns}/views`, { body: aCreateViewRequest('v') }), 200);
    assertStatus(await sameOnBoth(`/namespaces/${ns}/views/v`), 200);
  });
});

describe('authorization', () => {
  const SCOPE = (ns: string) => ({ type: 'Namespace' as const, warehouse: 'default', namespace: [ns] });

  test('a caller without permission is refused the same way on both forms: 403 where it may see, 404 where not, 401 without credentials', async () => {
    const ns = uniqueName('unp_auth');
    await createNamespace(P, [ns]);
    assertStatus(await catalog.request('POST', `${P}/namespaces/${ns}/tables`, { body: createTableBody('t') }), 200);
    const reader = await keyWithRole(catalog, uniqueName('reader'), 'TableReader', SCOPE(ns));
    const outsider = await keyWithRole(catalog, uniqueName('outsider'));

    for (const { base } of forms()) {
      assertStatus(await catalog.request('GET', `${base}/namespaces/${ns}/tables/t`, { token: reader }), 200);
      assertError(await catalog.request('POST', `${base}/namespaces/${ns}/tables`, { token: reader, body: createTableBody(`x_${base.length}`) }), 403, 'ForbiddenException');
      assertError(await catalog.request('DELETE', `${base}/namespaces/${ns}/tables/t`, { token: reader }), 403, 'ForbiddenException');
      assertError(await catalog.request('POST', `${base}/tables/rename`, { token: reader, body: { source: { namespace: [ns], name: 't' }, destination: { namespace: [ns], name: 'u' } } }), 403);
      assertError(await catalog.request('GET', `${base}/namespaces/${ns}/tables/t`, { token: outsider }), 404, 'NoSuchTableException');
      assertError(await catalog.request('GET', `${base}/namespaces`, { token: outsider }), 404, 'NoSuchWarehouseException');
      assertError(await catalog.request('GET', `${base}/namespaces/${ns}`, { token: null }), 401, 'NotAuthorizedException');
    }
    const denied = await sameOnBoth(`/namespaces/${ns}/tables/t`, { token: outsider });
    assert.equal(denied.status, 404);
    assertStatus(await catalog.request('HEAD', `${P}/namespaces/${ns}/tables/t`), 204);
  });

  test('lists are filtered to what the caller may see, and a page token from one form pages the other', async () => {
    const ns = uniqueName('unp_page');
    await createNamespace(P, [ns]);
    for (const name of ['t1', 't2', 't3']) assertStatus(await catalog.request('POST', `${P}/namespaces/${ns}/tables`, { body: createTableBody(name) }), 200);
    const reader = await keyWithRole(catalog, uniqueName('pager'), 'TableReader', SCOPE(ns));
    const first = await catalog.request('GET', `${U}/namespaces/${ns}/tables?pageToken=&pageSize=2`, { token: reader });
    assertStatus(first, 200);
    const firstBody = first.body as { identifiers: { name: string }[]; 'next-page-token'?: string };
    assert.equal(firstBody.identifiers.length, 2);
    const token = firstBody['next-page-token'];
    assert.ok(token !== undefined);
    const second = await catalog.request('GET', `${P}/namespaces/${ns}/tables?pageSize=2&pageToken=${encodeURIComponent(token)}`, { token: reader });
    assertStatus(second, 200);
    const names = [...firstBody.identifiers, ...(second.body as { identifiers: { name: string }[] }).identifiers].map((i) => i.name).sort();
    assert.deepEqual(names, ['t1', 't2', 't3']);
    const visible = await catalog.request('GET', `${U}/namespaces`, { token: reader });
    assertStatus(visible, 200);
    assert.deepEqual((visible.body as { namespaces: string[][] }).namespaces, [[ns]]);
  });

  test('a mutation un-prefixed is audited exactly as its prefixed twin: same resources, the prefixed path', async () => {
    const ns = uniqueName('unp_audit');
    await createNamespace(P, [ns]);
    const owner = await keyWithRole(catalog, uniqueName('owner'), 'NamespaceOwner', SCOPE(ns));
    assertStatus(await catalog.request('POST', `${U}/namespaces/${ns}/properties`, { token: owner, body: { updates: { form: 'un-prefixed' }, removals: [] } }), 200);
    assertStatus(await catalog.request('POST', `${P}/namespaces/${ns}/properties`, { token: owner, body: { updates: { form: 'prefixed' }, removals: [] } }), 200);
    const records = (await auditRecords(catalog)).filter((r) => r['operation'] === 'updateProperties' && JSON.stringify(r['resources']).includes(ns));
    assert.equal(records.length, 2);
    const [a, b] = records;
    assert.deepEqual(a!['resources'], b!['resources']);
    assert.deepEqual(a!['request'], b!['request']);
    assert.deepEqual(a!['request'], { method: 'POST', path: `${P}/namespaces/${ns}/properties` });
  });
});

describe('idempotency', () => {
  test('a retry un-prefixed replays the first answer, and the prefixed form shares the key space', async () => {
    const key = randomUUID();
    const body = { namespace: [uniqueName('unp_idem')], properties: { a: '1' } };
    const first = await catalog.request('POST', `${U}/namespaces`, { body, headers: withKey(key) });
    assertStatus(first, 200);
    const retry = await catalog.request('POST', `${U}/namespaces`, { body, headers: withKey(key) });
    assertStatus(retry, 200);
    assert.equal(retry.text, first.text);
    const otherForm = await catalog.request('POST', `${P}/namespaces`, { body, headers: withKey(key) });
    assertStatus(otherForm, 200);
    assert.equal(otherForm.text, first.text, 'the same request under the same key, sent prefixed, is a retry too');
    assertError(await catalog.request('POST', `${P}/namespaces`, { body, headers: withKey(randomUUID()) }), 409, 'AlreadyExistsException');
  });

  test('a key first used prefixed replays on the un-prefixed form (drop, then its retry)', async () => {
    const ns = uniqueName('unp_idemd');
    await createNamespace(U, [ns]);
    const key = randomUUID();
    assertStatus(await catalog.request('DELETE', `${P}/namespaces/${ns}`, { headers: withKey(key) }), 204);
    assertStatus(await catalog.request('DELETE', `${U}/namespaces/${ns}`, { headers: withKey(key) }), 204);
    assertError(await catalog.request('DELETE', `${U}/namespaces/${ns}`, { headers: withKey(randomUUID()) }), 404, 'NoSuchNamespaceException');
  });

  test('a table create retried un-prefixed creates once', async () => {
    const ns = uniqueName('unp_idemt');
    await createNamespace(U, [ns]);
    const key = randomUUID();
    const send = (base: string) => catalog.request('POST', `${base}/namespaces/${ns}/tables`, { body: createTableBody('t'), headers: withKey(key) });
    const answers = [await send(U), await send(U), await send(P)];
    for (const answer of answers) assertStatus(answer, 200);
    assert.equal(new Set(answers.map((a) => a.text)).size, 1);
  });
});
