import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { namespacePath, purgesSettled, startTestCatalog, type TestCatalog } from '../support/catalog-harness.js';
import { assertError, assertStatus } from '../support/assertions.js';
import { aCreateTableRequest, setProperties, tableApi, type TableApi, type TableId } from '../support/table-fixtures.js';
import { aCreateViewRequest, aViewCommit, viewApi, type ViewApi } from '../support/view-fixtures.js';

/**
 * ViewCatalogTests rows 18–27 and 46–50 (behaviors.md): list, rename, drop and register, and the
 * Idempotency-Key on the view routes (checklist §Idem). Row 26 (the empty namespace) does not apply:
 * this catalog has no empty namespace, as in the RCK.
 */
let catalog: TestCatalog;
let views: ViewApi;
let tables: TableApi;

before(async () => {
  catalog = await startTestCatalog({ env: { CATALOG_IDEMPOTENCY_LIFETIME: 'PT30M' } });
  views = viewApi(catalog);
  tables = tableApi(catalog);
});
after(async () => catalog.close());

const text = (id: TableId) => `${id.namespace.join('.')}.${id.name}`;
const namespaceUrl = (namespace: string[]) => `${views.prefix}/namespaces/${namespacePath(namespace)}`;

describe('listViews', () => {
  test('scoped per namespace, tracks creates and drops (25)', async () => {
    const [ns1, ns2] = [await views.newNamespace(), await views.newNamespace()];
    assert.deepEqual(await views.listNames(ns1), []);
    await views.createOk(ns1, aCreateViewRequest('view1'));
    await views.createOk(ns2, aCreateViewRequest('view2'));
    await views.createOk(ns2, aCreateViewRequest('view3'));
    assert.deepEqual(await views.listNames(ns1), ['view1']);
    assert.deepEqual(await views.listNames(ns2), ['view2', 'view3']);
    assertStatus(await views.drop({ namespace: ns2, name: 'view2' }), 204);
    assert.deepEqual(await views.listNames(ns2), ['view3']);
    const listed = await views.list(ns1);
    assert.deepEqual(listed.body, { identifiers: [{ namespace: ns1, name: 'view1' }], 'next-page-token': null });
  });

  test('listViews never returns tables, listTables never returns views (27)', async () => {
    const namespace = await views.newNamespace();
    await tables.createOk(namespace, aCreateTableRequest('table1'));
    await tables.createOk(namespace, aCreateTableRequest('table2'));
    await views.createOk(namespace, aCreateViewRequest('view1'));
    assert.deepEqual(await views.listNames(namespace), ['view1']);
    assert.deepEqual(await tables.listNames(namespace), ['table1', 'table2']);
  });

  test('a missing namespace: 404 NoSuchNamespaceException', async () => {
    assertError(await views.list(['non-existing']), 404, 'NoSuchNamespaceException', 'Namespace does not exist: non-existing');
  });

  test('paged: pageToken="" and pageSize walk every view once, the last page has a null token', async () => {
    const namespace = await views.newNamespace();
    const names = Array.from({ length: 7 }, (_, i) => `v${i}`);
    for (const name of names) await views.createOk(namespace, aCreateViewRequest(name));
    await tables.createOk(namespace, aCreateTableRequest('t_between'));
    const seen: string[] = [];
    let token: string | null = '';
    let pages = 0;
    while (token !== null) {
      const page = await views.list(namespace, `pageToken=${encodeURIComponent(token)}&pageSize=3`);
      assertStatus(page, 200);
      const body = page.body as unknown as { identifiers: TableId[]; 'next-page-token': string | null };
      assert.ok(body.identifiers.length <= 3);
      seen.push(...body.identifiers.map((i) => i.name));
      token = body['next-page-token'];
      pages++;
      assert.ok(pages < 10, 'paging does not end');
    }
    assert.deepEqual(seen.sort(), names);
  });

  test('a page token of another listing, or garbage, is a 400; a bad pageSize is a 400', async () => {
    const namespace = await views.newNamespace();
    for (const name of ['a', 'b']) await tables.createOk(namespace, aCreateTableRequest(name));
    const tablePage = await catalog.request('GET', `${namespaceUrl(namespace)}/tables?pageToken=&pageSize=1`);
    const tableToken = (tablePage.body as { 'next-page-token': string })['next-page-token'];
    assertError(await views.list(namespace, `pageToken=${encodeURIComponent(tableToken)}`), 400);
    assertError(await views.list(namespace, 'pageToken=%%%garbage'), 400);
    assertError(await views.list(namespace, 'pageToken=&pageSize=0'), 400);
  });
});

describe('renameView', () => {
  test('within a namespace: metadata unchanged, the old name is gone, dropping it is 404 (18)', async () => {
    const { id: from, created } = await views.newView();
    const to = { namespace: from.namespace, name: 'renamedView' };
    assertStatus(await views.rename(from, to), 204);
    assertStatus(await views.exists(from), 404);
    assertStatus(await views.exists(to), 204);
    const renamed = await views.loadOk(to);
    assert.deepEqual(renamed, created, 'same metadata file, same metadata');
    assertError(await views.drop(from), 404, 'NoSuchViewException');
    assertStatus(await views.drop(to), 204);
    assertStatus(await views.exists(to), 404);
  });

  test('across namespaces, as one transaction (19)', async () => {
    const { id: from, created } = await views.newView();
    const to = { namespace: await views.newNamespace(), name: 'moved' };
    assertStatus(await views.rename(from, to), 204);
    assertStatus(await views.exists(from), 404);
    assert.deepEqual((await views.loadOk(to)).metadata, created.metadata);
    assert.deepEqual(await views.listNames(from.namespace), []);
    assert.deepEqual(await views.listNames(to.namespace), ['moved']);
    const ctx = await catalog.context();
    const leftovers = await ctx.records.objects.list({ prefix: ctx.keys.transaction(catalog.warehouse, '') });
    assert.deepEqual(leftovers.objects, [], 'the transaction record is removed');
  });

  test('into a missing namespace: 404 NoSuchNamespaceException; the view stays (20)', async () => {
    const { id: from } = await views.newView();
    const to = { namespace: ['non_existing'], name: 'renamedView' };
    assertError(await views.rename(from, to), 404, 'NoSuchNamespaceException', 'Namespace does not exist: non_existing');
    assertStatus(await views.exists(from), 204);
  });

  test('a missing source: 404 NoSuchViewException; nothing is created (21)', async () => {
    const namespace = await views.newNamespace();
    const from = { namespace, name: 'non_existing' };
    const to = { namespace, name: 'renamedView' };
    assertError(await views.rename(from, to), 404, 'NoSuchViewException', 'View does not exist');
    assertStatus(await views.exists(to), 404);
  });

  test('a table is not a view: renameView of a table name is 404 NoSuchView', async () => {
    const { id } = await tables.newTable();
    assertError(await views.rename(id, { namespace: id.namespace, name: 'x' }), 404, 'NoSuchViewException');
    assertStatus(await tables.exists(id), 204);
  });

  test('onto another view: 409 "Cannot rename a to b. View already exists"; both stay (22)', async () => {
    const { id: one, created } = await views.newView({ name: 'viewOne' });
    const two = { namespace: one.namespace, name: 'viewTwo' };
    const other = await views.createOk(one.namespace, aCreateViewRequest('viewTwo'));
    assertError(await views.rename(one, two), 409, 'AlreadyExistsException', `Cannot rename ${text(one)} to ${text(two)}. View already exists`);
    assert.equal((await views.loadOk(one)).metadata['view-uuid'], created.metadata['view-uuid']);
    assert.equal((await views.loadOk(two)).metadata['view-uuid'], other.metadata['view-uuid']);
  });

  test('onto a table: 409 "… Table already exists" (23)', async () => {
    const { id: view } = await views.newView();
    const table = { namespace: view.namespace, name: 'table' };
    await tables.createOk(view.namespace, aCreateTableRequest('table'));
    assertError(await views.rename(view, table), 409, 'AlreadyExistsException', `Cannot rename ${text(view)} to ${text(table)}. Table already exists`);
    assertStatus(await views.exists(view), 204);
    assertStatus(await tables.exists(table), 204);
  });

  test('a table onto a view: 409 "… View already exists" (24)', async () => {
    const { id: view } = await views.newView();
    const table = { namespace: view.namespace, name: 'table' };
    await tables.createOk(view.namespace, aCreateTableRequest('table'));
    assertError(await tables.rename(table, view), 409, 'AlreadyExistsException', `Cannot rename ${text(table)} to ${text(view)}. View already exists`);
    assertStatus(await tables.exists(table), 204);
  });

  test('a view onto a table across namespaces: 409, both stay', async () => {
    const { id: view } = await views.newView();
    const { id: table } = await tables.newTable({ name: 'target' });
    assertError(await views.rename(view, table), 409, 'AlreadyExistsException', 'Table already exists');
    assertStatus(await views.exists(view), 204);
    assertStatus(await tables.exists(table), 204);
  });

  test('concurrent renames of one view to different names: it ends under exactly one name', async () => {
    const { id: from } = await views.newView();
    const targets = ['a', 'b', 'c', 'd'].map((name) => ({ namespace: from.namespace, name }));
    const answers = await Promise.all(targets.map((to) => views.rename(from, to)));
    assert.ok(answers.some((a) => a.status === 204), answers.map((a) => a.text).join('\n'));
    for (const a of answers) assert.ok([204, 404, 409].includes(a.status), a.text);
    assert.equal((await views.listNames(from.namespace)).length, 1);
  });
});

describe('dropView', () => {
  test('204, then the view is gone: HEAD 404, load 404, a second drop 404', async () => {
    const { id } = await views.newView();
    assertStatus(await views.drop(id), 204);
    assertStatus(await views.exists(id), 404);
    assertError(await views.load(id), 404, 'NoSuchViewException');
    assertError(await views.drop(id), 404, 'NoSuchViewException', `View does not exist: ${text(id)}`);
  });

  test('dropping a view deletes its current metadata file (gc.enabled defaults to true); older versions stay', async () => {
    const { id, created } = await views.newView();
    const replaced = await views.replaceOk(id, aViewCommit(created.metadata, [setProperties({ a: 'b' })]));
    assertStatus(await views.drop(id), 204);
    await purgesSettled(catalog);
    const ctx = await catalog.context();
    assert.equal(await ctx.files.read(replaced['metadata-location']), undefined, 'the current metadata file is deleted');
    assert.ok((await ctx.files.read(created['metadata-location'])) !== undefined, 'an older version is kept');
  });

  test('with gc.enabled=false every metadata file stays, so the view can be registered again', async () => {
    const { id, created } = await views.newView({ properties: { 'gc.enabled': 'false' } });
    assertStatus(await views.drop(id), 204);
    await purgesSettled(catalog);
    assert.ok((await (await catalog.context()).files.read(created['metadata-location'])) !== undefined);
  });

  test('dropView of a table name is 404 NoSuchView, and the table stays', async () => {
    const { id } = await tables.newTable();
    assertError(await views.drop(id), 404, 'NoSuchViewException');
    assertStatus(await tables.exists(id), 204);
  });

  test('a namespace holding a view (with or without a table) is not empty: 409; empty after the drops (46)', async () => {
    const namespace = await views.newNamespace();
    await tables.createOk(namespace, aCreateTableRequest('table'));
    await views.createOk(namespace, aCreateViewRequest('view'));
    const drop = () => catalog.request('DELETE', namespaceUrl(namespace));
    assertError(await drop(), 409, 'NamespaceNotEmptyException', 'is not empty');
    assertStatus(await tables.drop({ namespace, name: 'table' }), 204);
    assertError(await drop(), 409, 'NamespaceNotEmptyException', 'is not empty');
    assertStatus(await views.drop({ namespace, name: 'view' }), 204);
    assertStatus(await drop(), 204);
  });
});

describe('registerView', () => {
  test('a dropped view registered again from its metadata file: equal versions, history, schema; drop works (48)', async () => {
    const { id, created } = await views.newView({ properties: { 'gc.enabled': 'false' } });
    assertStatus(await views.drop(id), 204);
    await purgesSettled(catalog);
    const answer = await views.register(id.namespace, id.name, created['metadata-location']);
    assertStatus(answer, 200);
    assert.deepEqual(answer.body, created);
    assert.deepEqual(await views.loadOk(id), created);
    assertStatus(await views.drop(id), 204);
    assertStatus(await views.exists(id), 404);
  });

  test('under another name, next to the original; into another namespace: 400 (its files are not that namespace\'s, security review B11)', async () => {
    const { id, created } = await views.newView();
    assertStatus(await views.register(id.namespace, 'copy', created['metadata-location']), 200);
    assert.deepEqual((await views.loadOk({ namespace: id.namespace, name: 'copy' })).metadata, created.metadata);
    assertStatus(await views.exists(id), 204);
    const namespace = await views.newNamespace();
    assertError(await views.register(namespace, 'copy', created['metadata-location']), 400, 'BadRequestException');
    assert.deepEqual(await views.listNames(namespace), []);
  });

  test('onto an existing view: 409 "View already exists" (49)', async () => {
    const { id, created } = await views.newView();
    assertError(await views.register(id.namespace, id.name, created['metadata-location']), 409, 'AlreadyExistsException', `View already exists: ${text(id)}`);
  });

  test('onto a table name: 409 "Table with same name already exists" (50)', async () => {
    const { id: table } = await tables.newTable();
    const created = await views.createOk(table.namespace, aCreateViewRequest('view'));
    assertError(
      await views.register(table.namespace, table.name, created['metadata-location']),
      409,
      'AlreadyExistsException',
      `Table with same name already exists: ${text(table)}`,
    );
  });

  test('a table registered on a view name: 409 "View with same name already exists" (47)', async () => {
    const { id: view } = await views.newView();
    const table = await tables.createOk(view.namespace, aCreateTableRequest('tbl'));
    assertError(
      await tables.register(view.namespace, view.name, table['metadata-location']!),
      409,
      'AlreadyExistsException',
      `View with same name already exists: ${text(view)}`,
    );
  });

  test('in a missing namespace: 404 NoSuchNamespaceException', async () => {
    const { created } = await views.newView();
    assertError(await views.register(['non_existing'], 'v', created['metadata-location']), 404, 'NoSuchNamespaceException');
  });

  test('a missing file, a table metadata file, or an unsupported location: 400, nothing registered', async () => {
    const { created } = await views.newView();
    const { created: table } = await tables.newTable();
    const namespace = await views.newNamespace();
    // One fixed message whatever is wrong (security review C6: no existence oracle, no file contents).
    const message = `Cannot register ${namespace[0]}.v: the metadata location is not a readable metadata file inside the namespace's location`;
    assertError(await views.register(namespace, 'v', `${created['metadata-location']}.missing`), 400, 'BadRequestException', message);
    assertError(await views.register(namespace, 'v', table['metadata-location']!), 400, 'BadRequestException', message);
    assertError(await views.register(namespace, 'v', 'ftp://host/x.metadata.json'), 400, 'BadRequestException', message);
    assert.deepEqual(await views.listNames(namespace), []);
  });
});

describe('Idempotency-Key on the view routes (invariant 6)', () => {
  const withKey = (key: string) => ({ 'idempotency-key': key });

  test('createView repeated with one key answers the first 200 again; a new key gets 409', async () => {
    const namespace = await views.newNamespace();
    const key = randomUUID();
    const body = aCreateViewRequest('v');
    const first = await views.create(namespace, body, withKey(key));
    const second = await views.create(namespace, body, withKey(key));
    assertStatus(first, 200);
    assertStatus(second, 200);
    assert.equal(second.text, first.text);
    assertError(await views.create(namespace, aCreateViewRequest('v'), withKey(randomUUID())), 409, 'AlreadyExistsException');
  });

  test('replaceView repeated with one key commits once', async () => {
    const { id, created } = await views.newView();
    const key = randomUUID();
    const commit = aViewCommit(created.metadata, [setProperties({ n: '1' })]);
    const first = await views.replace(id, commit, withKey(key));
    const second = await views.replace(id, commit, withKey(key));
    assertStatus(first, 200);
    assert.equal(second.text, first.text);
    assert.equal((await views.loadOk(id))['metadata-location'], (first.body as { 'metadata-location': string })['metadata-location']);
  });

  test('dropView repeated with one key answers 204 again, not 404', async () => {
    const { id } = await views.newView();
    const key = randomUUID();
    assertStatus(await views.drop(id, withKey(key)), 204);
    assertStatus(await views.drop(id, withKey(key)), 204);
    assertError(await views.drop(id, withKey(randomUUID())), 404, 'NoSuchViewException');
  });

  test('renameView and registerView repeated with one key answer the first result again', async () => {
    const { id, created } = await views.newView();
    const to = { namespace: id.namespace, name: 'renamed' };
    const renameKey = randomUUID();
    assertStatus(await views.rename(id, to, withKey(renameKey)), 204);
    assertStatus(await views.rename(id, to, withKey(renameKey)), 204);
    const registerKey = randomUUID();
    const first = await views.register(id.namespace, 'registered', created['metadata-location'], withKey(registerKey));
    const second = await views.register(id.namespace, 'registered', created['metadata-location'], withKey(registerKey));
    assertStatus(first, 200);
    assert.equal(second.text, first.text);
  });
});
