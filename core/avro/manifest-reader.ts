/** Iceberg manifests (data or delete files), read in any format version. */
import { AvroError } from './avro-error.js';
import { readContainer, type ReadContainerOptions } from './container-reader.js';
import type { AvroValue } from './datum-reader.js';
import { DataFileFields as D, ManifestEntryFields as E } from './iceberg-fields.js';
import type { DataFile, Manifest, ManifestEntry } from './iceberg-manifest-types.js';
import { StructView } from './struct-view.js';

function asLong(value: AvroValue): bigint | undefined {
  if (typeof value === 'bigint') return value;
  return typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : undefined;
}

function asBytes(value: AvroValue): Uint8Array | undefined {
  return value instanceof Uint8Array ? value : undefined;
}

function longItem(item: AvroValue, _schema: unknown, where: string): bigint {
  const value = asLong(item);
  if (value === undefined) throw new AvroError(`${where} must be a long`);
  return value;
}

function intItem(item: AvroValue, _schema: unknown, where: string): number {
  if (typeof item !== 'number' || !Number.isInteger(item)) throw new AvroError(`${where} must be an int`);
  return item;
}

function metadataValue(metadata: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(metadata, key) ? metadata[key] : undefined;
}

export function readManifest(bytes: Uint8Array, options?: ReadContainerOptions): Manifest {
  const container = readContainer(bytes, options);
  const versionText = metadataValue(container.metadata, 'format-version') ?? '1';
  const formatVersion = Number(versionText);
  if (!/^\d+$/.test(versionText) || !Number.isSafeInteger(formatVersion)) throw new AvroError(`Manifest format-version "${versionText}" is not a number`);
  const content = metadataValue(container.metadata, 'content') ?? 'data';
  if (content !== 'data' && content !== 'deletes') throw new AvroError(`Manifest content "${content}" is neither data nor deletes`);
  const entries = container.records.map((record, index) => toEntry(StructView.of(container.schema, record, `manifest entry ${index}`)));
  return { metadata: container.metadata, formatVersion, content, entries };
}

function toEntry(view: StructView): ManifestEntry {
  const status = view.int(E.status);
  if (status < 0 || status > 2) throw new AvroError(`Manifest entry status ${status} is not 0, 1 or 2`);
  return {
    status,
    snapshot_id: view.optionalLong(E.snapshotId),
    sequence_number: view.optionalLong(E.sequenceNumber),
    file_sequence_number: view.optionalLong(E.fileSequenceNumber),
    data_file: toDataFile(view.struct(E.dataFile)),
  };
}

function toDataFile(view: StructView): DataFile {
  return {
    // All v1 files are data files; v1 has no content field.
    content: view.int(D.content, 0),
    file_path: view.string(D.filePath),
    file_format: view.string(D.fileFormat),
    partition: view.optionalRecord(D.partition) ?? {},
    record_count: view.long(D.recordCount),
    file_size_in_bytes: view.long(D.fileSizeInBytes),
    column_sizes: view.optionalIntMap(D.columnSizes, asLong),
    value_counts: view.optionalIntMap(D.valueCounts, asLong),
    null_value_counts: view.optionalIntMap(D.nullValueCounts, asLong),
    nan_value_counts: view.optionalIntMap(D.nanValueCounts, asLong),
    lower_bounds: view.optionalIntMap(D.lowerBounds, asBytes),
    upper_bounds: view.optionalIntMap(D.upperBounds, asBytes),
    key_metadata: view.optionalBytes(D.keyMetadata),
    split_offsets: view.optionalList(D.splitOffsets, longItem),
    equality_ids: view.optionalList(D.equalityIds, intItem),
    sort_order_id: view.optionalInt(D.sortOrderId),
    first_row_id: view.optionalLong(D.firstRowId),
    referenced_data_file: view.optionalString(D.referencedDataFile),
    content_offset: view.optionalLong(D.contentOffset),
    content_size_in_bytes: view.optionalLong(D.contentSizeInBytes),
  };
}
