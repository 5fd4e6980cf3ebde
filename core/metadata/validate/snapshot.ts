/** Snapshots and snapshot refs from untrusted JSON. */
import type { Snapshot, SnapshotRef, SnapshotRefType, SnapshotSummary } from '../types.js';
import {
  expectObject,
  expectString,
  fail,
  fieldPath,
  optional,
  optionalArray,
  optionalInt,
  optionalLong,
  optionalString,
  required,
  requiredLong,
  requiredString,
  type JsonRecord,
} from './json-fields.js';

export interface SnapshotReadOptions {
  /** The REST spec requires a summary with an operation; v1 metadata files may omit it. */
  readonly requireSummary: boolean;
}

export function readSnapshot(value: unknown, path: string, options: SnapshotReadOptions): Snapshot {
  const record = expectObject(value, path);
  const parentSnapshotId = optionalLong(record, 'parent-snapshot-id', path);
  const sequenceNumber = optionalLong(record, 'sequence-number', path);
  const manifestList = optionalString(record, 'manifest-list', path);
  const manifests = manifestList === undefined ? optionalArray(record, 'manifests', path, expectString) : undefined;
  if (manifestList === undefined && manifests === undefined) fail(fieldPath(path, 'manifest-list'), 'required field is missing');
  const summaryValue = options.requireSummary ? required(record, 'summary', path) : optional(record, 'summary');
  const summary = summaryValue === undefined ? undefined : readSummary(summaryValue, fieldPath(path, 'summary'));
  const schemaId = optionalInt(record, 'schema-id', path);
  const firstRowId = optionalLong(record, 'first-row-id', path);
  const addedRows = optionalLong(record, 'added-rows', path);
  if (firstRowId !== undefined && firstRowId < 0n) fail(fieldPath(path, 'first-row-id'), 'must not be negative');
  if (addedRows !== undefined && addedRows < 0n) fail(fieldPath(path, 'added-rows'), 'must not be negative');
  const keyId = optionalString(record, 'key-id', path);
  return {
    snapshotId: requiredLong(record, 'snapshot-id', path),
    ...(parentSnapshotId === undefined ? {} : { parentSnapshotId }),
    ...(sequenceNumber === undefined ? {} : { sequenceNumber }),
    timestampMs: requiredLong(record, 'timestamp-ms', path),
    ...(manifestList === undefined ? {} : { manifestList }),
    ...(manifests === undefined ? {} : { manifests }),
    ...(summary === undefined ? {} : { summary }),
    ...(schemaId === undefined ? {} : { schemaId }),
    ...(firstRowId === undefined ? {} : { firstRowId }),
    ...(addedRows === undefined ? {} : { addedRows }),
    ...(keyId === undefined ? {} : { keyId }),
  };
}

function readSummary(value: unknown, path: string): SnapshotSummary {
  const record = expectObject(value, path);
  const operation = requiredString(record, 'operation', path);
  const entries = Object.entries(record).map(([key, item]) => [key, expectString(item, fieldPath(path, key))] as const);
  return { ...(Object.fromEntries(entries) as Record<string, string>), operation };
}

export function readRefType(value: unknown, path: string): SnapshotRefType {
  const text = expectString(value, path).toLowerCase();
  if (text === 'branch' || text === 'tag') return text;
  return fail(path, `expected "branch" or "tag", got "${String(value)}"`);
}

/** Retention settings shared by stored refs and set-snapshot-ref. */
export function readRefRetention(record: JsonRecord, path: string, type: SnapshotRefType): Omit<SnapshotRef, 'snapshotId' | 'type'> {
  const minSnapshotsToKeep = optionalInt(record, 'min-snapshots-to-keep', path);
  const maxSnapshotAgeMs = optionalLong(record, 'max-snapshot-age-ms', path);
  const maxRefAgeMs = optionalLong(record, 'max-ref-age-ms', path);
  if (type === 'tag' && minSnapshotsToKeep !== undefined) fail(fieldPath(path, 'min-snapshots-to-keep'), 'tags do not support setting minSnapshotsToKeep');
  if (type === 'tag' && maxSnapshotAgeMs !== undefined) fail(fieldPath(path, 'max-snapshot-age-ms'), 'tags do not support setting maxSnapshotAgeMs');
  if (minSnapshotsToKeep !== undefined && minSnapshotsToKeep <= 0) fail(fieldPath(path, 'min-snapshots-to-keep'), 'must be greater than 0');
  if (maxSnapshotAgeMs !== undefined && maxSnapshotAgeMs <= 0n) fail(fieldPath(path, 'max-snapshot-age-ms'), 'must be greater than 0');
  if (maxRefAgeMs !== undefined && maxRefAgeMs <= 0n) fail(fieldPath(path, 'max-ref-age-ms'), 'must be greater than 0');
  return {
    ...(minSnapshotsToKeep === undefined ? {} : { minSnapshotsToKeep }),
    ...(maxSnapshotAgeMs === undefined ? {} : { maxSnapshotAgeMs }),
    ...(maxRefAgeMs === undefined ? {} : { maxRefAgeMs }),
  };
}

export function readSnapshotRef(value: unknown, path: string): SnapshotRef {
  const record = expectObject(value, path);
  const type = readRefType(required(record, 'type', path), fieldPath(path, 'type'));
  return { snapshotId: requiredLong(record, 'snapshot-id', path), type, ...readRefRetention(record, path, type) };
}
