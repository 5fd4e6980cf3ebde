import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataFile } from '../../avro/iceberg-manifest-types.js';
import { DeleteFileIndex, type IndexedDelete } from './delete-index.js';

function aFile(path: string, content: number, extra: Partial<DataFile> = {}): DataFile {
  return {
    content, file_path: path, file_format: 'PARQUET', partition: {}, record_count: 1n, file_size_in_bytes: 1n,
    column_sizes: null, value_counts: null, null_value_counts: null, nan_value_counts: null, lower_bounds: null, upper_bounds: null,
    key_metadata: null, split_offsets: null, equality_ids: null, sort_order_id: null, first_row_id: null,
    referenced_data_file: null, content_offset: null, content_size_in_bytes: null, ...extra,
  };
}

function aDelete(path: string, content: number, sequenceNumber: bigint, options: { partitionKey?: string; unpartitioned?: boolean; file?: Partial<DataFile> } = {}): IndexedDelete {
  return {
    file: aFile(path, content, options.file),
    sequenceNumber,
    specId: 0,
    partitionKey: options.partitionKey ?? '0:["a"]',
    unpartitioned: options.unpartitioned ?? false,
    json: { 'file-path': path },
  };
}

const paths = (index: DeleteFileIndex, refs: number[]): string[] => refs.map((i) => index.deleteFiles()[i]!['file-path'] as string);

describe('DeleteFileIndex', () => {
  it('lists a delete once however many data files it applies to', () => {
    const index = new DeleteFileIndex([aDelete('pos', 1, 5n)]);

    const first = index.referencesFor({ path: 'a', sequenceNumber: 1n, partitionKey: '0:["a"]' });
    const second = index.referencesFor({ path: 'b', sequenceNumber: 2n, partitionKey: '0:["a"]' });

    assert.deepEqual(first, [0]);
    assert.deepEqual(second, [0]);
    assert.equal(index.deleteFiles().length, 1);
  });

  it('lists only deletes some data file refers to', () => {
    const index = new DeleteFileIndex([aDelete('old', 1, 1n), aDelete('used', 1, 3n)]);

    const refs = index.referencesFor({ path: 'a', sequenceNumber: 2n, partitionKey: '0:["a"]' });

    assert.deepEqual(paths(index, refs), ['used']);
    assert.equal(index.deleteFiles().length, 1);
  });

  it('applies a position delete naming a data file only to that file', () => {
    const index = new DeleteFileIndex([aDelete('targeted', 1, 3n, { file: { referenced_data_file: 'b' } })]);

    assert.deepEqual(index.referencesFor({ path: 'a', sequenceNumber: 1n, partitionKey: '0:["a"]' }), []);
    assert.deepEqual(paths(index, index.referencesFor({ path: 'b', sequenceNumber: 1n, partitionKey: '0:["z"]' })), ['targeted']);
  });

  it('does not apply a deletion vector older than its data file, and then keeps the position deletes', () => {
    const dv = aDelete('dv', 1, 1n, { file: { referenced_data_file: 'a', content_offset: 4n, content_size_in_bytes: 10n } });
    const index = new DeleteFileIndex([dv, aDelete('pos', 1, 3n)]);

    assert.deepEqual(paths(index, index.referencesFor({ path: 'a', sequenceNumber: 2n, partitionKey: '0:["a"]' })), ['pos']);
  });

  it('applies equality deletes of another partition only when their spec is unpartitioned', () => {
    const index = new DeleteFileIndex([aDelete('eq-b', 2, 5n, { partitionKey: '0:["b"]' }), aDelete('eq-global', 2, 5n, { partitionKey: '2:[]', unpartitioned: true })]);

    assert.deepEqual(paths(index, index.referencesFor({ path: 'a', sequenceNumber: 1n, partitionKey: '0:["a"]' })), ['eq-global']);
  });
});
