import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AvroError } from './avro-error.js';
import { readContainer } from './container-reader.js';
import { writeContainer } from './container-writer.js';
import {
  DataFileContent,
  ManifestContent,
  ManifestEntryStatus,
  readManifest,
  readManifestList,
  readManifestListFile,
  referencedFilePaths,
  writeManifest,
  writeManifestList,
  type ManifestEntryInput,
} from './iceberg-manifests.js';
import type { AvroRecordSchema } from './schema.js';
import { SNAPPY } from '../../test/support/avro-snappy.js';

const BIG_SNAPSHOT = 2n ** 63n - 1n;
const NEAR_LIMIT = 9223372036854775000n;

function fieldIds(schema: AvroRecordSchema): Record<string, unknown> {
  return Object.fromEntries(schema.fields.map((field) => [field.name, field.attributes['field-id']]));
}

test('a v2 manifest list round-trips, snapshot ids near 2^63 included', () => {
  const bytes = writeManifestList(
    [
      {
        manifest_path: 's3://bucket/t/metadata/a-m0.avro',
        manifest_length: 6042,
        partition_spec_id: 1,
        content: ManifestContent.DATA,
        sequence_number: 7,
        min_sequence_number: 3,
        added_snapshot_id: BIG_SNAPSHOT,
        added_files_count: 2,
        existing_files_count: 1,
        deleted_files_count: 0,
        added_rows_count: 2n ** 40n,
        existing_rows_count: 10,
        deleted_rows_count: 0,
        partitions: [{ contains_null: false, contains_nan: null, lower_bound: Uint8Array.of(1, 0, 0, 0), upper_bound: Uint8Array.of(9, 0, 0, 0) }],
      },
      { manifest_path: 's3://bucket/t/metadata/a-m1.avro', manifest_length: 100, content: ManifestContent.DELETES, sequence_number: 7, added_snapshot_id: NEAR_LIMIT },
    ],
    { formatVersion: 2, snapshotId: BIG_SNAPSHOT, parentSnapshotId: NEAR_LIMIT, sequenceNumber: 7, codec: 'deflate' },
  );
  const list = readManifestListFile(bytes);
  assert.deepEqual(list.metadata['snapshot-id'], String(BIG_SNAPSHOT));
  assert.deepEqual(list.metadata['parent-snapshot-id'], String(NEAR_LIMIT));
  assert.equal(list.metadata['sequence-number'], '7');
  assert.equal(list.metadata['format-version'], '2');
  assert.equal(list.metadata['avro.codec'], 'deflate');
  const [first, second] = list.entries;
  assert.deepEqual(first, {
    manifest_path: 's3://bucket/t/metadata/a-m0.avro',
    manifest_length: 6042n,
    partition_spec_id: 1,
    content: 0,
    sequence_number: 7n,
    min_sequence_number: 3n,
    added_snapshot_id: BIG_SNAPSHOT,
    added_files_count: 2,
    existing_files_count: 1,
    deleted_files_count: 0,
    added_rows_count: 2n ** 40n,
    existing_rows_count: 10n,
    deleted_rows_count: 0n,
    partitions: [{ contains_null: false, contains_nan: null, lower_bound: Uint8Array.of(1, 0, 0, 0), upper_bound: Uint8Array.of(9, 0, 0, 0) }],
    key_metadata: null,
    first_row_id: null,
  });
  assert.equal(second?.content, 1);
  assert.equal(second?.added_snapshot_id, NEAR_LIMIT);
  assert.equal(second?.min_sequence_number, 7n, 'defaults to the sequence number');
  assert.deepEqual(readManifestList(bytes), list.entries);
});

test('the manifest list schema is the spec one, with field ids', () => {
  const { schema } = readContainer(writeManifestList([], { formatVersion: 2, snapshotId: 1 }));
  assert.ok(schema.type === 'record');
  assert.equal(schema.name, 'manifest_file');
  assert.deepEqual(fieldIds(schema), {
    manifest_path: 500,
    manifest_length: 501,
    partition_spec_id: 502,
    content: 517,
    sequence_number: 515,
    min_sequence_number: 516,
    added_snapshot_id: 503,
    added_files_count: 504,
    existing_files_count: 505,
    deleted_files_count: 506,
    added_rows_count: 512,
    existing_rows_count: 513,
    deleted_rows_count: 514,
    partitions: 507,
    key_metadata: 519,
  });
});

test('v1 manifest lists have no content or sequence numbers and read them as 0', () => {
  const bytes = writeManifestList([{ manifest_path: 'file:///t/m.avro', manifest_length: 10, added_snapshot_id: 5 }], { formatVersion: 1 });
  const { schema, metadata } = readContainer(bytes);
  assert.ok(schema.type === 'record');
  assert.equal(schema.fields.some((field) => field.name === 'content' || field.name === 'sequence_number'), false);
  assert.equal(metadata['sequence-number'], undefined);
  assert.equal(metadata['parent-snapshot-id'], 'null');
  const [entry] = readManifestList(bytes);
  assert.equal(entry?.content, 0);
  assert.equal(entry?.sequence_number, 0n);
  assert.equal(entry?.min_sequence_number, 0n);
  assert.equal(entry?.added_snapshot_id, 5n);
  assert.throws(() => writeManifestList([{ manifest_path: 'm', manifest_length: 1, added_snapshot_id: 1, content: 1 }], { formatVersion: 1 }), AvroError);
});

test('v3 manifest lists carry first_row_id', () => {
  const bytes = writeManifestList([{ manifest_path: 'm', manifest_length: 1, added_snapshot_id: 1, first_row_id: 2n ** 50n }], { formatVersion: 3, firstRowId: 0 });
  assert.equal(readManifestListFile(bytes).metadata['first-row-id'], '0');
  assert.equal(readManifestList(bytes)[0]?.first_row_id, 2n ** 50n);
  assert.throws(() => writeManifestList([{ manifest_path: 'm', manifest_length: 1, added_snapshot_id: 1, first_row_id: 1 }], { formatVersion: 2 }), AvroError);
});

test('manifest lists are read by field id, whatever the field names', () => {
  // Unrelated names and order; only the ids match the spec. The field named like a spec field but
  // carrying another id is someone else's column and must not be mistaken for it.
  const schema = {
    type: 'record',
    name: 'renamed',
    fields: [
      { name: 'snap', type: ['null', 'long'], 'field-id': 503 },
      { name: 'path', type: 'string', 'field-id': 500 },
      { name: 'len', type: 'long', 'field-id': 501 },
      { name: 'spec', type: 'int', 'field-id': 502 },
      { name: 'added_files_count', type: 'int', 'field-id': 9999 },
    ],
  };
  const bytes = writeContainer(schema, [{ snap: null, path: 's3://b/m.avro', len: 12, spec: 0, added_files_count: 4 }]);
  const [entry] = readManifestList(bytes);
  assert.equal(entry?.manifest_path, 's3://b/m.avro');
  assert.equal(entry?.manifest_length, 12n);
  assert.equal(entry?.added_snapshot_id, null);
  assert.equal(entry?.added_files_count, null);
});

test('manifest lists without field ids are read by spec names and older aliases', () => {
  const schema = {
    type: 'record',
    name: 'legacy',
    fields: [
      { name: 'manifest_path', type: 'string' },
      { name: 'manifest_length', type: 'long' },
      { name: 'partition_spec_id', type: 'int' },
      { name: 'added_snapshot_id', type: ['null', 'long'] },
      { name: 'added_data_files_count', type: ['null', 'int'] },
    ],
  };
  const bytes = writeContainer(schema, [{ manifest_path: 's3://b/m.avro', manifest_length: 12, partition_spec_id: 0, added_snapshot_id: 3, added_data_files_count: 4 }]);
  const [entry] = readManifestList(bytes);
  assert.equal(entry?.manifest_path, 's3://b/m.avro');
  assert.equal(entry?.added_snapshot_id, 3n);
  assert.equal(entry?.added_files_count, 4);
});

test('a manifest list entry without a path is an AvroError', () => {
  const bytes = writeContainer({ type: 'record', name: 'x', fields: [{ name: 'manifest_length', type: 'long' }] }, [{ manifest_length: 1 }]);
  assert.throws(() => readManifestList(bytes), /manifest_path/);
});

const PARTITION_FIELDS = [
  { name: 'day', fieldId: 1000, sourceId: 2, transform: 'day', avroType: { type: 'int', logicalType: 'date' } },
  { name: 'region', fieldId: 1001, sourceId: 3, transform: 'identity', avroType: 'string' },
];
const TABLE_SCHEMA = {
  type: 'struct',
  'schema-id': 4,
  fields: [
    { id: 1, name: 'id', required: true, type: 'long' },
    { id: 2, name: 'ts', required: false, type: 'timestamptz' },
    { id: 3, name: 'region', required: false, type: 'string' },
  ],
};

test('a v2 data manifest round-trips with partitions and metrics', () => {
  const entries: ManifestEntryInput[] = [
    {
      status: ManifestEntryStatus.ADDED,
      snapshot_id: BIG_SNAPSHOT,
      data_file: {
        file_path: 's3://bucket/t/data/day=2024-01-01/a.parquet',
        file_format: 'PARQUET',
        partition: { day: 19723, region: 'eu' },
        record_count: 10,
        file_size_in_bytes: 2n ** 33n,
        column_sizes: new Map([[1, 80n]]),
        value_counts: new Map([[1, 10n], [2, 10n]]),
        null_value_counts: new Map([[2, 0n]]),
        lower_bounds: new Map([[1, Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0)]]),
        upper_bounds: new Map([[1, Uint8Array.of(10, 0, 0, 0, 0, 0, 0, 0)]]),
        split_offsets: [4n],
        sort_order_id: 0,
      },
    },
    { status: ManifestEntryStatus.EXISTING, snapshot_id: 3, sequence_number: 1, file_sequence_number: 1, data_file: { file_path: 's3://bucket/t/data/b.parquet', partition: { day: null, region: null } } },
    { status: ManifestEntryStatus.DELETED, snapshot_id: NEAR_LIMIT, data_file: { file_path: 's3://bucket/t/data/c.parquet', partition: { day: 1, region: 'us' } } },
  ];
  const bytes = writeManifest(entries, { formatVersion: 2, schema: TABLE_SCHEMA, partitionSpecId: 3, partitionFields: PARTITION_FIELDS, codec: 'deflate' });
  const manifest = readManifest(bytes);
  assert.equal(manifest.formatVersion, 2);
  assert.equal(manifest.content, 'data');
  assert.equal(manifest.metadata['format-version'], '2');
  assert.equal(manifest.metadata['content'], 'data');
  assert.equal(manifest.metadata['schema-id'], '4');
  assert.equal(manifest.metadata['partition-spec-id'], '3');
  assert.deepEqual(JSON.parse(manifest.metadata['schema'] ?? ''), TABLE_SCHEMA);
  assert.deepEqual(JSON.parse(manifest.metadata['partition-spec'] ?? ''), [
    { name: 'day', transform: 'day', 'source-id': 2, 'field-id': 1000 },
    { name: 'region', transform: 'identity', 'source-id': 3, 'field-id': 1001 },
  ]);

  const [added, existing, deleted] = manifest.entries;
  assert.deepEqual(added, {
    status: 1,
    snapshot_id: BIG_SNAPSHOT,
    sequence_number: null,
    file_sequence_number: null,
    data_file: {
      content: DataFileContent.DATA,
      file_path: 's3://bucket/t/data/day=2024-01-01/a.parquet',
      file_format: 'PARQUET',
      partition: { day: 19723, region: 'eu' },
      record_count: 10n,
      file_size_in_bytes: 2n ** 33n,
      column_sizes: new Map([[1, 80n]]),
      value_counts: new Map([[1, 10n], [2, 10n]]),
      null_value_counts: new Map([[2, 0n]]),
      nan_value_counts: null,
      lower_bounds: new Map([[1, Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0)]]),
      upper_bounds: new Map([[1, Uint8Array.of(10, 0, 0, 0, 0, 0, 0, 0)]]),
      key_metadata: null,
      split_offsets: [4n],
      equality_ids: null,
      sort_order_id: 0,
      first_row_id: null,
      referenced_data_file: null,
      content_offset: null,
      content_size_in_bytes: null,
    },
  });
  assert.equal(existing?.sequence_number, 1n);
  assert.deepEqual(existing?.data_file.partition, { day: null, region: null });
  assert.equal(deleted?.status, 2);
  assert.equal(deleted?.snapshot_id, NEAR_LIMIT);
});

test('the manifest entry schema is the spec one, with field ids', () => {
  const { schema } = readContainer(writeManifest([], { formatVersion: 2, partitionFields: PARTITION_FIELDS }));
  assert.ok(schema.type === 'record');
  assert.equal(schema.name, 'manifest_entry');
  assert.deepEqual(fieldIds(schema), { status: 0, snapshot_id: 1, sequence_number: 3, file_sequence_number: 4, data_file: 2 });
  const dataFile = schema.fields.find((field) => field.name === 'data_file')?.type;
  assert.ok(dataFile?.type === 'record');
  assert.equal(dataFile.name, 'r2');
  assert.deepEqual(fieldIds(dataFile), {
    content: 134,
    file_path: 100,
    file_format: 101,
    partition: 102,
    record_count: 103,
    file_size_in_bytes: 104,
    column_sizes: 108,
    value_counts: 109,
    null_value_counts: 110,
    nan_value_counts: 137,
    lower_bounds: 125,
    upper_bounds: 128,
    key_metadata: 131,
    split_offsets: 132,
    equality_ids: 135,
    sort_order_id: 140,
    referenced_data_file: 143,
  });
  const partition = dataFile.fields.find((field) => field.name === 'partition')?.type;
  assert.ok(partition?.type === 'record');
  assert.deepEqual(fieldIds(partition), { day: 1000, region: 1001 });
  const lowerBounds = dataFile.fields.find((field) => field.name === 'lower_bounds')?.type;
  assert.ok(lowerBounds?.type === 'union' && lowerBounds.branches[1]?.type === 'array');
  assert.equal(lowerBounds.branches[1].attributes['logicalType'], 'map');
  const pair = lowerBounds.branches[1].items;
  assert.ok(pair.type === 'record');
  assert.equal(pair.name, 'k126_v127');
  assert.deepEqual(fieldIds(pair), { key: 126, value: 127 });
});

test('a v2 delete manifest holds position and equality deletes', () => {
  const bytes = writeManifest(
    [
      { snapshot_id: 9, data_file: { content: DataFileContent.POSITION_DELETES, file_path: 's3://b/t/data/pos.parquet', referenced_data_file: 's3://b/t/data/a.parquet' } },
      { snapshot_id: 9, data_file: { content: DataFileContent.EQUALITY_DELETES, file_path: 's3://b/t/data/eq.parquet', equality_ids: [1, 3] } },
    ],
    { formatVersion: 2, content: 'deletes' },
  );
  const manifest = readManifest(bytes);
  assert.equal(manifest.content, 'deletes');
  assert.deepEqual(
    manifest.entries.map((entry) => [entry.data_file.content, entry.data_file.referenced_data_file, entry.data_file.equality_ids]),
    [
      [1, 's3://b/t/data/a.parquet', null],
      [2, null, [1, 3]],
    ],
  );
  assert.throws(() => writeManifest([{ data_file: { file_path: 'x', content: 0 } }], { formatVersion: 2, content: 'deletes' }), AvroError);
  assert.throws(() => writeManifest([{ data_file: { file_path: 'x', content: 1 } }], { formatVersion: 2 }), AvroError);
});

test('v1 manifests have no content field and read every file as data', () => {
  const bytes = writeManifest([{ snapshot_id: BIG_SNAPSHOT, data_file: { file_path: 'file:///t/data/a.avro', file_format: 'AVRO', record_count: 1, file_size_in_bytes: 10 } }], { formatVersion: 1 });
  const { schema } = readContainer(bytes);
  const dataFile = schema.type === 'record' ? schema.fields.find((field) => field.name === 'data_file')?.type : undefined;
  assert.ok(dataFile?.type === 'record');
  assert.equal(dataFile.fields.some((field) => field.name === 'content'), false);
  assert.equal(dataFile.fields.some((field) => field.name === 'block_size_in_bytes'), true);
  const manifest = readManifest(bytes);
  assert.equal(manifest.formatVersion, 1);
  assert.equal(manifest.content, 'data');
  assert.equal(manifest.entries[0]?.data_file.content, 0);
  assert.equal(manifest.entries[0]?.snapshot_id, BIG_SNAPSHOT);
  assert.throws(() => writeManifest([{ data_file: { file_path: 'x' } }], { formatVersion: 1 }), /snapshot_id/);
  assert.throws(() => writeManifest([], { formatVersion: 1, content: 'deletes' }), AvroError);
});

test('v3 manifests carry deletion-vector and row-lineage fields', () => {
  const bytes = writeManifest(
    [
      {
        snapshot_id: 1,
        data_file: {
          content: 1,
          file_path: 's3://b/t/data/dv.puffin',
          file_format: 'PUFFIN',
          referenced_data_file: 's3://b/t/data/a.parquet',
          content_offset: 4,
          content_size_in_bytes: 2n ** 35n,
        },
      },
    ],
    { formatVersion: 3, content: 'deletes' },
  );
  const [entry] = readManifest(bytes).entries;
  assert.equal(entry?.data_file.content_offset, 4n);
  assert.equal(entry?.data_file.content_size_in_bytes, 2n ** 35n);
  assert.equal(entry?.data_file.referenced_data_file, 's3://b/t/data/a.parquet');
  assert.throws(() => writeManifest([{ data_file: { file_path: 'x', first_row_id: 1 } }], { formatVersion: 2 }), /format version 3/);
});

test('referencedFilePaths lists every entry\'s file once, deleted entries included', () => {
  const entries: ManifestEntryInput[] = [
    { status: 1, data_file: { file_path: 's3://b/a.parquet' } },
    { status: 2, data_file: { file_path: 's3://b/gone.parquet' } },
    { status: 0, data_file: { file_path: 's3://b/a.parquet' } },
  ];
  const data = readManifest(writeManifest(entries, { formatVersion: 2 })).entries;
  const deletes = readManifest(writeManifest([{ data_file: { file_path: 's3://b/pos.parquet', content: 1, referenced_data_file: 's3://b/a.parquet' } }], { formatVersion: 2, content: 'deletes' })).entries;
  assert.deepEqual(referencedFilePaths([...data, ...deletes]), ['s3://b/a.parquet', 's3://b/gone.parquet', 's3://b/pos.parquet']);
});

test('fixtures written with every codec read back', () => {
  for (const codec of ['null', 'deflate', 'snappy'] as const) {
    const bytes = writeManifest([{ snapshot_id: 1, data_file: { file_path: `s3://b/${codec}.parquet` } }], { formatVersion: 2, codec: codec === 'snappy' ? SNAPPY : codec });
    assert.deepEqual(referencedFilePaths(readManifest(bytes).entries), [`s3://b/${codec}.parquet`]);
  }
});

test('a manifest with a bad status or unknown content is an AvroError', () => {
  assert.throws(() => readManifest(writeManifest([{ status: 5, data_file: { file_path: 'x' } }], { formatVersion: 2 })), /status/);
  const schema = { type: 'record', name: 'e', fields: [{ name: 'status', type: 'int', 'field-id': 0 }] };
  assert.throws(() => readManifest(writeContainer(schema, [{ status: 1 }], { metadata: { content: 'mystery' } })), /content/);
  assert.throws(() => readManifest(writeContainer(schema, [{ status: 1 }])), /data_file/);
});

/**
 * A v1-style manifest list written by another implementation (fastavro 1.12.2, snappy codec): its
 * blocks use real snappy back-references, unlike this package's literal-only writer.
 */
const FOREIGN_SNAPPY_LIST =
  'T2JqAQYcZm9ybWF0LXZlcnNpb24CMRRhdnJvLmNvZGVjDHNuYXBweRZhdnJvLnNjaGVtYZoFeyJ0eXBlIjogInJlY29yZCIsICJuYW1lIjogIm1hbmlmZXN0X2ZpbGUiLCAiZmllbGRzIjogW3siZmllbGQtaWQiOiA1MDAsICJuYW1lIjogIm1hbmlmZXN0X3BhdGgiLCAidHlwZSI6ICJzdHJpbmcifSwgeyJmaWVsZC1pZCI6IDUwMSwgIm5hbWUiOiAibWFuaWZlc3RfbGVuZ3RoIiwgInR5cGUiOiAibG9uZyJ9LCB7ImZpZWxkLWlkIjogNTAyLCAibmFtZSI6ICJwYXJ0aXRpb25fc3BlY19pZCIsICJ0eXBlIjogImludCJ9LCB7ImZpZWxkLWlkIjogNTAzLCAiZGVmYXVsdCI6IG51bGwsICJuYW1lIjogImFkZGVkX3NuYXBzaG90X2lkIiwgInR5cGUiOiBbIm51bGwiLCAibG9uZyJdfV19AAABAgMEBQYHCAkKCwwNDg8M3AKqA/BAcHMzOi8vd2FyZWhvdXNlL2RiL3RhYmxlL21ldGFkYXRhL3NuYXAtMC0xLWFiY2FiY2FiYy5hdnJvgEAAAv7///8FAgABmkcABDEtPkcAEIJAAAL8BUQE//+iRwAAMkJHABCEQAAC+gFDAQGejgAAM0JHABCGQAAC+AFDAQGeRwAANEJHABCIQAAC9gFDAQGeRwAANUJHADSKQAAC9P//////////AREd5ewAAQIDBAUGBwgJCgsMDQ4P';

test('a snappy manifest list written by another Avro implementation reads correctly', () => {
  const list = readManifestListFile(Buffer.from(FOREIGN_SNAPPY_LIST, 'base64'));
  assert.equal(list.metadata['avro.codec'], 'snappy');
  assert.equal(list.metadata['format-version'], '1');
  assert.deepEqual(
    list.entries.map((entry) => [entry.manifest_path, entry.manifest_length, entry.added_snapshot_id, entry.content, entry.sequence_number]),
    Array.from({ length: 6 }, (_, index) => [`s3://warehouse/db/table/metadata/snap-${index}-1-abcabcabc.avro`, 4096n + BigInt(index), 2n ** 63n - 1n - BigInt(index), 0, 0n]),
  );
});
