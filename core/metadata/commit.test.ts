import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commit } from './commit.js';
import {
  aContext,
  aField,
  aPartitionField,
  aSchema,
  aSnapshot,
  aSortField,
  assertBadRequest,
  assertCommitFailed,
  aTable,
  aTableWithSnapshots,
  appendUpdates,
  commitTo,
  TABLE_LOCATION,
} from './test-fixtures.js';
import type { TableMetadata, TableRequirement, TableUpdate } from './types.js';

const CLIENT_UUID = '5f5bfc3a-2c6e-4a59-9a3b-1fb0c7a0f6a1';

/** What the Java client sends to commit a staged create. */
function stagedCreateUpdates(formatVersion = 2): TableUpdate[] {
  return [
    { action: 'assign-uuid', uuid: CLIENT_UUID },
    { action: 'upgrade-format-version', formatVersion },
    { action: 'add-schema', schema: { ...aSchema(), schemaId: 0 } },
    { action: 'set-current-schema', schemaId: -1 },
    { action: 'add-spec', spec: { specId: 0, fields: [aPartitionField({ fieldId: 1000 })] } },
    { action: 'set-default-spec', specId: -1 },
    { action: 'add-sort-order', sortOrder: { orderId: 1, fields: [aSortField()] } },
    { action: 'set-default-sort-order', sortOrderId: -1 },
    { action: 'set-location', location: TABLE_LOCATION },
    { action: 'set-properties', updates: { owner: 'alice' } },
  ];
}

const assertCreate: TableRequirement[] = [{ type: 'assert-create' }];

test('a staged create commit builds the table from empty metadata', () => {
  const result = commit(undefined, assertCreate, stagedCreateUpdates(), aContext());
  const table = result.metadata;
  assert.equal(table.tableUuid, CLIENT_UUID);
  assert.equal(table.formatVersion, 2);
  assert.deepEqual([table.currentSchemaId, table.defaultSpecId, table.defaultSortOrderId], [0, 0, 1]);
  assert.deepEqual([table.lastColumnId, table.lastPartitionId], [2, 1000]);
  assert.equal(table.location, TABLE_LOCATION);
  assert.deepEqual(table.properties, { owner: 'alice' });
  assert.deepEqual(table.metadataLog, []);
});

test('a staged create with its own data changes lands whole, first snapshot at sequence number 1', () => {
  const updates = [...stagedCreateUpdates(), ...appendUpdates(aSnapshot({ id: 10n, sequenceNumber: 1n }))];
  const table = commit(undefined, assertCreate, updates, aContext({ previousMetadataLocation: 'ignored' })).metadata;
  assert.equal(table.currentSnapshotId, 10n);
  assert.equal(table.lastSequenceNumber, 1n);
  assert.deepEqual(table.metadataLog, []);
});

test('schema, spec and order evolution inside a create transaction ends at schema 1, spec 1, order 2', () => {
  const updates: TableUpdate[] = [
    ...stagedCreateUpdates(),
    { action: 'add-schema', schema: aSchema({ fields: [...aSchema().fields, aField(3, 'more', 'int')] }) },
    { action: 'set-current-schema', schemaId: -1 },
    { action: 'add-spec', spec: { fields: [aPartitionField({ fieldId: 1000 }), aPartitionField({ sourceId: 3, name: 'more', transform: 'identity', fieldId: 1001 })] } },
    { action: 'set-default-spec', specId: -1 },
    { action: 'add-sort-order', sortOrder: { fields: [aSortField({ sourceId: 3 })] } },
    { action: 'set-default-sort-order', sortOrderId: -1 },
  ];
  const table = commit(undefined, assertCreate, updates, aContext()).metadata;
  assert.deepEqual([table.currentSchemaId, table.defaultSpecId, table.defaultSortOrderId], [1, 1, 2]);
});

test('a staged create honours the requested format version from the first update', () => {
  assert.equal(commit(undefined, assertCreate, stagedCreateUpdates(1), aContext()).metadata.formatVersion, 1);
  assert.equal(commit(undefined, assertCreate, stagedCreateUpdates(3), aContext()).metadata.nextRowId, 0n);
});

test('a staged create without spec or order updates is unpartitioned and unsorted', () => {
  const updates: TableUpdate[] = [{ action: 'add-schema', schema: aSchema() }, { action: 'set-current-schema', schemaId: -1 }];
  const table = commit(undefined, assertCreate, updates, aContext({ defaultLocation: TABLE_LOCATION })).metadata;
  assert.deepEqual(table.partitionSpecs, [{ specId: 0, fields: [] }]);
  assert.deepEqual(table.sortOrders, [{ orderId: 0, fields: [] }]);
  assert.equal(table.location, TABLE_LOCATION);
});

test('assert-create on an existing table fails', () => {
  assertCommitFailed(() => commit(aTable(), assertCreate, stagedCreateUpdates(), aContext()), 'Requirement failed: table already exists');
});

test('assert-create must be the only requirement', () => {
  assertBadRequest(
    () => commit(undefined, [{ type: 'assert-create' }, { type: 'assert-current-schema-id', currentSchemaId: 0 }], [], aContext()),
    'Invalid create requirements: assert-current-schema-id',
  );
});

test('a commit to a missing table without assert-create fails', () => {
  assertCommitFailed(() => commit(undefined, [], [], aContext()), 'Requirement failed: table does not exist');
});

test('a failed requirement stops the commit before any update', () => {
  assertCommitFailed(
    () => commitTo(aTable(), [{ action: 'upgrade-format-version', formatVersion: 1 }], [{ type: 'assert-current-schema-id', currentSchemaId: 1 }]),
    'Requirement failed: current schema changed: expected id 1 != 0',
  );
});

test('a commit that changes nothing returns the base itself and no changes', () => {
  const table = aTableWithSnapshots(1);
  const result = commitTo(
    table,
    [
      { action: 'set-properties', updates: { 'write.parquet.compression-codec': 'zstd' } },
      { action: 'set-snapshot-ref', refName: 'main', type: 'branch', snapshotId: 1n },
      { action: 'add-schema', schema: aSchema() },
    ],
    [],
    { previousMetadataLocation: `${TABLE_LOCATION}/metadata/00001-x.metadata.json` },
  );
  assert.equal(result.metadata, table);
  assert.deepEqual(result.changes, []);
  assert.deepEqual(result.expiredMetadataLog, []);
});

test('the previous file joins the metadata log, stamped with its own last-updated-ms', () => {
  const table = aTable();
  const previous = `${TABLE_LOCATION}/metadata/00000-a.metadata.json`;
  const result = commitTo(table, [{ action: 'set-properties', updates: { a: 'b' } }], [], { previousMetadataLocation: previous, now: 1_800_000_000_000 });
  assert.deepEqual(result.metadata.metadataLog, [{ timestampMs: table.lastUpdatedMs, metadataFile: previous }]);
  assert.equal(result.metadata.lastUpdatedMs, 1_800_000_000_000n);
});

test('server-side retry: the same updates re-applied on a newer base keep the concurrent change', () => {
  const base = aTable();
  const concurrent = commitTo(base, [
    { action: 'add-spec', spec: { fields: [aPartitionField()] } },
    { action: 'set-default-spec', specId: -1 },
  ]).metadata;
  const requirements: TableRequirement[] = [{ type: 'assert-current-schema-id', currentSchemaId: 0 }];
  const updates: TableUpdate[] = [
    { action: 'add-schema', schema: aSchema({ fields: [...aSchema().fields, aField(3, 'x', 'int')] }) },
    { action: 'set-current-schema', schemaId: -1 },
  ];
  const retried = commitTo(concurrent, updates, requirements).metadata;
  assert.deepEqual([retried.currentSchemaId, retried.defaultSpecId], [1, 1]);
});

test('a concurrent add-column makes a pending add-column fail on last assigned field id', () => {
  const concurrent = commitTo(aTable(), [
    { action: 'add-schema', schema: aSchema({ fields: [...aSchema().fields, aField(3, 'y', 'int')] }) },
    { action: 'set-current-schema', schemaId: -1 },
  ]).metadata;
  assertCommitFailed(
    () => commitTo(concurrent, [], [{ type: 'assert-last-assigned-field-id', lastAssignedFieldId: 2 }]),
    'Requirement failed: last assigned field id changed: expected id 2 != 3',
  );
});

test('concurrent appends: the loser of an empty-table race fails on its null main assertion', () => {
  const winner = commitTo(aTable(), appendUpdates(aSnapshot({ id: 1n }))).metadata;
  assertCommitFailed(
    () => commitTo(winner, appendUpdates(aSnapshot({ id: 2n })), [{ type: 'assert-ref-snapshot-id', ref: 'main', snapshotId: null }]),
    'Requirement failed: branch main was created concurrently',
  );
});

test('a snapshot added then superseded on main in one commit leaves no snapshot-log entry', () => {
  const table: TableMetadata = commitTo(aTable(), [
    ...appendUpdates(aSnapshot({ id: 1n, sequenceNumber: 1n, timestampMs: 10n })),
    ...appendUpdates(aSnapshot({ id: 2n, parent: 1n, sequenceNumber: 2n, timestampMs: 20n })),
  ]).metadata;
  assert.deepEqual(table.snapshotLog, [{ timestampMs: 20n, snapshotId: 2n }]);
  assert.equal(table.currentSnapshotId, 2n);
});

test('last-updated-ms never precedes the snapshot a client stamped slightly ahead of the server', () => {
  const ahead = aSnapshot({ id: 1n, timestampMs: 1_700_000_030_000n });
  const table = commitTo(aTable(), appendUpdates(ahead)).metadata;
  assert.equal(table.lastUpdatedMs, 1_700_000_030_000n);
});

test('a schema change that drops a partition source column is rejected at build', () => {
  const table = aTable({ partitionFields: [aPartitionField()] });
  assertBadRequest(
    () =>
      commitTo(table, [
        { action: 'add-schema', schema: aSchema({ fields: [aField(2, 'data', 'string')] }) },
        { action: 'set-current-schema', schemaId: -1 },
      ]),
    /Cannot find source column for partition field/,
  );
});
