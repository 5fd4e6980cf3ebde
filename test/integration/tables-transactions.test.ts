import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { resolveWarehouse } from '../../core/catalog/context.js';
import { startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { assertError, assertStatus } from '../support/assertions.js';
import {
  aCompleteCreateTableRequest,
  aCreateTableRequest,
  aCreateTransactionCommit,
  aPartitionField,
  anAppend,
  anotherSchema,
  anUpdateCommit,
  aReplaceCommit,
  aSchema,
  aSnapshotId,
  aSortOrder,
  aSpec,
  currentSchema,
  defaultSortOrder,
  defaultSpec,
  mainSnapshotId,
  schemaChange,
  shapeOf,
  snapshotIds,
  sortOrderChange,
  specChange,
  tableApi,
  toBig,
  withColumns,
  type CreateTableRequestJson,
  type LoadTableResultJson,
  type SchemaJson,
  type TableApi,
  type TableId,
  type TableMetadataJson,
  type UpdateJson,
} from '../support/table-fixtures.js';

/**
 * CatalogTests rows 25, 26, 28, 29, 74–78, 80–83, 85–88, 98 and 99 (behaviors.md): single-table
 * update, create and replace transactions, sent as RESTSessionCatalog sends them (a create
 * transaction is `stage-create` then one commit with only assert-create and createChanges; a
 * replace transaction loads the table and commits buildReplacement's changes with uuid and
 * last-assigned-id requirements). The concurrent variants (79, 84, 89–97) are in
 * tables-concurrency.test.ts.
 *
 * Rows 25, 26, 28 and 29 check that the properties a client merged from `table-default.*` and
 * `table-override.*` are stored as sent; the merge itself is client-side. The "files keep their
 * spec id" half of row 77 is about manifests the server never reads, and is not checked.
 */
let catalog: TestCatalog;
let api: TableApi;
let warehouseLocation: string;

before(async () => {
  catalog = await startTestCatalog();
  api = tableApi(catalog);
  warehouseLocation = resolveWarehouse((await catalog.context()).config, catalog.warehouse).location;
});
after(async () => catalog.close());

const CLIENT_MERGED_PROPERTIES = {
  'default-key1': 'catalog-default-key1',
  'default-key2': 'table-key2',
  'override-key3': 'catalog-override-key3',
  'override-key4': 'catalog-override-key4',
};

/** RESTSessionCatalog.createTransaction's first half: POST with stage-create. */
async function stageCreate(id: TableId, request: Partial<CreateTableRequestJson> = {}): Promise<TableMetadataJson> {
  const response = await api.create(id.namespace, { ...aCreateTableRequest(id.name), ...request, 'stage-create': true });
  assertStatus(response, 200);
  const staged = response.body as unknown as LoadTableResultJson;
  assert.equal(staged['metadata-location'], null);
  return staged.metadata;
}

async function assertInvisible(id: TableId): Promise<void> {
  assertStatus(await api.exists(id), 404);
  assertError(await api.load(id), 404, 'NoSuchTableException');
  assert.ok(!(await api.listNames(id.namespace)).includes(id.name));
}

const newId = async (): Promise<TableId> => ({ namespace: await api.newNamespace(), name: 'tbl' });

describe('update transaction', () => {
  test('a schema and a spec change commit together as one new metadata file (74)', async () => {
    const { id, created } = await api.newTable();
    const base = created.metadata;
    const updates = [
      ...schemaChange(base, withColumns(base, { name: 'new_col', type: 'long' })),
      ...specChange(base, [{ source: 'id', transform: 'bucket[16]', name: 'shard' }]),
    ];
    const request = anUpdateCommit(base, updates);
    assert.deepEqual(
      request.requirements.map((r) => r.type),
      ['assert-table-uuid', 'assert-last-assigned-field-id', 'assert-current-schema-id', 'assert-last-assigned-partition-id', 'assert-default-spec-id'],
    );
    await api.commitOk(id, request);
    const loaded = (await api.loadOk(id)).metadata;
    assert.equal(loaded['metadata-log'].length, 1);
    assert.deepEqual(currentSchema(loaded).fields.at(-1), { id: 3, name: 'new_col', required: false, type: 'long' });
    assert.deepEqual(defaultSpec(loaded).fields, [{ name: 'shard', transform: 'bucket[16]', 'source-id': 1, 'field-id': 1000 }]);
  });
});

describe('create transaction', () => {
  test('the table is invisible after stage-create and appears on commit with its snapshot; the metadata log is empty (75)', async () => {
    const id = await newId();
    const staged = await stageCreate(id);
    await assertInvisible(id);
    const snapshotId = aSnapshotId();
    const request = aCreateTransactionCommit(staged, anAppend(staged, { snapshotId }));
    await assertInvisible(id);

    const committed = await api.commitOk(id, request);
    assert.match(committed['metadata-location'], /\/metadata\/00000-[0-9a-f-]{36}\.metadata\.json$/);
    const loaded = await api.loadOk(id);
    assert.equal(loaded['metadata-location'], committed['metadata-location']);
    assert.equal(mainSnapshotId(loaded.metadata), snapshotId);
    assert.deepEqual(loaded.metadata['metadata-log'], []);
    assert.equal(loaded.metadata['table-uuid'], staged['table-uuid']);
    assert.deepEqual(await api.listNames(id.namespace), ['tbl']);
  });

  test('a complete create transaction applies location, spec, order and properties (76)', async () => {
    const id = await newId();
    const location = `${warehouseLocation}/${id.namespace[0]}/${uniqueName('loc')}/tbl`;
    const staged = await stageCreate(id, aCompleteCreateTableRequest(id.name, location));
    await api.commitOk(id, aCreateTransactionCommit(staged, anAppend(staged)));
    const metadata = (await api.loadOk(id)).metadata;
    assert.equal(metadata.location, location);
    assert.deepEqual(defaultSpec(metadata), { 'spec-id': 0, fields: [{ name: 'id_bucket', transform: 'bucket[16]', 'source-id': 1, 'field-id': 1000 }] });
    assert.equal(defaultSortOrder(metadata)['order-id'], 1);
    assert.deepEqual(defaultSortOrder(metadata).fields, defaultSortOrder(staged).fields);
    assert.equal(metadata.properties['user'], 'someone');
    assert.equal(metadata.properties['created_by'], 'test');
    assert.deepEqual(metadata['metadata-log'], []);
  });

  test('schema, spec and order evolved inside a create transaction end as schema 1, spec 1 and order 2 (77)', async () => {
    const id = await newId();
    const staged = await stageCreate(id, aCompleteCreateTableRequest(id.name, `${warehouseLocation}/${id.namespace[0]}/${uniqueName('loc')}/tbl`));
    const schemaUpdates = schemaChange(staged, withColumns(staged, { name: 'new_col', type: 'long' }));
    const evolved = afterSchemaUpdates(staged, schemaUpdates);
    const specUpdates = specChange(evolved, [
      { source: 'id', transform: 'bucket[16]', name: 'id_bucket' },
      { source: 'new_col', transform: 'identity', name: 'new_col' },
    ]);
    const orderUpdates = sortOrderChange(evolved, [{ source: 'new_col' }]);
    const transaction = [...schemaUpdates, ...specUpdates, ...orderUpdates, ...anAppend(evolved, { schemaId: 1 })];
    await api.commitOk(id, aCreateTransactionCommit(staged, transaction));

    const metadata = (await api.loadOk(id)).metadata;
    assert.equal(metadata['current-schema-id'], 1);
    assert.equal(metadata['default-spec-id'], 1);
    assert.equal(metadata['default-sort-order-id'], 2);
    assert.deepEqual(defaultSpec(metadata).fields, [
      { name: 'id_bucket', transform: 'bucket[16]', 'source-id': 1, 'field-id': 1000 },
      { name: 'new_col', transform: 'identity', 'source-id': 3, 'field-id': 1001 },
    ]);
    assert.deepEqual(defaultSortOrder(metadata).fields, [{ transform: 'identity', 'source-id': 3, direction: 'asc', 'null-order': 'nulls-first' }]);
    assert.equal(metadata.snapshots[0]!['schema-id'], 1);
    assert.deepEqual(metadata['metadata-log'], []);
  });

  test('format-version=2 in a create transaction is applied, not stored, and the first snapshot has sequence number 1 (78)', async () => {
    const id = await newId();
    const staged = await stageCreate(id, { properties: { 'format-version': '2' } });
    await api.commitOk(id, aCreateTransactionCommit(staged, anAppend(staged)));
    const metadata = (await api.loadOk(id)).metadata;
    assert.equal(metadata['format-version'], 2);
    assert.ok(!('format-version' in metadata.properties));
    assert.equal(toBig(metadata.snapshots[0]!['sequence-number']), 1n);
  });

  for (const version of [1, 2, 3]) {
    test(`a create transaction with format-version=${version} makes a v${version} table (98)`, async () => {
      const id = await newId();
      const staged = await stageCreate(id, { properties: { 'format-version': String(version) } });
      assert.equal(staged['format-version'], version);
      await api.commitOk(id, aCreateTransactionCommit(staged, anAppend(staged)));
      const metadata = (await api.loadOk(id)).metadata;
      assert.equal(metadata['format-version'], version);
      assert.equal(metadata.snapshots.length, 1);
      assert.ok(!('format-version' in metadata.properties));
    });
  }

  test('properties merged by the client are stored through a create transaction (25, 28)', async () => {
    const id = await newId();
    const staged = await stageCreate(id, { properties: CLIENT_MERGED_PROPERTIES });
    await api.commitOk(id, aCreateTransactionCommit(staged));
    const properties = (await api.loadOk(id)).metadata.properties;
    for (const [key, value] of Object.entries(CLIENT_MERGED_PROPERTIES)) assert.equal(properties[key], value, key);
  });

  test('stage-create of an existing table: 409 AlreadyExists (checklist §6)', async () => {
    const { id } = await api.newTable();
    assertError(await api.create(id.namespace, aCreateTableRequest(id.name, { 'stage-create': true })), 409, 'AlreadyExistsException', 'Table already exists');
  });

  test('assert-create must be the only requirement: 400, and nothing is created (checklist §6)', async () => {
    const id = await newId();
    const staged = await stageCreate(id);
    const request = aCreateTransactionCommit(staged);
    request.requirements.push({ type: 'assert-current-schema-id', 'current-schema-id': 0 });
    assertError(await api.commit(id, request), 400);
    await assertInvisible(id);
  });
});

describe('create-or-replace transaction', () => {
  for (const complete of [false, true]) {
    test(`on a missing table it is a create transaction${complete ? ' with location, spec, order and properties (81)' : ' (80)'}`, async () => {
      const id = await newId();
      assertError(await api.load(id), 404, 'NoSuchTableException');
      const location = `${warehouseLocation}/${id.namespace[0]}/${uniqueName('loc')}/tbl`;
      const staged = await stageCreate(id, complete ? aCompleteCreateTableRequest(id.name, location) : {});
      const snapshotId = aSnapshotId();
      await api.commitOk(id, aCreateTransactionCommit(staged, anAppend(staged, { snapshotId })));
      const metadata = (await api.loadOk(id)).metadata;
      assert.equal(mainSnapshotId(metadata), snapshotId);
      assert.deepEqual(metadata['metadata-log'], []);
      if (complete) {
        assert.equal(metadata.location, location);
        assert.equal(defaultSpec(metadata).fields.length, 1);
        assert.equal(metadata['default-sort-order-id'], 1);
        assert.equal(metadata.properties['user'], 'someone');
      }
    });
  }

  for (const version of [1, 2]) {
    test(`orCreate with format-version=${version} on a missing table makes a v${version} table (99)`, async () => {
      const id = await newId();
      assertError(await api.load(id), 404, 'NoSuchTableException');
      const staged = await stageCreate(id, { properties: { 'format-version': String(version) } });
      await api.commitOk(id, aCreateTransactionCommit(staged, anAppend(staged)));
      assert.equal((await api.loadOk(id)).metadata['format-version'], version);
    });
  }

  test('on an existing table it replaces: invisible until commit, ids continue from last-column-id, uuid kept, one log entry (82)', async () => {
    const { id, created } = await api.newTable({ schema: anotherSchema() });
    const base = (await api.loadOk(id)).metadata;
    const request = aReplaceCommit(base, { schema: aSchema() }, { appendSnapshotId: aSnapshotId() });
    assert.deepEqual((await api.loadOk(id)).metadata, created.metadata, 'nothing is visible before the commit');

    await api.commitOk(id, request);
    const metadata = (await api.loadOk(id)).metadata;
    assert.deepEqual(
      currentSchema(metadata).fields.map((f) => [f.id, f.name]),
      [
        [2, 'id'],
        [3, 'data'],
      ],
    );
    assert.equal(metadata['last-column-id'], 3);
    assert.equal(metadata['table-uuid'], created.metadata['table-uuid']);
    assert.equal(metadata['metadata-log'].length, 1);
    assert.equal(metadata.snapshots.length, 1);
  });

  test('a complete replace adds spec 1, the sort order, the properties and the new location (83)', async () => {
    const { id, created } = await api.newTable({ schema: anotherSchema() });
    const location = `${warehouseLocation}/${id.namespace[0]}/${uniqueName('loc')}/replaced`;
    const request = aReplaceCommit(created.metadata, { schema: aSchema(), 'partition-spec': aSpec(), 'write-order': aSortOrder(), location, properties: { user: 'someone' } });
    assert.deepEqual(
      request.requirements.map((r) => r.type),
      ['assert-table-uuid', 'assert-last-assigned-field-id', 'assert-last-assigned-partition-id'],
    );
    await api.commitOk(id, request);
    const metadata = (await api.loadOk(id)).metadata;
    assert.equal(metadata['default-spec-id'], 1);
    assert.deepEqual(defaultSpec(metadata).fields, [{ name: 'id_bucket', transform: 'bucket[16]', 'source-id': 2, 'field-id': 1000 }]);
    assert.equal(metadata['default-sort-order-id'], 1);
    assert.deepEqual(defaultSortOrder(metadata).fields, [
      { transform: 'bucket[16]', 'source-id': 2, direction: 'asc', 'null-order': 'nulls-first' },
      { transform: 'identity', 'source-id': 2, direction: 'asc', 'null-order': 'nulls-first' },
    ]);
    assert.equal(metadata.properties['user'], 'someone');
    assert.equal(metadata.location, location);
    assert.equal(metadata['table-uuid'], created.metadata['table-uuid']);
  });
});

describe('replace transaction', () => {
  test('replace keeps the uuid, is invisible until commit and adds one metadata-log entry (85)', async () => {
    const { id, created } = await api.newTable({ schema: anotherSchema() });
    const snapshotId = aSnapshotId();
    const request = aReplaceCommit(created.metadata, { schema: aSchema() }, { appendSnapshotId: snapshotId });
    assert.equal((await api.loadOk(id))['metadata-location'], created['metadata-location']);
    await api.commitOk(id, request);
    const metadata = (await api.loadOk(id)).metadata;
    assert.equal(metadata['table-uuid'], created.metadata['table-uuid']);
    assert.equal(mainSnapshotId(metadata), snapshotId);
    assert.deepEqual(
      metadata['metadata-log'].map((e) => e['metadata-file']),
      [created['metadata-location']],
    );
    assert.deepEqual(shapeOf(currentSchema(metadata).fields), shapeOf(aSchema().fields));
  });

  test('a complete replace applies spec, order, location and properties; created-at is not visible before (86)', async () => {
    const { id, created } = await api.newTable({ 'partition-spec': aSpec() });
    const location = `${warehouseLocation}/${id.namespace[0]}/${uniqueName('loc')}/replaced`;
    const replacementSpec = aSpec(aPartitionField(4, 'truncate[4]', 'data_trunc'));
    const request = aReplaceCommit(created.metadata, { schema: aSchema(), 'partition-spec': replacementSpec, 'write-order': aSortOrder(), location, properties: { replaced: 'true' } });
    const before = (await api.loadOk(id)).metadata;
    assert.ok(!('created-at' in before.properties));
    assert.ok(!('replaced' in before.properties));

    await api.commitOk(id, request);
    const metadata = (await api.loadOk(id)).metadata;
    assert.deepEqual(defaultSpec(metadata).fields, [{ name: 'data_trunc', transform: 'truncate[4]', 'source-id': 2, 'field-id': 1001 }]);
    assert.equal(metadata['last-partition-id'], 1001);
    assert.equal(metadata['default-sort-order-id'], 1);
    assert.equal(metadata.location, location);
    assert.equal(metadata.properties['replaced'], 'true');
    assert.equal(metadata['table-uuid'], created.metadata['table-uuid']);
    assert.equal(metadata['current-schema-id'], 0, 'the same schema is reused');
  });

  test('replacing a missing table: the load fails with 404 "Table does not exist: newdb.newtable" (87)', async () => {
    const namespace = await api.newNamespace('newdb');
    assertError(await api.load({ namespace, name: 'newtable' }), 404, 'NoSuchTableException', `Table does not exist: ${namespace[0]}.newtable`);
  });

  test('a replace with an append keeps the earlier snapshot-log entries (88)', async () => {
    const { id, created } = await api.newTable();
    const first = aSnapshotId();
    const appended = (await api.commitOk(id, anUpdateCommit(created.metadata, anAppend(created.metadata, { snapshotId: first })))).metadata;
    const second = aSnapshotId();
    await api.commitOk(id, aReplaceCommit(appended, { schema: aSchema() }, { appendSnapshotId: second }));
    const metadata = (await api.loadOk(id)).metadata;
    assert.deepEqual(
      metadata['snapshot-log'].map((e) => toBig(e['snapshot-id'])),
      [first, second],
    );
    assert.deepEqual(snapshotIds(metadata), [first, second]);
    assert.equal(metadata.snapshots[1]!['parent-snapshot-id'], undefined, 'a replace starts a new history');
  });

  test('properties merged by the client are added through a replace transaction (26, 29)', async () => {
    const { id, created } = await api.newTable({ properties: { 'default-key2': 'old', kept: 'yes' } });
    await api.commitOk(id, aReplaceCommit(created.metadata, { schema: aSchema(), properties: CLIENT_MERGED_PROPERTIES }));
    const properties = (await api.loadOk(id)).metadata.properties;
    for (const [key, value] of Object.entries(CLIENT_MERGED_PROPERTIES)) assert.equal(properties[key], value, key);
    assert.equal(properties['kept'], 'yes', 'a replace merges properties');
  });
});

/** The transaction's view after its schema updates, for building the later updates on it. */
function afterSchemaUpdates(base: TableMetadataJson, updates: UpdateJson[]): TableMetadataJson {
  const added = updates.find((u) => u.action === 'add-schema');
  if (added === undefined) return base;
  const schema = added['schema'] as SchemaJson;
  return { ...base, schemas: [...base.schemas, schema], 'current-schema-id': schema['schema-id']!, 'last-column-id': added['last-column-id'] as number };
}
