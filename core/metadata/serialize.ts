/**
 * Table metadata as Iceberg writes it: kebab-case fields in Java's order, only the fields each
 * format version defines (v1 keeps the deprecated `schema` and `partition-spec`, only v2+ has
 * `last-sequence-number`, only v3 has `next-row-id`), `-1` for "no current snapshot" in v1/v2 and
 * `null` in v3. Longs come out as numbers when safe and bigints beyond; write the result with
 * `stringifyJson` so the bigints stay exact.
 */
import type { JsonObject, JsonValue } from '../json/lossless-json.js';
import { longToJson, type Long } from './long.js';
import type {
  BlobMetadata,
  EncryptedKey,
  IcebergType,
  PartitionField,
  PartitionSpec,
  PartitionStatisticsFile,
  Schema,
  Snapshot,
  SnapshotRef,
  SortField,
  SortOrder,
  StatisticsFile,
  StructField,
  TableMetadata,
} from './types.js';

export { parseTableMetadata } from './validate/table-metadata.js';

const NO_CURRENT_SNAPSHOT = -1;

/** Spreads a key only when its value is present, keeping optional fields out of the output. */
function optionalEntry(key: string, value: JsonValue | undefined): JsonObject {
  return value === undefined ? {} : { [key]: value };
}

function optionalLong(key: string, value: Long | undefined): JsonObject {
  return value === undefined ? {} : { [key]: longToJson(value) };
}

function stringMap(record: Readonly<Record<string, string>>): JsonObject {
  return { ...record };
}

export function serializeType(type: IcebergType): JsonValue {
  if (typeof type === 'string') return type;
  switch (type.type) {
    case 'struct':
      return { type: 'struct', fields: type.fields.map(serializeStructField) };
    case 'list':
      return { type: 'list', 'element-id': type.elementId, element: serializeType(type.element), 'element-required': type.elementRequired };
    case 'map':
      return {
        type: 'map',
        'key-id': type.keyId,
        key: serializeType(type.key),
        'value-id': type.valueId,
        value: serializeType(type.value),
        'value-required': type.valueRequired,
      };
  }
}

function serializeStructField(field: StructField): JsonObject {
  return {
    id: field.id,
    name: field.name,
    required: field.required,
    type: serializeType(field.type),
    ...optionalEntry('doc', field.doc),
    ...optionalEntry('initial-default', field.initialDefault),
    ...optionalEntry('write-default', field.writeDefault),
  };
}

export function serializeSchema(schema: Schema): JsonObject {
  return {
    type: 'struct',
    'schema-id': schema.schemaId,
    ...(schema.identifierFieldIds.length > 0 ? { 'identifier-field-ids': [...schema.identifierFieldIds] } : {}),
    fields: schema.fields.map(serializeStructField),
  };
}

function sourceIdEntries(field: Pick<PartitionField, 'sourceId' | 'sourceIds'>): JsonObject {
  return field.sourceIds === undefined ? { 'source-id': field.sourceId } : { 'source-ids': [...field.sourceIds] };
}

function serializePartitionField(field: PartitionField): JsonObject {
  return { name: field.name, transform: field.transform, ...sourceIdEntries(field), 'field-id': field.fieldId };
}

export function serializePartitionSpec(spec: PartitionSpec): JsonObject {
  return { 'spec-id': spec.specId, fields: spec.fields.map(serializePartitionField) };
}

function serializeSortField(field: SortField): JsonObject {
  return { transform: field.transform, ...sourceIdEntries(field), direction: field.direction, 'null-order': field.nullOrder };
}

export function serializeSortOrder(order: SortOrder): JsonObject {
  return { 'order-id': order.orderId, fields: order.fields.map(serializeSortField) };
}

export function serializeSnapshot(snapshot: Snapshot): JsonObject {
  return {
    'snapshot-id': longToJson(snapshot.snapshotId),
    ...optionalLong('parent-snapshot-id', snapshot.parentSnapshotId),
    ...optionalLong('sequence-number', snapshot.sequenceNumber),
    'timestamp-ms': longToJson(snapshot.timestampMs),
    ...(snapshot.summary === undefined ? {} : { summary: stringMap(snapshot.summary) }),
    ...optionalEntry('manifest-list', snapshot.manifestList),
    ...(snapshot.manifests === undefined || snapshot.manifestList !== undefined ? {} : { manifests: [...snapshot.manifests] }),
    ...optionalEntry('schema-id', snapshot.schemaId),
    ...optionalLong('first-row-id', snapshot.firstRowId),
    ...optionalLong('added-rows', snapshot.addedRows),
    ...optionalEntry('key-id', snapshot.keyId),
  };
}

export function serializeSnapshotRef(ref: SnapshotRef): JsonObject {
  return {
    'snapshot-id': longToJson(ref.snapshotId),
    type: ref.type,
    ...optionalEntry('min-snapshots-to-keep', ref.minSnapshotsToKeep),
    ...optionalLong('max-snapshot-age-ms', ref.maxSnapshotAgeMs),
    ...optionalLong('max-ref-age-ms', ref.maxRefAgeMs),
  };
}

function serializeBlobMetadata(blob: BlobMetadata): JsonObject {
  return {
    type: blob.type,
    'snapshot-id': longToJson(blob.snapshotId),
    'sequence-number': longToJson(blob.sequenceNumber),
    fields: [...blob.fields],
    ...(blob.properties === undefined ? {} : { properties: stringMap(blob.properties) }),
  };
}

export function serializeStatisticsFile(file: StatisticsFile): JsonObject {
  return {
    'snapshot-id': longToJson(file.snapshotId),
    'statistics-path': file.statisticsPath,
    'file-size-in-bytes': longToJson(file.fileSizeInBytes),
    'file-footer-size-in-bytes': longToJson(file.fileFooterSizeInBytes),
    ...optionalEntry('key-metadata', file.keyMetadata),
    'blob-metadata': file.blobMetadata.map(serializeBlobMetadata),
  };
}

export function serializePartitionStatisticsFile(file: PartitionStatisticsFile): JsonObject {
  return {
    'snapshot-id': longToJson(file.snapshotId),
    'statistics-path': file.statisticsPath,
    'file-size-in-bytes': longToJson(file.fileSizeInBytes),
  };
}

export function serializeEncryptedKey(key: EncryptedKey): JsonObject {
  return {
    'key-id': key.keyId,
    'encrypted-key-metadata': key.encryptedKeyMetadata,
    ...optionalEntry('encrypted-by-id', key.encryptedById),
    ...(key.properties === undefined ? {} : { properties: stringMap(key.properties) }),
  };
}

export function serializeTableMetadata(metadata: TableMetadata): JsonObject {
  const v1 = metadata.formatVersion === 1;
  const currentSchema = metadata.schemas.find((schema) => schema.schemaId === metadata.currentSchemaId);
  const defaultSpec = metadata.partitionSpecs.find((spec) => spec.specId === metadata.defaultSpecId);
  // No current snapshot: -1 in v1/v2 (older readers require the field). In v3 the field is left out
  // rather than written as null as Java does: the REST spec types it as a non-nullable int64, and
  // readers (Java's getLongOrNull, PyIceberg, iceberg-rust, which also omits it) take absence as none.
  const currentSnapshotId: JsonValue | undefined =
    metadata.currentSnapshotId !== null ? longToJson(metadata.currentSnapshotId) : metadata.formatVersion >= 3 ? undefined : NO_CURRENT_SNAPSHOT;
  return {
    'format-version': metadata.formatVersion,
    'table-uuid': metadata.tableUuid,
    location: metadata.location,
    ...(v1 ? {} : { 'last-sequence-number': longToJson(metadata.lastSequenceNumber) }),
    'last-updated-ms': longToJson(metadata.lastUpdatedMs),
    'last-column-id': metadata.lastColumnId,
    ...(v1 && currentSchema !== undefined ? { schema: serializeSchema(currentSchema) } : {}),
    'current-schema-id': metadata.currentSchemaId,
    schemas: metadata.schemas.map(serializeSchema),
    ...(v1 && defaultSpec !== undefined ? { 'partition-spec': defaultSpec.fields.map(serializePartitionField) } : {}),
    'default-spec-id': metadata.defaultSpecId,
    'partition-specs': metadata.partitionSpecs.map(serializePartitionSpec),
    'last-partition-id': metadata.lastPartitionId,
    'default-sort-order-id': metadata.defaultSortOrderId,
    'sort-orders': metadata.sortOrders.map(serializeSortOrder),
    properties: stringMap(metadata.properties),
    ...optionalEntry('current-snapshot-id', currentSnapshotId),
    refs: Object.fromEntries(Object.entries(metadata.refs).map(([name, ref]) => [name, serializeSnapshotRef(ref)])) as JsonObject,
    snapshots: metadata.snapshots.map(serializeSnapshot),
    statistics: metadata.statistics.map(serializeStatisticsFile),
    'partition-statistics': metadata.partitionStatistics.map(serializePartitionStatisticsFile),
    'snapshot-log': metadata.snapshotLog.map((entry) => ({
      'timestamp-ms': longToJson(entry.timestampMs),
      'snapshot-id': longToJson(entry.snapshotId),
    })),
    'metadata-log': metadata.metadataLog.map((entry) => ({
      'timestamp-ms': longToJson(entry.timestampMs),
      'metadata-file': entry.metadataFile,
    })),
    ...(metadata.formatVersion >= 3 ? { 'next-row-id': longToJson(metadata.nextRowId) } : {}),
    ...(metadata.encryptionKeys.length > 0 ? { 'encryption-keys': metadata.encryptionKeys.map(serializeEncryptedKey) } : {}),
  };
}

