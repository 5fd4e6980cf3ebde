/**
 * Iceberg manifest lists and manifests on top of the Avro reader: what a purge walks to find every
 * manifest, data file and delete file a table references, plus writers for test fixtures.
 */
import type { ManifestEntry } from './iceberg-manifest-types.js';

export * from './iceberg-manifest-types.js';
export { manifestListEntryInput, readManifestList, readManifestListFile, writeManifestList } from './manifest-list.js';
export type { FieldSummaryInput, ManifestListEntryInput, WriteManifestListOptions } from './manifest-list.js';
export { readManifest } from './manifest-reader.js';
export { writeManifest } from './manifest-writer.js';
export type { DataFileInput, ManifestEntryInput, ManifestPartitionField, WriteManifestOptions } from './manifest-writer.js';

/**
 * The data and delete files the entries point at, each once, in first-seen order. Entries of every
 * status count: a DELETED entry still names a file that exists until snapshots expire, which is
 * exactly what a purge must remove (Java's `CatalogUtil.dropTableData` does the same). A delete
 * file's `referenced_data_file` is not added: it names a data file that has its own entry.
 */
export function referencedFilePaths(entries: Iterable<ManifestEntry>): string[] {
  const paths = new Set<string>();
  for (const entry of entries) paths.add(entry.data_file.file_path);
  return [...paths];
}
