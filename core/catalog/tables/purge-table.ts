import { readManifest, readManifestList } from '../../avro/iceberg-manifests.js';
import { gcEnabled } from '../../metadata/index.js';
import type { FileIO } from '../../store/file-io.js';
import { MetadataFiles } from './metadata-files.js';
import type { PurgeJob } from './purge-queue.js';

export interface PurgeReport {
  readonly deleted: number;
  readonly dataFiles: number;
  readonly manifests: number;
  readonly metadataFiles: number;
}

/** A purge that found its metadata file gone: it ran before, and purges may always run again. */
export const NOTHING_PURGED: PurgeReport = { deleted: 0, dataFiles: 0, manifests: 0, metadataFiles: 0 };

/** Deletes at most this many files at once, to stay within S3 request rates and Lambda sockets. */
const DELETE_CONCURRENCY = 16;

async function deleteAll(files: FileIO, locations: Iterable<string>): Promise<number> {
  const queue = [...new Set(locations)];
  let next = 0;
  const worker = async () => {
    while (next < queue.length) await files.delete(queue[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, queue.length) }, worker));
  return queue.length;
}

/**
 * Deletes exactly the files the dropped table's metadata references, and nothing else: another
 * table may live at the same location (a table re-created after a rename does), so no prefix is
 * ever listed or removed. Order makes a crashed purge safe to run again: data first, then
 * manifests and lists, then statistics, and the metadata files (which lead to all the rest) last.
 * Data files are kept when `gc.enabled` is false, as Iceberg specifies.
 */
export async function purgeTable(files: FileIO, job: PurgeJob): Promise<PurgeReport> {
  const metadata = await new MetadataFiles(files, 1).readIfPresent(job.metadataLocation);
  if (metadata === undefined) return NOTHING_PURGED;

  const manifestLists = new Set<string>();
  const manifests = new Set<string>();
  for (const snapshot of metadata.snapshots) {
    if (snapshot.manifestList !== undefined) manifestLists.add(snapshot.manifestList);
    for (const manifest of snapshot.manifests ?? []) manifests.add(manifest);
  }
  for (const list of manifestLists) {
    const bytes = await files.read(list);
    if (bytes !== undefined) for (const entry of readManifestList(bytes)) manifests.add(entry.manifest_path);
  }
  const dataFiles = new Set<string>();
  if (gcEnabled(metadata.properties)) {
    for (const manifest of manifests) {
      const bytes = await files.read(manifest);
      if (bytes !== undefined) for (const entry of readManifest(bytes).entries) dataFiles.add(entry.data_file.file_path);
    }
  }
  const statistics = [...metadata.statistics.map((s) => s.statisticsPath), ...metadata.partitionStatistics.map((s) => s.statisticsPath)];
  const metadataFiles = [...metadata.metadataLog.map((entry) => entry.metadataFile), job.metadataLocation];

  const deleted =
    (await deleteAll(files, dataFiles)) +
    (await deleteAll(files, manifests)) +
    (await deleteAll(files, manifestLists)) +
    (await deleteAll(files, statistics)) +
    (await deleteAll(files, metadataFiles));
  return { deleted, dataFiles: dataFiles.size, manifests: manifests.size, metadataFiles: metadataFiles.length };
}
