import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCatalog, type TestCatalog } from '../support/catalog-harness.js';
import { assertError, assertStatus } from '../support/assertions.js';
import { aCreateTableRequest, aCreateTransactionCommit, aField, aSchema, tableApi, type TableApi } from '../support/table-fixtures.js';
import { aCreateViewRequest, aViewVersion, currentVersion, sql, viewApi, type ViewApi } from '../support/view-fixtures.js';

/**
 * ViewCatalogTests rows 1–17 (behaviors.md): create, load and HEAD, and the one identifier space
 * tables and views share (invariant 4). Rows 5 and 6 (view-default / view-override properties) are
 * applied by the client: here the server only has to keep the properties it is sent.
 */
let catalog: TestCatalog;
let views: ViewApi;
let tables: TableApi;

before(async () => {
  catalog = await startTestCatalog();
  views = viewApi(catalog);
  tables = tableApi(catalog);
});
after(async () => catalog.close());

describe('loadView and viewExists', () => {
  test('in a missing namespace: HEAD 404, load 404 NoSuchViewException, not NoSuchNamespace (1)', async () => {
    const id = { namespace: ['non-existing'], name: 'view' };
    assertStatus(await views.exists(id), 404);
    assertError(await views.load(id), 404, 'NoSuchViewException', 'View does not exist: non-existing.view');
  });

  test('a missing view: HEAD 404, load 404 NoSuchViewException', async () => {
    const namespace = await views.newNamespace();
    const id = { namespace, name: 'missing' };
    assertStatus(await views.exists(id), 404);
    assertError(await views.load(id), 404, 'NoSuchViewException', `View does not exist: ${namespace[0]}.missing`);
  });

  test('a name held by a table is not a view: load 404 NoSuchView, HEAD 404 (2)', async () => {
    const namespace = await views.newNamespace();
    await tables.createOk(namespace, aCreateTableRequest('table'));
    const id = { namespace, name: 'table' };
    assertStatus(await views.exists(id), 404);
    assertError(await views.load(id), 404, 'NoSuchViewException', 'View does not exist');
  });

  test('a name held by a view is not a table: loadTable 404 NoSuchTable, tableExists 404 (3)', async () => {
    const { id } = await views.newView();
    assertStatus(await tables.exists(id), 404);
    assertError(await tables.load(id), 404, 'NoSuchTableException', 'Table does not exist');
  });

  test('an existing view: HEAD 204 without a body, load answers LoadViewResult', async () => {
    const { id, created } = await views.newView();
    const head = await views.exists(id);
    assertStatus(head, 204);
    assert.equal(head.text, '');
    const loaded = await views.loadOk(id);
    assert.deepEqual(Object.keys(loaded).sort(), ['config', 'metadata', 'metadata-location']);
    assert.deepEqual(loaded, created);
  });
});

describe('createView', () => {
  test('basic create: metadata location, one version "create", schema id 0 re-assigned from 5 (4)', async () => {
    const { created } = await views.newView();
    const metadata = created.metadata;
    assert.match(created['metadata-location'], /\/metadata\/00000-[0-9a-f-]{36}\.metadata\.json$/);
    assert.equal(metadata['format-version'], 1);
    assert.equal(metadata['current-version-id'], 1);
    assert.equal(metadata['version-log'].length, 1);
    assert.equal(metadata['version-log'][0]!['version-id'], 1);
    const version = currentVersion(metadata);
    assert.equal(version.summary['operation'], 'create');
    assert.equal(version['schema-id'], 0);
    assert.deepEqual(metadata.schemas.map((s) => s['schema-id']), [0]);
    assert.deepEqual(metadata.schemas[0]!.fields.map((f) => [f.id, f.name]), [[3, 'id'], [4, 'data']]);
    assert.deepEqual(version.representations, [sql('select * from ns.tbl')]);
  });

  test('properties are stored as sent: client-side view-default / view-override values survive (5, 6)', async () => {
    const properties = { key1: 'catalog-default-key1', key2: 'catalog-default-key2', key3: 'catalog-override-key3', prop1: 'val1' };
    const { id } = await views.newView({ properties });
    assert.deepEqual((await views.loadOk(id)).metadata.properties, properties);
  });

  test('complete create: requested location, two dialects, default catalog and properties are kept; uuid consistent (7)', async () => {
    const namespace = await views.newNamespace();
    // Inside the view's namespace: the only place its objects may be located (docs/security.md, Confinement).
    const location = `${(await tables.createOk(namespace, aCreateTableRequest('tbl'))).metadata.location}-view-location`;
    const version = aViewVersion({
      representations: [sql('select * from ns.tbl', 'spark'), sql('select * from ns.tbl using X', 'trino')],
      'default-catalog': 'cat',
      'default-namespace': namespace,
    });
    const created = await views.createOk(namespace, aCreateViewRequest('view', { location, 'view-version': version, properties: { prop1: 'val1', prop2: 'val2' } }));
    const loaded = await views.loadOk({ namespace, name: 'view' });
    assert.equal(loaded.metadata.location, location);
    assert.ok(loaded['metadata-location'].startsWith(`${location}/metadata/`));
    assert.equal(loaded.metadata['view-uuid'], created.metadata['view-uuid']);
    const current = currentVersion(loaded.metadata);
    assert.equal(current['default-catalog'], 'cat');
    assert.deepEqual(current['default-namespace'], namespace);
    assert.deepEqual(current.representations.map((r) => r.dialect), ['spark', 'trino']);
    assert.deepEqual(loaded.metadata.properties, { prop1: 'val1', prop2: 'val2' });
  });

  test('write.metadata.path puts the metadata file under that path (8)', async () => {
    const namespace = await views.newNamespace();
    const base = (await tables.createOk(namespace, aCreateTableRequest('tbl'))).metadata.location;
    const customPath = `${base}-custom-view-metadata`;
    const created = await views.createOk(namespace, aCreateViewRequest('view', { properties: { 'write.metadata.path': customPath } }));
    assert.ok(created['metadata-location'].startsWith(`${customPath}/`), created['metadata-location']);
    const ctx = await catalog.context();
    assert.ok((await ctx.files.read(created['metadata-location'])) !== undefined, 'the metadata file was written there');
  });

  test('two SQLs for one dialect: 400 IllegalArgumentException, and no view is created (9)', async () => {
    const namespace = await views.newNamespace();
    const version = aViewVersion({ representations: [sql('select 1', 'trino'), sql('select 2', 'trino')] });
    assertError(
      await views.create(namespace, aCreateViewRequest('view', { 'view-version': version })),
      400,
      'IllegalArgumentException',
      'Invalid view version: Cannot add multiple queries for dialect trino',
    );
    assertStatus(await views.exists({ namespace, name: 'view' }), 404);
  });

  test('a create in a missing namespace: 404 NoSuchNamespaceException', async () => {
    assertError(await views.create(['non_existing_ns'], aCreateViewRequest('view')), 404, 'NoSuchNamespaceException', 'Namespace does not exist: non_existing_ns');
  });

  test('a second create of the same view: 409 "View already exists"; the first stays (10, 37)', async () => {
    const { id, created } = await views.newView();
    const again = aCreateViewRequest(id.name, { schema: aSchema(aField(1, 'other', 'long')) });
    assertError(await views.create(id.namespace, again), 409, 'AlreadyExistsException', `View already exists: ${id.namespace[0]}.view`);
    assert.deepEqual((await views.loadOk(id)).metadata, created.metadata);
  });

  test('a view on a table name: 409 "Table with same name already exists" (11, 17)', async () => {
    const namespace = await views.newNamespace();
    await tables.createOk(namespace, aCreateTableRequest('table'));
    assertError(
      await views.create(namespace, aCreateViewRequest('table')),
      409,
      'AlreadyExistsException',
      `Table with same name already exists: ${namespace[0]}.table`,
    );
    assertStatus(await tables.exists({ namespace, name: 'table' }), 204);
  });

  test('a table on a view name: 409 "View with same name already exists" (12)', async () => {
    const { id } = await views.newView();
    assertError(
      await tables.create(id.namespace, aCreateTableRequest(id.name)),
      409,
      'AlreadyExistsException',
      `View with same name already exists: ${id.namespace[0]}.view`,
    );
    assertStatus(await views.exists(id), 204);
  });

  test('a create transaction whose name a view took meanwhile: the assert-create commit is a 409 (13)', async () => {
    const namespace = await views.newNamespace();
    const staged = await tables.createOk(namespace, aCreateTableRequest('view', { 'stage-create': true }));
    await views.createOk(namespace, aCreateViewRequest('view'));
    assertError(
      await tables.commit({ namespace, name: 'view' }, aCreateTransactionCommit(staged.metadata)),
      409,
      undefined,
      `View with same name already exists: ${namespace[0]}.view`,
    );
    assertStatus(await tables.exists({ namespace, name: 'view' }), 404);
  });

  test('a replace transaction of a table over a view: loadTable is 404 NoSuchTable (14)', async () => {
    const { id } = await views.newView();
    assertStatus(await views.exists(id), 204);
    assertError(await tables.load(id), 404, 'NoSuchTableException', `Table does not exist: ${id.namespace[0]}.view`);
  });

  test('createOrReplace of a table over a view: the assert-create commit is a 409 (15)', async () => {
    const { id } = await views.newView();
    assertStatus(await tables.load(id), 404);
    const staged = await tables.createOk(id.namespace, aCreateTableRequest(id.name, { 'stage-create': true }));
    assertError(await tables.commit(id, aCreateTransactionCommit(staged.metadata)), 409, undefined, 'View with same name already exists');
  });

  test('replace of a view over a table: the client sees the table by HEAD first (16)', async () => {
    const namespace = await views.newNamespace();
    await tables.createOk(namespace, aCreateTableRequest('table'));
    assertStatus(await tables.exists({ namespace, name: 'table' }), 204);
    assertStatus(await views.exists({ namespace, name: 'table' }), 404);
  });

  test('concurrent creates of one name as a table and as a view: never both (invariant 4)', async () => {
    for (let round = 0; round < 5; round++) {
      const namespace = await views.newNamespace('race');
      const [asTable, asView] = await Promise.all([tables.create(namespace, aCreateTableRequest('x')), views.create(namespace, aCreateViewRequest('x'))]);
      assert.ok(!(asTable.status === 200 && asView.status === 200), 'a table and a view share the name x');
      for (const answer of [asTable, asView]) if (answer.status !== 200) assertError(answer, 409, 'AlreadyExistsException');
      const id = { namespace, name: 'x' };
      assert.equal((await tables.exists(id)).status === 204 && (await views.exists(id)).status === 204, false);
    }
  });

  test('concurrent creates of one view: exactly one wins, the rest get 409', async () => {
    const namespace = await views.newNamespace();
    const answers = await Promise.all(Array.from({ length: 6 }, () => views.create(namespace, aCreateViewRequest('v'))));
    assert.equal(answers.filter((a) => a.status === 200).length, 1);
    for (const a of answers.filter((a) => a.status !== 200)) assertError(a, 409, 'AlreadyExistsException', 'View already exists');
  });
});
