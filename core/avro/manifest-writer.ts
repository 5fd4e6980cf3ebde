/**
 * Writes Iceberg manifests as Java does (schema with field ids, header metadata `schema`,
 * `schema-id`, `partition-spec`, `partition-spec-id`, `format-version`, `content`), for fixtures.
 * Inputs are checked against the format version so a fixture cannot silently drop a field the
 * version lacks or mix data and delete files.
 */
import { AvroError } from './avro-error.js';
import type { WriteCodec } from './codecs.js';
import { writeContainer } from './container-writer.js';
import { manifestEntryAvroSchema, partitionAvroSchema, type PartitionAvroField } from './iceberg-avro-schemas.js';
import { DataFileFields as D, ManifestEntryFields as E } from './iceberg-fields.js';
import type { FormatVersion, LongInput } from './iceberg-manifest-types.js';

/** A data or delete file; only `file_path` is required, counts default to 0 and the format to Parquet. */
export interface DataFileInput {
  readonly file_path: string;
  readonly content?: number;
  readonly file_format?: string;
  /** Partition values by partition field name. */
  readonly partition?: Readonly<Record<string, unknown>>;
  readonly record_count?: LongInput;
  readonly file_size_in_bytes?: LongInput;
  readonly column_sizes?: ReadonlyMap<number, LongInput> | null;
  readonly value_counts?: ReadonlyMap<number, LongInput> | null;
  readonly null_value_counts?: ReadonlyMap<number, LongInput> | null;
  readonly nan_value_counts?: ReadonlyMap<number, LongInput> | null;
  readonly lower_bounds?: ReadonlyMap<number, Uint8Array> | null;
  readonly upper_bounds?: ReadonlyMap<number, Uint8Array> | null;
  readonly key_metadata?: Uint8Array | null;
  readonly split_offsets?: readonly LongInput[] | null;
  readonly equality_ids?: readonly number[] | null;
  readonly sort_order_id?: number | null;
  readonly first_row_id?: LongInput | null;
  readonly referenced_data_file?: string | null;
  readonly content_offset?: LongInput | null;
  readonly content_size_in_bytes?: LongInput | null;
}

export interface ManifestEntryInput {
  /** Defaults to 1 (added). */
  readonly status?: number;
  /** Required by v1; null means "inherit from the manifest list" in v2+. */
  readonly snapshot_id?: LongInput | null;
  readonly sequence_number?: LongInput | null;
  readonly file_sequence_number?: LongInput | null;
  readonly data_file: DataFileInput;
}

/** A partition field: its spec entry (`partition-spec` metadata) and the Avro type of its values. */
export interface ManifestPartitionField extends PartitionAvroField {
  readonly sourceId: number;
  readonly transform: string;
}

export interface WriteManifestOptions {
  readonly formatVersion: FormatVersion;
  /** Defaults to `data`. */
  readonly content?: 'data' | 'deletes';
  /** The table schema as Iceberg JSON (object or text); defaults to an empty struct, schema id 0. */
  readonly schema?: string | object;
  readonly schemaId?: number;
  readonly partitionSpecId?: number;
  readonly partitionFields?: readonly ManifestPartitionField[];
  readonly codec?: WriteCodec;
  readonly syncMarker?: Uint8Array;
}

/** v1 writers must still fill this deprecated field; Java writes 64 MiB. */
const V1_BLOCK_SIZE = 64 * 1024 * 1024;
const V1_ABSENT: readonly (keyof DataFileInput)[] = ['equality_ids', 'referenced_data_file'];
const V3_ONLY: readonly (keyof DataFileInput)[] = ['first_row_id', 'content_offset', 'content_size_in_bytes'];

function pairs<T>(map: ReadonlyMap<number, T> | null | undefined): { key: number; value: T }[] | null {
  return map === null || map === undefined ? null : [...map].map(([key, value]) => ({ key, value }));
}

function checkEntry(entry: ManifestEntryInput, options: WriteManifestOptions): void {
  const file = entry.data_file;
  const where = `manifest entry for ${file.file_path}`;
  const present = (key: keyof DataFileInput): boolean => file[key] !== undefined && file[key] !== null;
  const content = file.content ?? 0;
  if ((options.content ?? 'data') === 'data' ? content !== 0 : content !== 1 && content !== 2) {
    throw new AvroError(`${where}: content ${content} does not belong in a ${options.content ?? 'data'} manifest`);
  }
  if (options.formatVersion === 1) {
    if (entry.snapshot_id === undefined || entry.snapshot_id === null) throw new AvroError(`${where}: v1 entries need a snapshot_id`);
    const extra = V1_ABSENT.find(present);
    if (extra !== undefined) throw new AvroError(`${where}: ${extra} needs format version 2`);
  }
  const v3Field = options.formatVersion < 3 ? V3_ONLY.find(present) : undefined;
  if (v3Field !== undefined) throw new AvroError(`${where}: ${v3Field} needs format version 3`);
}

function toRecord(entry: ManifestEntryInput): Record<string, unknown> {
  const file = entry.data_file;
  return {
    [E.status.name]: entry.status ?? 1,
    [E.snapshotId.name]: entry.snapshot_id ?? null,
    [E.sequenceNumber.name]: entry.sequence_number ?? null,
    [E.fileSequenceNumber.name]: entry.file_sequence_number ?? null,
    [E.dataFile.name]: {
      [D.content.name]: file.content ?? 0,
      [D.filePath.name]: file.file_path,
      [D.fileFormat.name]: file.file_format ?? 'PARQUET',
      [D.partition.name]: file.partition ?? {},
      [D.recordCount.name]: file.record_count ?? 0,
      [D.fileSizeInBytes.name]: file.file_size_in_bytes ?? 0,
      [D.blockSizeInBytes.name]: V1_BLOCK_SIZE,
      [D.columnSizes.name]: pairs(file.column_sizes),
      [D.valueCounts.name]: pairs(file.value_counts),
      [D.nullValueCounts.name]: pairs(file.null_value_counts),
      [D.nanValueCounts.name]: pairs(file.nan_value_counts),
      [D.lowerBounds.name]: pairs(file.lower_bounds),
      [D.upperBounds.name]: pairs(file.upper_bounds),
      [D.keyMetadata.name]: file.key_metadata ?? null,
      [D.splitOffsets.name]: file.split_offsets ?? null,
      [D.equalityIds.name]: file.equality_ids ?? null,
      [D.sortOrderId.name]: file.sort_order_id ?? null,
      [D.firstRowId.name]: file.first_row_id ?? null,
      [D.referencedDataFile.name]: file.referenced_data_file ?? null,
      [D.contentOffset.name]: file.content_offset ?? null,
      [D.contentSizeInBytes.name]: file.content_size_in_bytes ?? null,
    },
  };
}

const EMPTY_SCHEMA = { type: 'struct', 'schema-id': 0, fields: [] };

function schemaIdOf(schema: string | object): number | undefined {
  const parsed: unknown = typeof schema === 'string' ? JSON.parse(schema) : schema;
  const id = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['schema-id'] : undefined;
  return typeof id === 'number' ? id : undefined;
}

export function writeManifest(entries: readonly ManifestEntryInput[], options: WriteManifestOptions): Uint8Array {
  const { formatVersion } = options;
  const content = options.content ?? 'data';
  if (formatVersion === 1 && content !== 'data') throw new AvroError('v1 manifests hold only data files');
  for (const entry of entries) checkEntry(entry, options);
  const schema = options.schema ?? EMPTY_SCHEMA;
  const partitionFields = options.partitionFields ?? [];
  const spec = partitionFields.map((field) => ({ name: field.name, transform: field.transform, 'source-id': field.sourceId, 'field-id': field.fieldId }));
  const metadata: Record<string, string> = {
    schema: typeof schema === 'string' ? schema : JSON.stringify(schema),
    'schema-id': String(options.schemaId ?? schemaIdOf(schema) ?? 0),
    'partition-spec': JSON.stringify(spec),
    'partition-spec-id': String(options.partitionSpecId ?? 0),
    'format-version': String(formatVersion),
    ...(formatVersion >= 2 ? { content } : {}),
  };
  return writeContainer(manifestEntryAvroSchema(formatVersion, partitionAvroSchema(partitionFields)), entries.map(toRecord), {
    metadata,
    codec: options.codec,
    syncMarker: options.syncMarker,
  });
}
