/**
 * The Avro schemas Iceberg writes manifest lists and manifests with, per format version, shaped
 * the way Java's `AvroSchemaUtil` converts them: every field carries its `field-id`, optional fields
 * are `["null", T]` with a null default, lists carry `element-id`, and int-keyed maps become arrays
 * of `k<id>_v<id>` key/value records tagged `logicalType: map` (Avro maps only allow string keys).
 */
import type { FormatVersion } from './iceberg-manifest-types.js';
import {
  DataFileFields as D,
  DataFileNestedIds as N,
  FieldSummaryFields as S,
  ManifestEntryFields as E,
  ManifestFileFields as M,
  PARTITION_SUMMARY_ELEMENT_ID,
  type IcebergField,
} from './iceberg-fields.js';

type Json = unknown;

function required(field: IcebergField, type: Json): Json {
  return { name: field.name, type, 'field-id': field.id };
}

function optional(field: IcebergField, type: Json): Json {
  return { name: field.name, type: ['null', type], default: null, 'field-id': field.id };
}

function list(elementId: number, items: Json): Json {
  return { type: 'array', items, 'element-id': elementId };
}

function intKeyedMap([keyId, valueId]: readonly [number, number], valueType: Json): Json {
  return {
    type: 'array',
    logicalType: 'map',
    items: {
      type: 'record',
      name: `k${keyId}_v${valueId}`,
      fields: [
        { name: 'key', type: 'int', 'field-id': keyId },
        { name: 'value', type: valueType, 'field-id': valueId },
      ],
    },
  };
}

const fieldSummary: Json = {
  type: 'record',
  name: `r${PARTITION_SUMMARY_ELEMENT_ID}`,
  fields: [required(S.containsNull, 'boolean'), optional(S.containsNan, 'boolean'), optional(S.lowerBound, 'bytes'), optional(S.upperBound, 'bytes')],
};

export function manifestListAvroSchema(formatVersion: FormatVersion): Json {
  const v1 = formatVersion === 1;
  const count = (field: IcebergField, type: string): Json => (v1 ? optional(field, type) : required(field, type));
  const fields: Json[] = [
    required(M.manifestPath, 'string'),
    required(M.manifestLength, 'long'),
    required(M.partitionSpecId, 'int'),
    ...(v1 ? [] : [required(M.content, 'int'), required(M.sequenceNumber, 'long'), required(M.minSequenceNumber, 'long')]),
    required(M.addedSnapshotId, 'long'),
    count(M.addedFilesCount, 'int'),
    count(M.existingFilesCount, 'int'),
    count(M.deletedFilesCount, 'int'),
    count(M.addedRowsCount, 'long'),
    count(M.existingRowsCount, 'long'),
    count(M.deletedRowsCount, 'long'),
    optional(M.partitions, list(PARTITION_SUMMARY_ELEMENT_ID, fieldSummary)),
    optional(M.keyMetadata, 'bytes'),
    ...(formatVersion >= 3 ? [optional(M.firstRowId, 'long')] : []),
  ];
  return { type: 'record', name: 'manifest_file', fields };
}

/** One partition value's Avro field: partition fields are always optional in Iceberg. */
export interface PartitionAvroField {
  readonly name: string;
  readonly fieldId: number;
  /** The Avro type of the value, e.g. `'int'`, `'string'`, `{ type: 'int', logicalType: 'date' }`. */
  readonly avroType: Json;
}

export function partitionAvroSchema(fields: readonly PartitionAvroField[]): Json {
  return {
    type: 'record',
    name: `r${D.partition.id}`,
    fields: fields.map((partitionField) => optional({ id: partitionField.fieldId, name: partitionField.name }, partitionField.avroType)),
  };
}

function dataFileAvroSchema(formatVersion: FormatVersion, partition: Json): Json {
  const v1 = formatVersion === 1;
  const v3 = formatVersion >= 3;
  const fields: Json[] = [
    ...(v1 ? [] : [required(D.content, 'int')]),
    required(D.filePath, 'string'),
    required(D.fileFormat, 'string'),
    required(D.partition, partition),
    required(D.recordCount, 'long'),
    required(D.fileSizeInBytes, 'long'),
    ...(v1 ? [required(D.blockSizeInBytes, 'long')] : []),
    optional(D.columnSizes, intKeyedMap(N.columnSizes, 'long')),
    optional(D.valueCounts, intKeyedMap(N.valueCounts, 'long')),
    optional(D.nullValueCounts, intKeyedMap(N.nullValueCounts, 'long')),
    optional(D.nanValueCounts, intKeyedMap(N.nanValueCounts, 'long')),
    optional(D.lowerBounds, intKeyedMap(N.lowerBounds, 'bytes')),
    optional(D.upperBounds, intKeyedMap(N.upperBounds, 'bytes')),
    optional(D.keyMetadata, 'bytes'),
    optional(D.splitOffsets, list(N.splitOffsetsElement, 'long')),
    ...(v1 ? [] : [optional(D.equalityIds, list(N.equalityIdsElement, 'int'))]),
    optional(D.sortOrderId, 'int'),
    ...(v3 ? [optional(D.firstRowId, 'long')] : []),
    ...(v1 ? [] : [optional(D.referencedDataFile, 'string')]),
    ...(v3 ? [optional(D.contentOffset, 'long'), optional(D.contentSizeInBytes, 'long')] : []),
  ];
  return { type: 'record', name: `r${E.dataFile.id}`, fields };
}

export function manifestEntryAvroSchema(formatVersion: FormatVersion, partition: Json): Json {
  const v1 = formatVersion === 1;
  const fields: Json[] = [
    required(E.status, 'int'),
    v1 ? required(E.snapshotId, 'long') : optional(E.snapshotId, 'long'),
    ...(v1 ? [] : [optional(E.sequenceNumber, 'long'), optional(E.fileSequenceNumber, 'long')]),
    required(E.dataFile, dataFileAvroSchema(formatVersion, partition)),
  ];
  return { type: 'record', name: 'manifest_entry', fields };
}
