import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTable } from './create-table.js';
import { serializeTableMetadata } from './serialize.js';
import { aField, aPartitionField, aSchema, assertBadRequest, aSortField, aTable, NOW, TABLE_LOCATION, TABLE_UUID } from './test-fixtures.js';
import type { SchemaInput } from './types.js';

/** The RCK's nested example, sent with arbitrary ids. */
const nestedSchema: SchemaInput = {
  fields: [
    aField(10, 'id', 'long', true),
    aField(11, 'data', 'string'),
    aField(12, 'list', { type: 'list', elementId: 13, element: 'string', elementRequired: false }),
    aField(14, 'map', { type: 'map', keyId: 15, key: 'string', valueId: 16, value: 'int', valueRequired: false }),
    aField(17, 'struct', { type: 'struct', fields: [aField(18, 'child', 'string')] }),
  ],
  identifierFieldIds: [10],
};

test('assigns fresh column ids level by level', () => {
  const table = aTable({ schema: nestedSchema });
  const [schema] = table.schemas;
  assert.deepEqual(
    schema?.fields.map((field) => field.id),
    [1, 2, 3, 4, 5],
  );
  assert.deepEqual(schema?.fields[2]?.type, { type: 'list', elementId: 6, element: 'string', elementRequired: false });
  assert.deepEqual(schema?.fields[3]?.type, { type: 'map', keyId: 7, key: 'string', valueId: 8, value: 'int', valueRequired: false });
  assert.deepEqual(schema?.fields[4]?.type, { type: 'struct', fields: [aField(9, 'child', 'string')] });
  assert.equal(table.lastColumnId, 9);
  assert.equal(schema?.schemaId, 0);
});

test('nested structs are numbered depth first after their own level', () => {
  const table = aTable({
    schema: {
      fields: [
        aField(1, 'a', { type: 'list', elementId: 2, element: { type: 'struct', fields: [aField(3, 'x', 'int'), aField(4, 'y', 'int')] }, elementRequired: true }),
        aField(5, 'b', 'int'),
      ],
      identifierFieldIds: [],
    },
  });
  const [schema] = table.schemas;
  assert.deepEqual(schema?.fields.map((field) => field.id), [1, 2]);
  assert.deepEqual(schema?.fields[0]?.type, {
    type: 'list',
    elementId: 3,
    element: { type: 'struct', fields: [aField(4, 'x', 'int'), aField(5, 'y', 'int')] },
    elementRequired: true,
  });
});

test('identifier field ids follow their columns to the new ids', () => {
  assert.deepEqual(aTable({ schema: nestedSchema }).schemas[0]?.identifierFieldIds, [1]);
});

test('request ids 3 and 4 become 1 and 2', () => {
  const table = aTable({ schema: aSchema({ fields: [aField(3, 'id', 'long', true), aField(4, 'data', 'string')] }) });
  assert.deepEqual(table.schemas[0]?.fields.map((field) => field.id), [1, 2]);
});

test('partition fields are re-bound by column name and numbered from 1000', () => {
  const table = aTable({
    schema: aSchema({ fields: [aField(7, 'id', 'long', true), aField(8, 'data', 'string')] }),
    partitionFields: [aPartitionField({ sourceId: 8, name: 'data_bucket', fieldId: 5 }), aPartitionField({ sourceId: 7, name: 'id', transform: 'identity' })],
  });
  assert.deepEqual(table.partitionSpecs, [
    {
      specId: 0,
      fields: [
        { sourceId: 2, name: 'data_bucket', transform: 'bucket[16]', fieldId: 1000 },
        { sourceId: 1, name: 'id', transform: 'identity', fieldId: 1001 },
      ],
    },
  ]);
  assert.equal(table.lastPartitionId, 1001);
});

test('an unpartitioned table has last-partition-id 999', () => {
  const table = aTable();
  assert.deepEqual(table.partitionSpecs, [{ specId: 0, fields: [] }]);
  assert.equal(table.lastPartitionId, 999);
});

test('a sorted table has only sort order 1, re-bound by name', () => {
  const table = aTable({
    schema: aSchema({ fields: [aField(7, 'id', 'long', true), aField(8, 'data', 'string')] }),
    sortFields: [aSortField({ sourceId: 8, direction: 'desc', nullOrder: 'nulls-last' })],
  });
  assert.deepEqual(table.sortOrders, [{ orderId: 1, fields: [aSortField({ sourceId: 2, direction: 'desc', nullOrder: 'nulls-last' })] }]);
  assert.equal(table.defaultSortOrderId, 1);
});

test('an unsorted table has sort order 0', () => {
  const table = aTable();
  assert.deepEqual(table.sortOrders, [{ orderId: 0, fields: [] }]);
  assert.equal(table.defaultSortOrderId, 0);
});

test('format-version and other reserved properties are not stored', () => {
  const table = aTable({ properties: { 'format-version': '1', uuid: 'x', 'current-snapshot-id': '3', owner: 'alice' } });
  assert.equal(table.formatVersion, 1);
  assert.deepEqual(table.properties, { 'write.parquet.compression-codec': 'zstd', owner: 'alice' });
});

test('the requested parquet codec wins over the zstd default', () => {
  assert.equal(aTable({ properties: { 'write.parquet.compression-codec': 'snappy' } }).properties['write.parquet.compression-codec'], 'snappy');
});

test('the default format version is 2', () => {
  assert.equal(aTable().formatVersion, 2);
});

test('rejects an invalid or unsupported format-version', () => {
  assertBadRequest(() => aTable({ properties: { 'format-version': 'two' } }), 'Invalid format-version property: two');
  assertBadRequest(() => aTable({ properties: { 'format-version': '4' } }), 'Unsupported format version: v4 (supported: v3)');
});

test('a variant column on a v2 table is rejected with Java\'s message', () => {
  const schema = aSchema({ fields: [aField(1, 'id', 'long', true), aField(2, 'v', 'variant')] });
  assertBadRequest(() => aTable({ schema }), 'Invalid schema for v2: - Invalid type for v: variant is not supported until v3');
});

test('every v3-only type is rejected below v3 and accepted in v3', () => {
  for (const type of ['unknown', 'geometry', 'geography', 'timestamp_ns', 'timestamptz_ns', 'variant']) {
    const schema = aSchema({ fields: [aField(1, 'id', 'long', true), aField(2, 'c', { type: 'list', elementId: 3, element: type, elementRequired: false })] });
    assertBadRequest(() => aTable({ schema, formatVersion: 2 }), new RegExp(`Invalid type for c.element: ${type} is not supported until v3`));
    assert.equal(aTable({ schema, formatVersion: 3 }).formatVersion, 3);
  }
});

test('v3 keeps initial and write defaults as given', () => {
  const schema = aSchema({ fields: [aField(1, 'id', 'long', true), { ...aField(2, 'n', 'int'), initialDefault: 5, writeDefault: 6 }] });
  assert.deepEqual(aTable({ schema, formatVersion: 3 }).schemas[0]?.fields[1], { ...aField(2, 'n', 'int'), initialDefault: 5, writeDefault: 6 });
});

test('a new table has no snapshot: -1 in v1/v2 files, no field in v3, next-row-id 0 in v3', () => {
  assert.equal(serializeTableMetadata(aTable({ formatVersion: 2 }))['current-snapshot-id'], -1);
  const v3 = serializeTableMetadata(aTable({ formatVersion: 3 }));
  assert.ok(!('current-snapshot-id' in v3));
  assert.equal(v3['next-row-id'], 0);
});

test('identity, timestamps, location and logs of a new table', () => {
  const table = createTable({ name: 't', location: `${TABLE_LOCATION}/`, schema: aSchema() }, { now: NOW, newUuid: () => TABLE_UUID });
  assert.equal(table.tableUuid, TABLE_UUID);
  assert.equal(table.location, TABLE_LOCATION);
  assert.equal(table.lastUpdatedMs, BigInt(NOW));
  assert.equal(table.lastSequenceNumber, 0n);
  assert.deepEqual([table.snapshots, table.snapshotLog, table.metadataLog, table.refs], [[], [], [], {}]);
});

test('rejects a partition source column that is not in the schema', () => {
  assertBadRequest(() => aTable({ partitionFields: [aPartitionField({ sourceId: 42 })] }), 'Cannot find source column for partition field id_bucket: 42');
});

test('rejects a sort on a column a transform cannot handle', () => {
  assertBadRequest(() => aTable({ sortFields: [aSortField({ sourceId: 2, transform: 'day' })] }), 'Invalid source type string for transform: day');
});
