/**
 * Table metadata from a metadata file (a stored one, or one handed to registerTable), including the
 * v1 layout with a bare `schema` and `partition-spec`. Longs become bigints; the result passes the
 * same structural checks as everything the engine builds.
 */
import { FIRST_PARTITION_FIELD_ID, MAIN_BRANCH, SUPPORTED_FORMAT_VERSION, UNASSIGNED_PARTITION_ID, UNSORTED_ORDER_ID } from '../spec-constants.js';
import { stripTrailingSlash } from '../location.js';
import type { Long } from '../long.js';
import { recordFromEntries } from '../own-property.js';
import type {
  FormatVersion,
  MetadataLogEntry,
  PartitionSpec,
  PartitionSpecInput,
  Schema,
  SnapshotLogEntry,
  SnapshotRef,
  SortOrder,
  TableMetadata,
} from '../types.js';
import { checkMetadataStructure } from '../validate-metadata.js';
import {
  expectObject,
  fail,
  fieldPath,
  itemPath,
  optional,
  optionalArray,
  optionalInt,
  optionalLong,
  optionalString,
  optionalStringMap,
  required,
  requiredInt,
  requiredLong,
  requiredString,
  toLong,
  type JsonRecord,
} from './json-fields.js';
import { readPartitionFieldList, readPartitionSpecInput } from './partition-spec.js';
import { readLegacySchema, readSchema } from './schema.js';
import { readSnapshot, readSnapshotRef } from './snapshot.js';
import { readSortOrder } from './sort-order.js';
import { readEncryptedKey, readPartitionStatisticsFile, readStatisticsFile } from './statistics.js';

const ROOT = 'metadata';
/** Readers treat -1 as "no current snapshot" (v1/v2 files write it). */
const NO_CURRENT_SNAPSHOT = -1n;

export function parseTableMetadata(json: unknown): TableMetadata {
  const record = expectObject(json, ROOT);
  const formatVersion = readFormatVersion(record);
  const v1 = formatVersion === 1;

  const tableUuid = v1 ? optionalString(record, 'table-uuid', ROOT) : requiredString(record, 'table-uuid', ROOT);
  if (tableUuid === undefined || tableUuid === '') {
    fail(fieldPath(ROOT, 'table-uuid'), 'required field is missing (v1 tables without a uuid are not supported)');
  }

  const { schemas, currentSchemaId } = readSchemas(record, v1);
  const { partitionSpecs, defaultSpecId } = readSpecs(record, v1);
  const lastPartitionId =
    optionalInt(record, 'last-partition-id', ROOT) ??
    (v1 ? highestPartitionFieldId(partitionSpecs) : requiredInt(record, 'last-partition-id', ROOT));
  const { sortOrders, defaultSortOrderId } = readSortOrders(record, v1);

  const currentSnapshotValue = optionalLong(record, 'current-snapshot-id', ROOT);
  const currentSnapshotId = currentSnapshotValue === undefined || currentSnapshotValue === NO_CURRENT_SNAPSHOT ? null : currentSnapshotValue;
  const nextRowId = formatVersion >= 3 ? (optionalLong(record, 'next-row-id', ROOT) ?? 0n) : 0n;

  const metadata: TableMetadata = {
    formatVersion,
    tableUuid,
    location: stripTrailingSlash(requiredString(record, 'location', ROOT)),
    lastSequenceNumber: v1 ? 0n : requiredLong(record, 'last-sequence-number', ROOT),
    lastUpdatedMs: requiredLong(record, 'last-updated-ms', ROOT),
    lastColumnId: requiredInt(record, 'last-column-id', ROOT),
    schemas,
    currentSchemaId,
    partitionSpecs,
    defaultSpecId,
    lastPartitionId,
    sortOrders,
    defaultSortOrderId,
    properties: optionalStringMap(record, 'properties', ROOT) ?? {},
    currentSnapshotId,
    snapshots: optionalArray(record, 'snapshots', ROOT, (item, path) => readSnapshot(item, path, { requireSummary: false })) ?? [],
    refs: readRefs(record, currentSnapshotId),
    snapshotLog: optionalArray(record, 'snapshot-log', ROOT, readSnapshotLogEntry) ?? [],
    metadataLog: optionalArray(record, 'metadata-log', ROOT, readMetadataLogEntry) ?? [],
    statistics: optionalArray(record, 'statistics', ROOT, readStatisticsFile) ?? [],
    partitionStatistics: optionalArray(record, 'partition-statistics', ROOT, readPartitionStatisticsFile) ?? [],
    nextRowId,
    encryptionKeys: optionalArray(record, 'encryption-keys', ROOT, readEncryptedKey) ?? [],
  };
  checkMetadataStructure(metadata);
  return metadata;
}

function readFormatVersion(record: JsonRecord): FormatVersion {
  const version = requiredInt(record, 'format-version', ROOT);
  if (version < 1 || version > SUPPORTED_FORMAT_VERSION) {
    fail(fieldPath(ROOT, 'format-version'), `unsupported format version v${version} (supported: v${SUPPORTED_FORMAT_VERSION})`);
  }
  return version as FormatVersion;
}

function readSchemas(record: JsonRecord, v1: boolean): { schemas: Schema[]; currentSchemaId: number } {
  const schemas = optionalArray(record, 'schemas', ROOT, readSchema);
  if (schemas !== undefined) return { schemas, currentSchemaId: requiredInt(record, 'current-schema-id', ROOT) };
  if (!v1) fail(fieldPath(ROOT, 'schemas'), 'required field is missing');
  const schema = readLegacySchema(required(record, 'schema', ROOT), fieldPath(ROOT, 'schema'));
  return { schemas: [schema], currentSchemaId: schema.schemaId };
}

function readSpecs(record: JsonRecord, v1: boolean): { partitionSpecs: PartitionSpec[]; defaultSpecId: number } {
  const specsPath = fieldPath(ROOT, 'partition-specs');
  const specs = optionalArray(record, 'partition-specs', ROOT, (item, path) => {
    const spec = readPartitionSpecInput(item, path);
    return withFieldIds({ ...spec, specId: requiredInt(expectObject(item, path), 'spec-id', path) }, v1, path);
  });
  if (specs !== undefined) return { partitionSpecs: specs, defaultSpecId: requiredInt(record, 'default-spec-id', ROOT) };
  if (!v1) fail(specsPath, 'required field is missing');
  const legacyPath = fieldPath(ROOT, 'partition-spec');
  const legacy = readPartitionFieldList(required(record, 'partition-spec', ROOT), legacyPath);
  return { partitionSpecs: [withFieldIds({ ...legacy, specId: 0 }, true, legacyPath)], defaultSpecId: 0 };
}

/** v1 specs may omit partition field ids; they were implicitly 1000, 1001, ... */
function withFieldIds(spec: PartitionSpecInput & { specId: number }, v1: boolean, path: string): PartitionSpec {
  return {
    specId: spec.specId,
    fields: spec.fields.map((field, index) => {
      if (field.fieldId === undefined && !v1) fail(fieldPath(itemPath(fieldPath(path, 'fields'), index), 'field-id'), 'required field is missing');
      return { ...field, fieldId: field.fieldId ?? FIRST_PARTITION_FIELD_ID + index };
    }),
  };
}

function highestPartitionFieldId(specs: readonly PartitionSpec[]): number {
  return specs.reduce((max, spec) => spec.fields.reduce((inner, field) => Math.max(inner, field.fieldId), max), UNASSIGNED_PARTITION_ID);
}

function readSortOrders(record: JsonRecord, v1: boolean): { sortOrders: SortOrder[]; defaultSortOrderId: number } {
  const orders = optionalArray(record, 'sort-orders', ROOT, readSortOrder);
  if (orders !== undefined) return { sortOrders: orders, defaultSortOrderId: requiredInt(record, 'default-sort-order-id', ROOT) };
  if (!v1) fail(fieldPath(ROOT, 'sort-orders'), 'required field is missing');
  return { sortOrders: [{ orderId: UNSORTED_ORDER_ID, fields: [] }], defaultSortOrderId: UNSORTED_ORDER_ID };
}

/** A `main` branch is implied by current-snapshot-id when the file does not spell it out. */
function readRefs(record: JsonRecord, currentSnapshotId: Long | null): Record<string, SnapshotRef> {
  const value = optional(record, 'refs');
  const refsPath = fieldPath(ROOT, 'refs');
  const refs =
    value === undefined
      ? {}
      : recordFromEntries(Object.entries(expectObject(value, refsPath)).map(([name, ref]) => [name, readSnapshotRef(ref, fieldPath(refsPath, name))] as const));
  if (currentSnapshotId !== null && !Object.hasOwn(refs, MAIN_BRANCH)) {
    return { ...refs, [MAIN_BRANCH]: { snapshotId: currentSnapshotId, type: 'branch' } };
  }
  return refs;
}

function readSnapshotLogEntry(value: unknown, path: string): SnapshotLogEntry {
  const record = expectObject(value, path);
  return { timestampMs: requiredLong(record, 'timestamp-ms', path), snapshotId: toLong(required(record, 'snapshot-id', path), fieldPath(path, 'snapshot-id')) };
}

function readMetadataLogEntry(value: unknown, path: string): MetadataLogEntry {
  const record = expectObject(value, path);
  return { timestampMs: requiredLong(record, 'timestamp-ms', path), metadataFile: requiredString(record, 'metadata-file', path) };
}
