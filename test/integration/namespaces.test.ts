import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { namespacePath, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { assertError, assertStatus } from '../support/assertions.js';

// CatalogTests behaviours 1–18 and 51 (behaviors.md), driven over HTTP through the real handlers.
let catalog: TestCatalog;
let P: string;

before(async () => {
  catalog = await startTestCatalog();
  P = `/v1/${catalog.warehouse}`;
});
after(async () => catalog.close());

const create = (namespace: string[], properties?: Record<string, string>) =>
  catalog.request('POST', `${P}/namespaces`, { body: { namespace, ...(properties ? { properties } : {}) } });
const load = (namespace: string[]) => catalog.request('GET', `${P}/namespaces/${namespacePath(namespace)}`);
const exists = (namespace: string[]) => catalog.request('HEAD', `${P}/namespaces/${namespacePath(namespace)}`);
const drop = (namespace: string[]) => catalog.request('DELETE', `${P}/namespaces/${namespacePath(namespace)}`);
const update = (namespace: string[], body: unknown) =>
  catalog.request('POST', `${P}/namespaces/${namespacePath(namespace)}/properties`, { body });
const list = async (parent?: string[]) => {
  const query = parent ? `?parent=${encodeURIComponent(parent.join('\u001f'))}` : '';
  const response = await catalog.request('GET', `${P}/namespaces${query}`);
  assertStatus(response, 200);
  return response.body as { namespaces: string[][]; 'next-page-token': string | null };
};

describe('namespaces', () => {
  test('create: the namespace is listed and exists (1)', async () => {
    const ns = [uniqueName('newdb')];
    const created = await create(ns);
    assertStatus(created, 200);
    assert.deepEqual(created.body, { namespace: ns, properties: {} });
    assert.ok((await list()).namespaces.some((n) => n.length === 1 && n[0] === ns[0]));
    assertStatus(await exists(ns), 204);
  });

  test('create twice: 409 AlreadyExists and the namespace survives (2)', async () => {
    const ns = [uniqueName('dup')];
    assertStatus(await create(ns, { a: '1' }), 200);
    assertError(await create(ns, { b: '2' }), 409, 'AlreadyExistsException', `Namespace already exists: ${ns[0]}`);
    assert.deepEqual((await load(ns)).body, { namespace: ns, properties: { a: '1' } });
  });

  test('properties given at create are loaded back (3)', async () => {
    const ns = [uniqueName('props')];
    assertStatus(await create(ns, { owner: 'alice', 'created-by': 'test' }), 200);
    const loaded = await load(ns);
    assertStatus(loaded, 200);
    assert.deepEqual((loaded.body as { properties: object }).properties, { owner: 'alice', 'created-by': 'test' });
  });

  test('load of a missing namespace: 404 with the reference message (4)', async () => {
    const ns = [uniqueName('missing')];
    assertError(await load(ns), 404, 'NoSuchNamespaceException', `Namespace does not exist: ${ns[0]}`);
    assertStatus(await create(ns), 200);
    assert.deepEqual((await load(ns)).body, { namespace: ns, properties: {} });
  });

  test('set, overwrite and set-with-update of properties (5, 6, 7)', async () => {
    const ns = [uniqueName('setprops')];
    assertStatus(await create(ns, { keep: 'k', over: 'old' }), 200);
    const set = await update(ns, { updates: { added: 'a', over: 'new' } });
    assertStatus(set, 200);
    assert.deepEqual(set.body, { updated: ['added', 'over'], removed: [], missing: [] });
    assert.deepEqual((await load(ns)).body, { namespace: ns, properties: { keep: 'k', over: 'new', added: 'a' } });
  });

  test('remove one key leaves the others; a missing key is reported (9)', async () => {
    const ns = [uniqueName('rmprops')];
    assertStatus(await create(ns, { a: '1', b: '2' }), 200);
    const removed = await update(ns, { removals: ['a', 'nope'] });
    assertStatus(removed, 200);
    assert.deepEqual(removed.body, { updated: [], removed: ['a'], missing: ['nope'] });
    assert.deepEqual((await load(ns)).body, { namespace: ns, properties: { b: '2' } });
  });

  test('update of a missing namespace: 404 (8, 10)', async () => {
    const ns = [uniqueName('gone')];
    assertError(await update(ns, { updates: { a: '1' } }), 404, 'NoSuchNamespaceException', 'Namespace does not exist');
    assertError(await update(ns, { removals: ['a'] }), 404, 'NoSuchNamespaceException');
  });

  test('a key both removed and updated: 422 and nothing changes', async () => {
    const ns = [uniqueName('both')];
    assertStatus(await create(ns, { a: '1' }), 200);
    assertError(await update(ns, { removals: ['a'], updates: { a: '2' } }), 422, 'UnprocessableEntityException', 'a');
    assert.deepEqual((await load(ns)).body, { namespace: ns, properties: { a: '1' } });
  });

  test('a key listed twice in removals: 400 (the spec declares removals uniqueItems)', async () => {
    const ns = [uniqueName('twice')];
    assertStatus(await create(ns, { a: '1' }), 200);
    assertError(await update(ns, { removals: ['a', 'a'] }), 400, 'BadRequestException', "'a' is listed more than once");
    assert.deepEqual((await load(ns)).body, { namespace: ns, properties: { a: '1' } });
  });

  test('drop: 204, then gone; dropping again is 404 (11, 12)', async () => {
    const ns = [uniqueName('drop')];
    assertStatus(await create(ns), 200);
    assertStatus(await drop(ns), 204);
    assertStatus(await exists(ns), 404);
    assertError(await load(ns), 404, 'NoSuchNamespaceException');
    assertError(await drop(ns), 404, 'NoSuchNamespaceException', 'Namespace does not exist');
  });

  test('HEAD answers 204/404 without a body', async () => {
    const ns = [uniqueName('head')];
    const missing = await exists(ns);
    assert.equal(missing.status, 404);
    assert.equal(missing.text, '');
    assertStatus(await create(ns), 200);
    const present = await exists(ns);
    assert.equal(present.status, 204);
    assert.equal(present.text, '');
  });

  test('a parent with a child namespace is not empty; child first, then parent (14)', async () => {
    const parent = [uniqueName('parent')];
    const child = [...parent, 'child'];
    assertStatus(await create(parent), 200);
    assertStatus(await create(child), 200);
    assertError(await drop(parent), 409, 'NamespaceNotEmptyException', 'is not empty');
    assertStatus(await exists(parent), 204);
    assertStatus(await drop(child), 204);
    assertStatus(await drop(parent), 204);
  });

  test('listing tracks creates and drops (15)', async () => {
    const a = [uniqueName('lista')];
    const b = [uniqueName('listb')];
    const before = (await list()).namespaces.length;
    assertStatus(await create(a), 200);
    assertStatus(await create(b), 200);
    assert.equal((await list()).namespaces.length, before + 2);
    assertStatus(await drop(a), 204);
    const names = (await list()).namespaces;
    assert.equal(names.length, before + 1);
    assert.ok(!names.some((n) => n[0] === a[0]));
    assert.ok(names.some((n) => n[0] === b[0]));
  });

  test('nested listing returns full namespaces, root does not show children (16)', async () => {
    const root = uniqueName('accounting');
    assertStatus(await create([root]), 200);
    assert.deepEqual((await list([root])).namespaces, []);
    assertStatus(await create([root, 'tax']), 200);
    assertStatus(await create([root, 'tax', 'paid']), 200);
    assertStatus(await create([root, 'audit']), 200);
    assert.deepEqual((await list([root])).namespaces, [[root, 'audit'], [root, 'tax']]);
    assert.deepEqual((await list([root, 'tax'])).namespaces, [[root, 'tax', 'paid']]);
    assert.ok(!(await list()).namespaces.some((n) => n.length > 1));
    const loaded = await load([root, 'tax', 'paid']);
    assert.deepEqual(loaded.body, { namespace: [root, 'tax', 'paid'], properties: {} });
  });

  test('creating a child of a missing parent: 400 naming the parent (the spec lists no 404 for createNamespace)', async () => {
    const parent = uniqueName('noparent');
    assertError(await create([parent, 'child']), 400, 'NoSuchNamespaceException', `Namespace does not exist: ${parent}`);
    assertError(await load([parent, 'child']), 404);
  });

  test('listing children of a missing parent: 404 with the exact message (51)', async () => {
    const response = await catalog.request('GET', `${P}/namespaces?parent=non-existing`);
    assertError(response, 404, 'NoSuchNamespaceException');
    assert.equal((response.body as { error: { message: string } }).error.message, 'Namespace does not exist: non-existing');
  });

  test('an empty parent means the top level', async () => {
    const response = await catalog.request('GET', `${P}/namespaces?parent=`);
    assertStatus(response, 200);
    assert.ok(Array.isArray((response.body as { namespaces: unknown[] }).namespaces));
  });

  test('a name with a dot is one level (18)', async () => {
    const ns = [uniqueName('new.db')];
    assertStatus(await create(ns), 200);
    assert.ok((await list()).namespaces.some((n) => n.length === 1 && n[0] === ns[0]));
    assert.deepEqual((await load(ns)).body, { namespace: ns, properties: {} });
    assertStatus(await drop(ns), 204);
  });

  test('a name with a slash can be created, checked, loaded and dropped (17)', async () => {
    const ns = [uniqueName('new/db')];
    assertStatus(await create(ns), 200);
    assertStatus(await exists(ns), 204);
    assert.deepEqual((await load(ns)).body, { namespace: ns, properties: {} });
    assert.ok((await list()).namespaces.some((n) => n.length === 1 && n[0] === ns[0]));
    assertStatus(await drop(ns), 204);
    assertStatus(await exists(ns), 404);
  });
});
