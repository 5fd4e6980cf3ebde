import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson, stringifyJson } from '../json/lossless-json.js';
import { commit } from './commit.js';
import { createTable } from './create-table.js';
import { parseTableMetadata, serializeTableMetadata } from './serialize.js';
import {
  aContext,
  aField,
  aPartitionField,
  aSchema,
  aSnapshot,
  aSortField,
  assertBadRequest,
  aTable,
  aTableWithSnapshots,
  appendUpdates,
  commitTo,
  NOW,
  TABLE_LOCATION,
  TABLE_UUID,
} from './test-fixtures.js';
import type { TableMetadata } from './types.js';

const MAX_LONG = 9223372036854775807n;
const MIN_LONG = -9223372036854775808n;

function roundTrip(table: TableMetadata): TableMetadata {
  return parseTableMetadata(parseJson(stringifyJson(serializeTableMetadata(table))));
}

test('v2 metadata has the v2 fields only', () => {
  const json = serializeTableMetadata(aTable());
  assert.deepEqual(Object.keys(json), [
    'format-version', 'table-uuid', 'location', 'last-sequence-number', 'last-updated-ms', 'last-column-id',
    'current-schema-id', 'schemas', 'default-spec-id', 'partition-specs', 'last-partition-id', 'default-sort-order-id',
    'sort-orders', 'properties', 'current-snapshot-id', 'refs', 'snapshots', 'statistics', 'partition-statistics',
    'snapshot-log', 'metadata-log',
  ]);
});

test('v1 metadata also writes the deprecated schema and partition-spec and omits last-sequence-number', () => {
  const json = serializeTableMetadata(aTable({ formatVersion: 1, partitionFields: [aPartitionField()] }));
  assert.equal(json['last-sequence-number'], undefined);
  assert.deepEqual(json['partition-spec'], [{ name: 'id_bucket', transform: 'bucket[16]', 'source-id': 1, 'field-id': 1000 }]);
  assert.deepEqual((json['schema'] as { fields: unknown[] }).fields.length, 2);
  assert.equal(json['current-snapshot-id'], -1);
});

test('v3 metadata writes next-row-id and leaves out an absent current snapshot (the REST spec has no null for it)', () => {
  const json = serializeTableMetadata(aTable({ formatVersion: 3 }));
  assert.equal(json['next-row-id'], 0);
  assert.ok(!('current-snapshot-id' in json));
});

test('encryption keys are omitted when empty and written when present', () => {
  assert.equal(Object.hasOwn(serializeTableMetadata(aTable({ formatVersion: 3 })), 'encryption-keys'), false);
  const withKey = commitTo(aTable({ formatVersion: 3 }), [{ action: 'add-encryption-key', encryptionKey: { keyId: 'k', encryptedKeyMetadata: 'AA==' } }]).metadata;
  assert.deepEqual(serializeTableMetadata(withKey)['encryption-keys'], [{ 'key-id': 'k', 'encrypted-key-metadata': 'AA==' }]);
});

test('fields are written in kebab case as the spec names them', () => {
  const table = commitTo(aTableWithSnapshots(1), [{ action: 'set-snapshot-ref', refName: 'b', type: 'branch', snapshotId: 1n, maxRefAgeMs: 5n, minSnapshotsToKeep: 2 }]).metadata;
  const json = serializeTableMetadata(table);
  assert.deepEqual((json['refs'] as Record<string, unknown>)['b'], { 'snapshot-id': 1, type: 'branch', 'min-snapshots-to-keep': 2, 'max-ref-age-ms': 5 });
  assert.deepEqual(json['snapshot-log'], [{ 'timestamp-ms': NOW + 1, 'snapshot-id': 1 }]);
});

for (const formatVersion of [1, 2, 3] as const) {
  test(`v${formatVersion} metadata survives serialize and parse unchanged`, () => {
    const table = commitTo(
      aTableWithSnapshots(
        3,
        aTable({
          formatVersion,
          schema: aSchema({ fields: [aField(1, 'id', 'long', true), aField(2, 'm', { type: 'map', keyId: 3, key: 'string', valueId: 4, value: 'decimal(10, 2)', valueRequired: true })], identifierFieldIds: [1] }),
          partitionFields: [aPartitionField()],
          sortFields: [aSortField({ direction: 'desc' })],
          properties: { owner: 'alice' },
        }),
      ),
      [
        { action: 'set-snapshot-ref', refName: 'tag1', type: 'tag', snapshotId: 2n, maxRefAgeMs: 1000n },
        { action: 'set-statistics', statistics: { snapshotId: 2n, statisticsPath: 's3://b/s.puffin', fileSizeInBytes: 10n, fileFooterSizeInBytes: 2n, blobMetadata: [{ type: 't', snapshotId: 2n, sequenceNumber: 2n, fields: [1], properties: { a: 'b' } }] } },
        { action: 'set-partition-statistics', partitionStatistics: { snapshotId: 2n, statisticsPath: 's3://b/p.parquet', fileSizeInBytes: 3n } },
      ],
      [],
      { previousMetadataLocation: `${TABLE_LOCATION}/metadata/00003-x.metadata.json`, now: NOW + 100 },
    ).metadata;
    assert.deepEqual(roundTrip(table), table);
  });
}

test('snapshot ids near 2^63 round-trip through create, commit, serialize and parse', () => {
  const created = createTable({ name: 't', location: TABLE_LOCATION, schema: aSchema() }, { now: NOW, newUuid: () => TABLE_UUID });
  const first = commit(created, [{ type: 'assert-ref-snapshot-id', ref: 'main', snapshotId: null }], appendUpdates(aSnapshot({ id: MAX_LONG, sequenceNumber: 1n })), aContext()).metadata;
  const second = commit(
    roundTrip(first),
    [{ type: 'assert-ref-snapshot-id', ref: 'main', snapshotId: MAX_LONG }],
    appendUpdates(aSnapshot({ id: MIN_LONG, parent: MAX_LONG, sequenceNumber: 2n })),
    aContext(),
  ).metadata;
  const text = stringifyJson(serializeTableMetadata(second));
  assert.match(text, /"current-snapshot-id":-9223372036854775808/);
  assert.match(text, /"parent-snapshot-id":9223372036854775807/);
  const parsed = parseTableMetadata(parseJson(text));
  assert.equal(parsed.currentSnapshotId, MIN_LONG);
  assert.deepEqual(parsed.snapshots.map((snapshot) => snapshot.snapshotId), [MAX_LONG, MIN_LONG]);
  assert.deepEqual(parsed, second);
});

test('parses a v1 file with a bare schema, a field list spec without ids and no refs', () => {
  const parsed = parseTableMetadata({
    'format-version': 1,
    'table-uuid': TABLE_UUID,
    location: TABLE_LOCATION,
    'last-updated-ms': NOW,
    'last-column-id': 2,
    schema: { type: 'struct', fields: [{ id: 1, name: 'id', required: true, type: 'long' }, { id: 2, name: 'ts', required: false, type: 'timestamp' }] },
    'partition-spec': [{ name: 'ts_day', transform: 'day', 'source-id': 2 }],
    properties: {},
    'current-snapshot-id': 3,
    snapshots: [{ 'snapshot-id': 3, 'timestamp-ms': NOW, manifests: ['s3://b/m1.avro'] }],
  });
  assert.equal(parsed.currentSchemaId, 0);
  assert.deepEqual(parsed.partitionSpecs, [{ specId: 0, fields: [{ sourceId: 2, name: 'ts_day', transform: 'day', fieldId: 1000 }] }]);
  assert.equal(parsed.lastPartitionId, 1000);
  assert.deepEqual(parsed.sortOrders, [{ orderId: 0, fields: [] }]);
  assert.deepEqual(parsed.refs, { main: { snapshotId: 3n, type: 'branch' } });
});

test('-1 as current-snapshot-id reads as no current snapshot', () => {
  assert.equal(roundTrip(aTable()).currentSnapshotId, null);
});

test('rejects metadata of an unsupported format version', () => {
  assertBadRequest(() => parseTableMetadata({ ...serializeTableMetadata(aTable()), 'format-version': 4 }), 'metadata.format-version: unsupported format version v4 (supported: v3)');
});

test('rejects a snapshot id that is not a 64-bit integer, naming its path', () => {
  const json = serializeTableMetadata(aTableWithSnapshots(1));
  const snapshots = json['snapshots'] as Record<string, unknown>[];
  assertBadRequest(
    () => parseTableMetadata({ ...json, snapshots: [{ ...snapshots[0], 'snapshot-id': 2n ** 64n }] }),
    'metadata.snapshots[0].snapshot-id: expected a 64-bit integer',
  );
});

test('rejects a current snapshot that main does not point to', () => {
  const json = serializeTableMetadata(aTableWithSnapshots(2));
  assertBadRequest(() => parseTableMetadata({ ...json, 'current-snapshot-id': 1 }), /current snapshot id does not match main branch \(1 != 2\)/);
});
