import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCatalog, type TestCatalog } from '../support/catalog-harness.js';
import { assertError, assertStatus } from '../support/assertions.js';
import { aField, anotherSchema, aSchema, removeProperties, setLocation, setProperties, tableApi, type TableApi } from '../support/table-fixtures.js';
import {
  addViewSchema,
  addViewVersion,
  aReplaceCommit,
  assertViewUuid,
  assignUuid,
  aViewCommit,
  aViewVersion,
  currentVersion,
  setCurrentViewVersion,
  sql,
  upgradeFormatVersion,
  viewApi,
  type ViewApi,
} from '../support/view-fixtures.js';

/**
 * ViewCatalogTests rows 28–42 (behaviors.md) and checklist §7: replaceView with `assert-view-uuid`
 * and each of the 8 ViewUpdate actions, the server-side retry, and the conflicts with a drop.
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

describe('replaceView: versions and schemas', () => {
  test('replace: new schema id 1, version 2 "replace", 2 history entries, properties merged, dialects replaced (28, 32)', async () => {
    const { id, created } = await views.newView({ properties: { prop1: 'val1' } });
    const base = created.metadata;
    const commit = aReplaceCommit(base, { representations: [sql('select count(*) from ns.tbl', 'trino')], 'default-catalog': 'cat' }, anotherSchema());
    commit.updates.push(setProperties({ prop2: 'val2', 'replace.drop-dialect.allowed': 'true' }));
    const replaced = await views.replaceOk(id, commit);
    const metadata = replaced.metadata;
    assert.equal(metadata['current-version-id'], 2);
    assert.equal(metadata['version-log'].length, 2);
    const version = currentVersion(metadata);
    assert.equal(version['schema-id'], 1);
    assert.equal(version.summary['operation'], 'replace');
    assert.equal(version['default-catalog'], 'cat');
    assert.deepEqual(version.representations, [sql('select count(*) from ns.tbl', 'trino')]);
    assert.deepEqual(metadata.properties, { prop1: 'val1', prop2: 'val2', 'replace.drop-dialect.allowed': 'true' });
    assert.match(replaced['metadata-location'], /\/00001-[0-9a-f-]{36}\.metadata\.json$/);
    assert.deepEqual(await views.loadOk(id), replaced);
  });

  test('dropping a dialect on replace is refused unless replace.drop-dialect.allowed: 400, nothing changes', async () => {
    const { id, created } = await views.newView();
    const commit = aReplaceCommit(created.metadata, { representations: [sql('select 1', 'trino')] });
    const answer = await views.replace(id, commit);
    assert.equal(answer.status, 400, answer.text);
    assertError(answer, 400);
    assert.deepEqual((await views.loadOk(id)).metadata, created.metadata);
  });

  test('updating the SQL for one dialect gives a new version holding only the new SQL (33)', async () => {
    const { id, created } = await views.newView();
    const replaced = await views.replaceOk(id, aReplaceCommit(created.metadata, { representations: [sql('select * from ns.other')] }));
    assert.deepEqual(currentVersion(replaced.metadata).representations, [sql('select * from ns.other')]);
    assert.equal(replaced.metadata.versions.length, 2);
  });

  test('add-view-version reuses an equivalent version, and set-current-view-version accepts an explicit id', async () => {
    const { id, created } = await views.newView();
    const v2 = await views.replaceOk(id, aReplaceCommit(created.metadata, { representations: [sql('select 2')] }));
    const back = await views.replaceOk(id, aViewCommit(v2.metadata, [setCurrentViewVersion(1)]));
    assert.equal(back.metadata['current-version-id'], 1);
    assert.equal(back.metadata.versions.length, 2);
    assert.equal(back.metadata['version-log'].length, 3);
  });

  test('add-schema then add-view-version on an explicit schema id and set-current -1', async () => {
    const { id, created } = await views.newView();
    const updates = [
      addViewSchema(aSchema(aField(1, 'x', 'long'))),
      addViewVersion(aViewVersion({ 'version-id': 2, 'schema-id': 1, representations: [sql('select x from t')] })),
      setCurrentViewVersion(-1),
    ];
    const replaced = await views.replaceOk(id, aViewCommit(created.metadata, updates));
    assert.equal(currentVersion(replaced.metadata)['schema-id'], 1);
    assert.deepEqual(replaced.metadata.schemas.map((s) => s['schema-id']), [0, 1]);
  });

  test('set-current-view-version -1 without a version added in this commit: 400', async () => {
    const { id, created } = await views.newView();
    assertError(await views.replace(id, aViewCommit(created.metadata, [setCurrentViewVersion(-1)])), 400);
  });

  test('a version on an unknown schema id: 400, nothing changes', async () => {
    const { id, created } = await views.newView();
    const updates = [addViewVersion(aViewVersion({ 'version-id': 2, 'schema-id': 7 })), setCurrentViewVersion(-1)];
    assertError(await views.replace(id, aViewCommit(created.metadata, updates)), 400);
    assert.deepEqual((await views.loadOk(id)).metadata, created.metadata);
  });

  test('concurrent replaces from one base all land through server-side retry: no lost update (42)', async () => {
    const { id, created } = await views.newView();
    const writers = 6;
    const answers = await Promise.all(
      Array.from({ length: writers }, (_, i) => views.replace(id, aReplaceCommit(created.metadata, { representations: [sql(`select ${i}`)] }))),
    );
    // Ceph answers a race loser 500 and the re-read then finds a rival's pointer; when a further
    // commit lands before that re-read, whether ours landed cannot be told, and the honest answer is
    // CommitStateUnknown. The local store always knows.
    for (const answer of answers) {
      if (answer.status === 200 || catalog.storeKind === 'fs') assertStatus(answer, 200);
      else assertError(answer, 500, 'CommitStateUnknownException');
    }
    const final = (await views.loadOk(id)).metadata;
    const ids = final.versions.map((v) => v['version-id']).sort((a, b) => a - b);
    assert.deepEqual(ids, Array.from({ length: ids.length }, (_, i) => i + 1), 'version ids are consecutive');
    assert.equal(final['version-log'].length, ids.length);
    const sqls = new Set(final.versions.map((v) => v.representations[0]!.sql));
    answers.forEach((answer, i) => answer.status === 200 && assert.ok(sqls.has(`select ${i}`), `accepted replace ${i} was lost`));
    assert.ok(ids.length >= 1 + answers.filter((a) => a.status === 200).length);
  });

  test('two sequential replaces from the same base: versions 1, 2, 3; the second reuses schema 0 (42)', async () => {
    const { id, created } = await views.newView();
    await views.replaceOk(id, aReplaceCommit(created.metadata, { representations: [sql('select a')] }, anotherSchema()));
    // The schema as the client read it back: equal to schema 0, so it is reused.
    const second = await views.replaceOk(id, aReplaceCommit(created.metadata, { representations: [sql('select b')] }, created.metadata.schemas[0]!));
    assert.deepEqual(second.metadata.versions.map((v) => v['version-id']), [1, 2, 3]);
    assert.equal(currentVersion(second.metadata)['schema-id'], 0);
  });
});

describe('replaceView: properties, location, uuid and format version', () => {
  test('set-properties changes only the properties; versions and history stay (30)', async () => {
    const { id, created } = await views.newView({ properties: { a: '1' } });
    const replaced = await views.replaceOk(id, aViewCommit(created.metadata, [setProperties({ b: '2' })]));
    assert.deepEqual(replaced.metadata.properties, { a: '1', b: '2' });
    assert.deepEqual(replaced.metadata.versions, created.metadata.versions);
    assert.deepEqual(replaced.metadata['version-log'], created.metadata['version-log']);
  });

  test('remove-properties removes the keys; a missing key is ignored (31: the rest is client-side)', async () => {
    const { id, created } = await views.newView({ properties: { a: '1', b: '2' } });
    const replaced = await views.replaceOk(id, aViewCommit(created.metadata, [removeProperties('a', 'never-set')]));
    assert.deepEqual(replaced.metadata.properties, { b: '2' });
  });

  test('a non-string property value is a 400 in the error model (31)', async () => {
    const { id, created } = await views.newView();
    assertError(await views.replace(id, aViewCommit(created.metadata, [{ action: 'set-properties', updates: { a: null } }])), 400);
  });

  test('set-location changes the location; history and versions stay; the next file goes there (39, 40)', async () => {
    const { id, created } = await views.newView();
    const newLocation = `${created.metadata.location}-moved`;
    const replaced = await views.replaceOk(id, aViewCommit(created.metadata, [setLocation(newLocation)]));
    assert.equal(replaced.metadata.location, newLocation);
    assert.deepEqual(replaced.metadata.versions, created.metadata.versions);
    assert.deepEqual(replaced.metadata['version-log'], created.metadata['version-log']);
    assert.ok(replaced['metadata-location'].startsWith(`${newLocation}/metadata/`));
  });

  test('set-location to a location the catalog cannot write: 400, nothing changes', async () => {
    const { id, created } = await views.newView();
    assertError(await views.replace(id, aViewCommit(created.metadata, [setLocation('ftp://elsewhere/view')])), 400);
    assert.deepEqual((await views.loadOk(id)).metadata, created.metadata);
  });

  test('assign-uuid with the same uuid is accepted; with another uuid it is refused', async () => {
    const { id, created } = await views.newView();
    const uuid = created.metadata['view-uuid'];
    assertStatus(await views.replace(id, aViewCommit(created.metadata, [assignUuid(uuid)])), 200);
    const other = await views.replace(id, aViewCommit(created.metadata, [assignUuid('00000000-0000-4000-8000-000000000000')]));
    assert.ok(other.status === 400 || other.status === 409, other.text);
    assert.equal((await views.loadOk(id)).metadata['view-uuid'], uuid);
  });

  test('upgrade-format-version 1 is a no-op; a higher one is refused', async () => {
    const { id, created } = await views.newView();
    const same = await views.replaceOk(id, aViewCommit(created.metadata, [upgradeFormatVersion(1)]));
    assert.equal(same['metadata-location'], created['metadata-location'], 'nothing changed, nothing written');
    assertError(await views.replace(id, aViewCommit(created.metadata, [upgradeFormatVersion(2)])), 400);
  });

  test('assert-view-uuid of another view: 409 CommitFailedException "Requirement failed"; nothing changes', async () => {
    const { id, created } = await views.newView();
    const commit = { requirements: [assertViewUuid('00000000-0000-4000-8000-000000000000')], updates: [setProperties({ a: 'b' })] };
    assertError(await views.replace(id, commit), 409, 'CommitFailedException', 'Requirement failed: view UUID does not match');
    assert.deepEqual((await views.loadOk(id)).metadata, created.metadata);
  });

  test('a commit against a dropped and re-created view fails its uuid requirement (409)', async () => {
    const { id, created } = await views.newView();
    assertStatus(await views.drop(id), 204);
    await views.createOk(id.namespace, { ...created.metadata, name: id.name, schema: aSchema(), 'view-version': aViewVersion(), properties: {} });
    assertError(await views.replace(id, aViewCommit(created.metadata, [setProperties({ a: 'b' })])), 409, 'CommitFailedException');
  });

  test('the identifier in the body must match the path: 400', async () => {
    const { id, created } = await views.newView();
    const commit = { ...aViewCommit(created.metadata, [setProperties({ a: 'b' })]), identifier: { namespace: id.namespace, name: 'other' } };
    assertError(await views.replace(id, commit), 400, undefined, 'identifier does not match');
    const matching = { ...aViewCommit(created.metadata, [setProperties({ a: 'b' })]), identifier: id };
    assertStatus(await views.replace(id, matching), 200);
  });
});

describe('replaceView: missing and dropped views', () => {
  test('replacing a missing view: 404 NoSuchViewException (29)', async () => {
    const namespace = await views.newNamespace();
    const { created } = await views.newView();
    assertError(
      await views.replace({ namespace, name: 'non_existing' }, aViewCommit(created.metadata, [setProperties({ a: 'b' })])),
      404,
      'NoSuchViewException',
      `View does not exist: ${namespace[0]}.non_existing`,
    );
  });

  test('a pending property update, a pending replace and a pending set-location on a dropped view: 404 NoSuchView (35, 36, 38, 41)', async () => {
    const { id, created } = await views.newView();
    assertStatus(await views.drop(id), 204);
    for (const commit of [
      aViewCommit(created.metadata, [setProperties({ a: 'b' })]),
      aReplaceCommit(created.metadata),
      aViewCommit(created.metadata, [setLocation(`${created.metadata.location}-new`)]),
    ]) {
      assertError(await views.replace(id, commit), 404, 'NoSuchViewException', `View does not exist: ${id.namespace[0]}.view`);
    }
    assertError(await views.load(id), 404, 'NoSuchViewException');
  });

  test('replacing a name held by a table: 404 NoSuchView; the table is untouched', async () => {
    const { id, created } = await tables.newTable({ name: 'tbl' });
    const { created: view } = await views.newView();
    assertError(await views.replace(id, aViewCommit(view.metadata, [setProperties({ a: 'b' })])), 404, 'NoSuchViewException');
    assert.deepEqual((await tables.loadOk(id)).metadata, created.metadata);
  });
});
