/**
 * A manifest's data or delete file as the plan response's ContentFile (DataFile, PositionDeleteFile,
 * EqualityDeleteFile of the REST spec): kebab-case names, `partition` as the spec's list of values
 * in spec order, binary as uppercase hex, lowercase `file-format`.
 *
 * Column metrics (`column-sizes`, `value-counts`, ..., `lower-bounds`, `upper-bounds`) are written
 * only for the `stats-fields` columns, and only on data files: none when the request names none. A
 * bound that does not decode as its column's type is left out, as is a partition value that cannot
 * be read as its field's type (it is written as null).
 */
import { DataFileContent, type DataFile } from '../../avro/iceberg-manifest-types.js';
import type { JsonObject, JsonValue } from '../../json/lossless-json.js';
import { isPrimitive } from '../../metadata/primitive-types.js';
import type { IcebergType } from '../../metadata/types.js';
import { readPartitionTuple, type PartitionFieldInfo } from '../pruning/index.js';
import { decodeSingleValue, formatJsonSingleValue, toValueType } from '../values/index.js';
import { bytesToHex } from '../values/hex.js';

export interface ContentFileContext {
  readonly specId: number;
  readonly fields: readonly PartitionFieldInfo[];
}

/** The spec's `partition`: one value per spec field, in order. */
export function partitionJson(fields: readonly PartitionFieldInfo[], partition: DataFile['partition']): JsonValue[] {
  const tuple = readPartitionTuple(fields, partition);
  return fields.map((field) => {
    const value = tuple.get(field.fieldId);
    if (value?.known !== true || field.resultType === undefined) return null;
    return formatJsonSingleValue(field.resultType, value.value);
  });
}

const CONTENT: Readonly<Record<number, string>> = {
  [DataFileContent.DATA]: 'data',
  [DataFileContent.POSITION_DELETES]: 'position-deletes',
  [DataFileContent.EQUALITY_DELETES]: 'equality-deletes',
};

/** The fields every content file has. */
export function contentFileJson(file: DataFile, context: ContentFileContext): JsonObject {
  return {
    content: CONTENT[file.content] ?? 'data',
    'file-path': file.file_path,
    'file-format': file.file_format.toLowerCase(),
    'spec-id': context.specId,
    partition: partitionJson(context.fields, file.partition),
    'file-size-in-bytes': file.file_size_in_bytes,
    'record-count': file.record_count,
    ...(file.key_metadata !== null ? { 'key-metadata': bytesToHex(file.key_metadata).toUpperCase() } : {}),
    ...(file.split_offsets !== null ? { 'split-offsets': [...file.split_offsets] } : {}),
    ...(file.sort_order_id !== null ? { 'sort-order-id': file.sort_order_id } : {}),
  };
}

/** A data file with the metrics of the `statsColumns` (field id → type). */
export function dataFileJson(file: DataFile, context: ContentFileContext, statsColumns: ReadonlyMap<number, IcebergType>): JsonObject {
  const counts = (name: string, map: ReadonlyMap<number, bigint> | null): JsonObject => {
    const keys = [...statsColumns.keys()].filter((id) => map?.has(id) === true);
    return keys.length === 0 ? {} : { [name]: { keys, values: keys.map((id) => map!.get(id)!) } };
  };
  const bounds = (name: string, map: ReadonlyMap<number, Uint8Array> | null): JsonObject => {
    const keys: number[] = [];
    const values: JsonValue[] = [];
    for (const [id, type] of statsColumns) {
      const bytes = map?.get(id);
      const valueType = bytes !== undefined && isPrimitive(type) ? toValueType(type) : undefined;
      if (bytes === undefined || valueType === undefined) continue;
      const decoded = decodeSingleValue(valueType, bytes);
      if (!decoded.ok) continue;
      keys.push(id);
      values.push(formatJsonSingleValue(valueType, decoded.value));
    }
    return keys.length === 0 ? {} : { [name]: { keys, values } };
  };
  return {
    ...contentFileJson(file, context),
    content: 'data',
    ...(file.first_row_id !== null ? { 'first-row-id': file.first_row_id } : {}),
    ...counts('column-sizes', file.column_sizes),
    ...counts('value-counts', file.value_counts),
    ...counts('null-value-counts', file.null_value_counts),
    ...counts('nan-value-counts', file.nan_value_counts),
    ...bounds('lower-bounds', file.lower_bounds),
    ...bounds('upper-bounds', file.upper_bounds),
  };
}

/** A position or equality delete file (a deletion vector keeps its offset and size). */
export function deleteFileJson(file: DataFile, context: ContentFileContext): JsonObject {
  return {
    ...contentFileJson(file, context),
    ...(file.content === DataFileContent.EQUALITY_DELETES && file.equality_ids !== null ? { 'equality-ids': [...file.equality_ids] } : {}),
    ...(file.content === DataFileContent.POSITION_DELETES && file.content_offset !== null ? { 'content-offset': file.content_offset } : {}),
    ...(file.content === DataFileContent.POSITION_DELETES && file.content_size_in_bytes !== null ? { 'content-size-in-bytes': file.content_size_in_bytes } : {}),
  };
}
