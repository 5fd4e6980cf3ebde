import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataFile } from '../../avro/iceberg-manifest-types.js';
import { partitionFieldsOf } from '../pruning/index.js';
import { dataFileJson, deleteFileJson } from './content-file-json.js';
import { bytes, IDENTITY_SPEC, SCHEMA } from './test-fixtures.js';

const context = { specId: 0, fields: partitionFieldsOf(IDENTITY_SPEC, SCHEMA) };

function aFile(extra: Partial<DataFile> = {}): DataFile {
  return {
    content: 0, file_path: 'f', file_format: 'PARQUET', partition: { category: 'a' }, record_count: 1n, file_size_in_bytes: 1n,
    column_sizes: null, value_counts: null, null_value_counts: null, nan_value_counts: null, lower_bounds: null, upper_bounds: null,
    key_metadata: null, split_offsets: null, equality_ids: null, sort_order_id: null, first_row_id: null,
    referenced_data_file: null, content_offset: null, content_size_in_bytes: null, ...extra,
  };
}

describe('content file JSON', () => {
  it('writes key metadata as uppercase hex, split offsets, the sort order and the first row id', () => {
    const json = dataFileJson(aFile({ key_metadata: Uint8Array.of(0xab, 0x01), split_offsets: [4n, 100n], sort_order_id: 1, first_row_id: 7n }), context, new Map());

    assert.equal(json['key-metadata'], 'AB01');
    assert.deepEqual(json['split-offsets'], [4n, 100n]);
    assert.equal(json['sort-order-id'], 1);
    assert.equal(json['first-row-id'], 7n);
  });

  it('leaves out a bound that does not decode as its column’s type', () => {
    const stats = new Map([[1, 'long' as const], [2, 'string' as const]]);
    const json = dataFileJson(aFile({ lower_bounds: new Map([[1, Uint8Array.of(1, 2, 3)], [2, bytes('string', 'x')]]) }), context, stats);

    assert.deepEqual(json['lower-bounds'], { keys: [2], values: ['x'] });
  });

  it('writes a partition value that does not read as its field’s type as null', () => {
    const json = dataFileJson(aFile({ partition: { category: 42 } }), context, new Map());

    assert.deepEqual(json['partition'], [null]);
  });

  it('writes an equality delete’s equality ids and content', () => {
    const json = deleteFileJson(aFile({ content: 2, equality_ids: [1, 2] }), context);

    assert.equal(json['content'], 'equality-deletes');
    assert.deepEqual(json['equality-ids'], [1, 2]);
    assert.equal(json['content-offset'], undefined);
  });
});
