/** Iceberg manifest lists (one per snapshot): reading any format version, writing fixtures. */
import { AvroError } from './avro-error.js';
import type { WriteCodec } from './codecs.js';
import { readContainer, type ReadContainerOptions } from './container-reader.js';
import { writeContainer } from './container-writer.js';
import { manifestListAvroSchema } from './iceberg-avro-schemas.js';
import { FieldSummaryFields as S, ManifestFileFields as M } from './iceberg-fields.js';
import type { FieldSummary, FormatVersion, LongInput, ManifestList, ManifestListEntry } from './iceberg-manifest-types.js';
import { StructView } from './struct-view.js';

export function readManifestListFile(bytes: Uint8Array, options?: ReadContainerOptions): ManifestList {
  const container = readContainer(bytes, options);
  const entries = container.records.map((record, index) => toEntry(StructView.of(container.schema, record, `manifest list entry ${index}`)));
  return { metadata: container.metadata, entries };
}

/** The manifests a manifest list names; see `readManifestListFile` for its header metadata too. */
export function readManifestList(bytes: Uint8Array, options?: ReadContainerOptions): ManifestListEntry[] {
  return [...readManifestListFile(bytes, options).entries];
}

function toEntry(view: StructView): ManifestListEntry {
  return {
    manifest_path: view.string(M.manifestPath),
    manifest_length: view.long(M.manifestLength),
    partition_spec_id: view.int(M.partitionSpecId),
    // v1 lists have neither content nor sequence numbers; the spec says to read them as 0.
    content: view.int(M.content, 0),
    sequence_number: view.long(M.sequenceNumber, 0n),
    min_sequence_number: view.long(M.minSequenceNumber, 0n),
    added_snapshot_id: view.optionalLong(M.addedSnapshotId),
    added_files_count: view.optionalInt(M.addedFilesCount),
    existing_files_count: view.optionalInt(M.existingFilesCount),
    deleted_files_count: view.optionalInt(M.deletedFilesCount),
    added_rows_count: view.optionalLong(M.addedRowsCount),
    existing_rows_count: view.optionalLong(M.existingRowsCount),
    deleted_rows_count: view.optionalLong(M.deletedRowsCount),
    partitions: view.optionalList(M.partitions, (item, schema, where) => toFieldSummary(StructView.of(schema, item, where))),
    key_metadata: view.optionalBytes(M.keyMetadata),
    first_row_id: view.optionalLong(M.firstRowId),
  };
}

function toFieldSummary(view: StructView): FieldSummary {
  return {
    contains_null: view.boolean(S.containsNull),
    contains_nan: view.optionalBoolean(S.containsNan),
    lower_bound: view.optionalBytes(S.lowerBound),
    upper_bound: view.optionalBytes(S.upperBound),
  };
}

export interface FieldSummaryInput {
  readonly contains_null: boolean;
  readonly contains_nan?: boolean | null;
  readonly lower_bound?: Uint8Array | null;
  readonly upper_bound?: Uint8Array | null;
}

/** What a fixture must say about a manifest; counts and sequence numbers default to 0. */
export interface ManifestListEntryInput {
  readonly manifest_path: string;
  readonly manifest_length: LongInput;
  readonly added_snapshot_id: LongInput;
  readonly partition_spec_id?: number;
  readonly content?: number;
  readonly sequence_number?: LongInput;
  /** Defaults to `sequence_number`. */
  readonly min_sequence_number?: LongInput;
  readonly added_files_count?: number;
  readonly existing_files_count?: number;
  readonly deleted_files_count?: number;
  readonly added_rows_count?: LongInput;
  readonly existing_rows_count?: LongInput;
  readonly deleted_rows_count?: LongInput;
  readonly partitions?: readonly FieldSummaryInput[] | null;
  readonly key_metadata?: Uint8Array | null;
  readonly first_row_id?: LongInput | null;
}

export interface WriteManifestListOptions {
  readonly formatVersion: FormatVersion;
  /** The `snapshot-id` header; defaults to the first entry's `added_snapshot_id`. */
  readonly snapshotId?: LongInput;
  readonly parentSnapshotId?: LongInput | null;
  /** The `sequence-number` header (v2+); defaults to 0. */
  readonly sequenceNumber?: LongInput;
  /** The `first-row-id` header, written for v3 only. */
  readonly firstRowId?: LongInput;
  readonly codec?: WriteCodec;
  readonly syncMarker?: Uint8Array;
}

function toRecord(entry: ManifestListEntryInput, formatVersion: FormatVersion): Record<string, unknown> {
  const content = entry.content ?? 0;
  if (formatVersion === 1 && content !== 0) throw new AvroError(`A v1 manifest list cannot hold delete manifests (${entry.manifest_path})`);
  if (formatVersion < 3 && entry.first_row_id !== undefined && entry.first_row_id !== null) {
    throw new AvroError(`first_row_id needs format version 3 (${entry.manifest_path})`);
  }
  const sequenceNumber = entry.sequence_number ?? 0;
  return {
    [M.manifestPath.name]: entry.manifest_path,
    [M.manifestLength.name]: entry.manifest_length,
    [M.partitionSpecId.name]: entry.partition_spec_id ?? 0,
    [M.content.name]: content,
    [M.sequenceNumber.name]: sequenceNumber,
    [M.minSequenceNumber.name]: entry.min_sequence_number ?? sequenceNumber,
    [M.addedSnapshotId.name]: entry.added_snapshot_id,
    [M.addedFilesCount.name]: entry.added_files_count ?? 0,
    [M.existingFilesCount.name]: entry.existing_files_count ?? 0,
    [M.deletedFilesCount.name]: entry.deleted_files_count ?? 0,
    [M.addedRowsCount.name]: entry.added_rows_count ?? 0,
    [M.existingRowsCount.name]: entry.existing_rows_count ?? 0,
    [M.deletedRowsCount.name]: entry.deleted_rows_count ?? 0,
    [M.partitions.name]: entry.partitions ?? null,
    [M.keyMetadata.name]: entry.key_metadata ?? null,
    [M.firstRowId.name]: entry.first_row_id ?? null,
  };
}

/** A manifest list as Java writes it, including its header metadata. */
export function writeManifestList(entries: readonly ManifestListEntryInput[], options: WriteManifestListOptions): Uint8Array {
  const { formatVersion } = options;
  const snapshotId = options.snapshotId ?? entries[0]?.added_snapshot_id ?? 0;
  const metadata: Record<string, string> = {
    'snapshot-id': String(snapshotId),
    // Java writes String.valueOf(null) for a snapshot without a parent.
    'parent-snapshot-id': String(options.parentSnapshotId ?? null),
    ...(formatVersion >= 2 ? { 'sequence-number': String(options.sequenceNumber ?? 0) } : {}),
    'format-version': String(formatVersion),
    ...(formatVersion >= 3 && options.firstRowId !== undefined ? { 'first-row-id': String(options.firstRowId) } : {}),
  };
  return writeContainer(
    manifestListAvroSchema(formatVersion),
    entries.map((entry) => toRecord(entry, formatVersion)),
    { metadata, codec: options.codec, syncMarker: options.syncMarker },
  );
}

/**
 * A manifest-list entry as read, ready to be written into another list unchanged (a new snapshot
 * carries its parent's manifests over this way). Counts a v1 list left out stay out.
 */
export function manifestListEntryInput(entry: ManifestListEntry): ManifestListEntryInput {
  if (entry.added_snapshot_id === null) throw new AvroError(`${entry.manifest_path} has no added_snapshot_id`);
  return {
    manifest_path: entry.manifest_path,
    manifest_length: entry.manifest_length,
    partition_spec_id: entry.partition_spec_id,
    content: entry.content,
    sequence_number: entry.sequence_number,
    min_sequence_number: entry.min_sequence_number,
    added_snapshot_id: entry.added_snapshot_id,
    ...(entry.added_files_count === null ? {} : { added_files_count: entry.added_files_count }),
    ...(entry.existing_files_count === null ? {} : { existing_files_count: entry.existing_files_count }),
    ...(entry.deleted_files_count === null ? {} : { deleted_files_count: entry.deleted_files_count }),
    ...(entry.added_rows_count === null ? {} : { added_rows_count: entry.added_rows_count }),
    ...(entry.existing_rows_count === null ? {} : { existing_rows_count: entry.existing_rows_count }),
    ...(entry.deleted_rows_count === null ? {} : { deleted_rows_count: entry.deleted_rows_count }),
    partitions: entry.partitions,
    key_metadata: entry.key_metadata,
    first_row_id: entry.first_row_id,
  };
}
