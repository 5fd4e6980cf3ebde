/**
 * Tiny builders for the plan-scan tests: a schema and three specs, table metadata over them, and
 * manifests and manifest lists written through the project's own Avro writers into the harness's
 * warehouse (through the catalog's FileIO, as an engine would write them).
 */
import type { FieldSummaryInput, ManifestEntryInput, ManifestListEntryInput, ManifestPartitionField } from '../../avro/iceberg-manifests.js';
import { writeManifest, writeManifestList } from '../../avro/iceberg-manifests.js';
import { aField, aTable } from '../../metadata/test-fixtures.js';
import type { PartitionSpec, Schema, Snapshot, TableMetadata } from '../../metadata/types.js';
import type { FileIO } from '../../store/file-io.js';
import { encodeSingleValue, type TypeInput, type Value } from '../values/index.js';

export const SCHEMA: Schema = {
  schemaId: 0,
  identifierFieldIds: [],
  fields: [aField(1, 'id', 'long', true), aField(2, 'category', 'string'), aField(3, 'ts', 'timestamp'), aField(4, 'data', 'string')],
};

/** The schema before `data` was added. */
export const OLD_SCHEMA: Schema = { schemaId: 1, identifierFieldIds: [], fields: SCHEMA.fields.slice(0, 3) };

export const IDENTITY_SPEC: PartitionSpec = { specId: 0, fields: [{ sourceId: 2, fieldId: 1000, name: 'category', transform: 'identity' }] };
export const BUCKET_DAY_SPEC: PartitionSpec = {
  specId: 1,
  fields: [
    { sourceId: 1, fieldId: 1001, name: 'id_bucket', transform: 'bucket[4]' },
    { sourceId: 3, fieldId: 1002, name: 'ts_day', transform: 'day' },
  ],
};
export const UNPARTITIONED_SPEC: PartitionSpec = { specId: 2, fields: [] };

const AVRO_TYPES: Readonly<Record<string, unknown>> = { category: 'string', id_bucket: 'int', ts_day: { type: 'int', logicalType: 'date' } };

function avroFieldsOf(spec: PartitionSpec): ManifestPartitionField[] {
  return spec.fields.map((field) => ({ name: field.name, fieldId: field.fieldId, sourceId: field.sourceId, transform: field.transform, avroType: AVRO_TYPES[field.name] as never }));
}

export const bytes = (type: TypeInput, value: Value): Uint8Array => encodeSingleValue(type, value);

/** A partition summary with bounds of `type`. */
export function summary(type: TypeInput, lower: Value, upper: Value): FieldSummaryInput {
  return { contains_null: false, contains_nan: null, lower_bound: bytes(type, lower), upper_bound: bytes(type, upper) };
}

/** Days since 1970-01-01. */
export const day = (iso: string): number => Math.floor(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);

export function aSnapshot(id: bigint, sequenceNumber: bigint, manifestList: string, options: { parent?: bigint; operation?: string; schemaId?: number } = {}): Snapshot {
  return {
    snapshotId: id,
    ...(options.parent !== undefined ? { parentSnapshotId: options.parent } : {}),
    sequenceNumber,
    timestampMs: 1_700_000_000_000n + sequenceNumber,
    manifestList,
    summary: { operation: options.operation ?? 'append' },
    ...(options.schemaId !== undefined ? { schemaId: options.schemaId } : {}),
  };
}

/** Table metadata at `location` whose main branch points at the last snapshot. */
export function aTableAt(location: string, snapshots: readonly Snapshot[], options: { formatVersion?: 2 | 3 } = {}): TableMetadata {
  const base = aTable({ formatVersion: options.formatVersion ?? 2 });
  const head = snapshots.at(-1);
  return {
    ...base,
    location,
    schemas: [SCHEMA, OLD_SCHEMA],
    currentSchemaId: 0,
    lastColumnId: 4,
    partitionSpecs: [IDENTITY_SPEC, BUCKET_DAY_SPEC, UNPARTITIONED_SPEC],
    defaultSpecId: 0,
    lastPartitionId: 1002,
    snapshots,
    refs: head === undefined ? {} : { main: { snapshotId: head.snapshotId, type: 'branch' } },
    currentSnapshotId: head?.snapshotId ?? null,
    lastSequenceNumber: head?.sequenceNumber ?? 0n,
  };
}

export interface WrittenManifest {
  readonly path: string;
  readonly length: number;
}

/** Writes a table's Avro files under its location. */
export class TableFiles {
  private count = 0;

  constructor(
    readonly files: FileIO,
    readonly location: string,
    readonly formatVersion: 2 | 3 = 2,
  ) {}

  async manifest(entries: readonly ManifestEntryInput[], spec: PartitionSpec, content: 'data' | 'deletes' = 'data'): Promise<WrittenManifest> {
    const path = `${this.location}/metadata/m${this.count++}.avro`;
    const written = writeManifest(entries, { formatVersion: this.formatVersion, content, partitionSpecId: spec.specId, partitionFields: avroFieldsOf(spec) });
    await this.files.create(path, written);
    return { path, length: written.length };
  }

  async list(snapshotId: bigint, manifests: readonly ManifestListEntryInput[]): Promise<string> {
    const path = `${this.location}/metadata/snap-${snapshotId}-${this.count++}.avro`;
    await this.files.create(path, writeManifestList(manifests, { formatVersion: this.formatVersion, snapshotId }));
    return path;
  }

  async raw(name: string, content: Uint8Array): Promise<string> {
    const path = `${this.location}/metadata/${name}`;
    await this.files.create(path, content);
    return path;
  }
}

/** The list entry of a manifest. */
export function listed(
  manifest: WrittenManifest,
  spec: PartitionSpec,
  options: { snapshotId: bigint; sequenceNumber: bigint; content?: 'data' | 'deletes'; partitions?: readonly FieldSummaryInput[] },
): ManifestListEntryInput {
  return {
    manifest_path: manifest.path,
    manifest_length: manifest.length,
    added_snapshot_id: options.snapshotId,
    partition_spec_id: spec.specId,
    content: options.content === 'deletes' ? 1 : 0,
    sequence_number: options.sequenceNumber,
    min_sequence_number: options.sequenceNumber,
    added_files_count: 1,
    ...(options.partitions !== undefined ? { partitions: options.partitions } : {}),
  };
}
