/**
 * Manifest lists and manifests as read, under the spec's snake_case field names. Longs are `bigint`
 * like every int64 in the engine; a field the file's format version lacks reads as the spec's
 * default (0 for v1 `content` and sequence numbers) or `null`.
 *
 * Nothing is inherited: a null `snapshot_id` or `sequence_number` in an entry stays null, because
 * inheriting needs the manifest-list entry the manifest came from.
 */
import type { AvroRecord } from './datum-reader.js';

export type FormatVersion = 1 | 2 | 3;
/** Writers take a long as `bigint` or, when it is small, a safe-integer `number`. */
export type LongInput = bigint | number;

/** `content` of a manifest-list entry. */
export const ManifestContent = { DATA: 0, DELETES: 1 } as const;
/** `status` of a manifest entry. */
export const ManifestEntryStatus = { EXISTING: 0, ADDED: 1, DELETED: 2 } as const;
/** `content` of a data file. */
export const DataFileContent = { DATA: 0, POSITION_DELETES: 1, EQUALITY_DELETES: 2 } as const;

export interface FieldSummary {
  readonly contains_null: boolean;
  readonly contains_nan: boolean | null;
  readonly lower_bound: Uint8Array | null;
  readonly upper_bound: Uint8Array | null;
}

/** One manifest in a manifest list (Iceberg's `manifest_file`). */
export interface ManifestListEntry {
  readonly manifest_path: string;
  readonly manifest_length: bigint;
  readonly partition_spec_id: number;
  readonly content: number;
  readonly sequence_number: bigint;
  readonly min_sequence_number: bigint;
  readonly added_snapshot_id: bigint | null;
  readonly added_files_count: number | null;
  readonly existing_files_count: number | null;
  readonly deleted_files_count: number | null;
  readonly added_rows_count: bigint | null;
  readonly existing_rows_count: bigint | null;
  readonly deleted_rows_count: bigint | null;
  readonly partitions: readonly FieldSummary[] | null;
  readonly key_metadata: Uint8Array | null;
  readonly first_row_id: bigint | null;
}

export interface ManifestList {
  /** Header metadata: `snapshot-id`, `parent-snapshot-id`, `sequence-number`, `format-version`, ... */
  readonly metadata: Readonly<Record<string, string>>;
  readonly entries: readonly ManifestListEntry[];
}

export interface DataFile {
  readonly content: number;
  readonly file_path: string;
  readonly file_format: string;
  /** Partition values keyed by partition field name, as decoded. */
  readonly partition: AvroRecord;
  readonly record_count: bigint;
  readonly file_size_in_bytes: bigint;
  readonly column_sizes: ReadonlyMap<number, bigint> | null;
  readonly value_counts: ReadonlyMap<number, bigint> | null;
  readonly null_value_counts: ReadonlyMap<number, bigint> | null;
  readonly nan_value_counts: ReadonlyMap<number, bigint> | null;
  readonly lower_bounds: ReadonlyMap<number, Uint8Array> | null;
  readonly upper_bounds: ReadonlyMap<number, Uint8Array> | null;
  readonly key_metadata: Uint8Array | null;
  readonly split_offsets: readonly bigint[] | null;
  readonly equality_ids: readonly number[] | null;
  readonly sort_order_id: number | null;
  readonly first_row_id: bigint | null;
  readonly referenced_data_file: string | null;
  readonly content_offset: bigint | null;
  readonly content_size_in_bytes: bigint | null;
}

export interface ManifestEntry {
  readonly status: number;
  readonly snapshot_id: bigint | null;
  readonly sequence_number: bigint | null;
  readonly file_sequence_number: bigint | null;
  readonly data_file: DataFile;
}

export interface Manifest {
  /** Header metadata: `schema`, `schema-id`, `partition-spec`, `partition-spec-id`, `format-version`, `content`. */
  readonly metadata: Readonly<Record<string, string>>;
  /** From `format-version`; 1 when absent, as v1 writers may omit it. */
  readonly formatVersion: number;
  /** From `content`; `data` when absent (v1 has only data manifests). */
  readonly content: 'data' | 'deletes';
  readonly entries: readonly ManifestEntry[];
}
