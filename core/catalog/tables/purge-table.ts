import { gcEnabled, type TableMetadata } from '../../metadata/index.js';
import type { FileIO } from '../../store/file-io.js';
import { InvalidLocationError } from '../locations/canonical-location.js';
import { ScopedDeleter } from '../locations/confined-file-io.js';
import { LocationOutsideError, type LocationConfinement } from '../locations/confinement.js';
import { confinedRoots, tableOwnLocations } from '../locations/object-locations.js';
import { BEST_EFFORT, manifestListsOf, metadataLogFilesOf, SnapshotFiles, statisticsFilesOf } from '../../maintenance/snapshot-files.js';
import { MetadataFiles } from './metadata-files.js';
import type { PurgeJob } from '../../maintenance/jobs/job-queue.js';
import { mapLimit } from '../../map-limit.js';

export interface PurgeReport {
  readonly deleted: number;
  readonly dataFiles: number;
  readonly manifests: number;
  readonly metadataFiles: number;
  /**
   * Files the dropped object's metadata names outside its own locations: never deleted (they may
   * be another object's, or the catalog's own), reported here and in the log.
   */
  readonly refused: readonly string[];
}

/** A purge that found its metadata file gone: it ran before, and purges may always run again. */
export const NOTHING_PURGED: PurgeReport = { deleted: 0, dataFiles: 0, manifests: 0, metadataFiles: 0, refused: [] };

/** Deletes at most this many files at once, to stay within S3 request rates and Lambda sockets. */
const DELETE_CONCURRENCY = 16;
/** A report lists at most this many refused files (the count is in the log line either way). */
const MAX_REPORTED = 100;

async function deleteAll(deleter: ScopedDeleter, locations: Iterable<string>): Promise<number> {
  const outcomes = await mapLimit([...new Set(locations)], DELETE_CONCURRENCY, (location) => deleter.delete(location));
  return outcomes.filter(Boolean).length;
}

export function refusedReport(deleter: ScopedDeleter): readonly string[] {
  return deleter.refused().slice(0, MAX_REPORTED);
}

/** The metadata file a job names, or undefined when it is gone or lies outside every warehouse. */
export async function readPurgedMetadata<T>(read: (location: string) => Promise<T | undefined>, location: string): Promise<T | undefined> {
  try {
    return await read(location);
  } catch (error) {
    if (error instanceof LocationOutsideError || error instanceof InvalidLocationError) return undefined;
    throw error;
  }
}

/**
 * Deletes the files the dropped table's metadata references, and only those inside the table's
 * own locations (location, metadata folder, data folders; each itself inside a configured
 * warehouse): every path in table metadata is client input (statistics, manifest lists,
 * manifests, data files, the metadata log), and another table, or the catalog's own records, may
 * be what a path names. Files elsewhere are reported, never removed or read. No prefix is listed
 * or removed either (a table re-created after a rename shares the location). Order makes a crashed
 * purge safe to run again: data first, then manifests and lists, then statistics, and the metadata
 * files (which lead to all the rest) last. Data files are kept when `gc.enabled` is false, as
 * Iceberg specifies.
 */
export async function purgeTable(files: FileIO, confinement: LocationConfinement, job: PurgeJob): Promise<PurgeReport> {
  const metadataFiles = new MetadataFiles(files, 1);
  const metadata: TableMetadata | undefined = await readPurgedMetadata((l) => metadataFiles.readIfPresent(l), job.metadataLocation);
  if (metadata === undefined) return NOTHING_PURGED;
  const deleter = new ScopedDeleter(files, confinedRoots(confinement, tableOwnLocations(metadata)));

  // Best effort: a list or manifest that is gone, unreadable or outside leads to nothing more.
  const walker = new SnapshotFiles({ read: (location) => files.read(location), within: (location) => deleter.within(location) });
  const manifestLists = manifestListsOf(metadata.snapshots);
  const manifests = await walker.manifestsOfAll(metadata.snapshots, BEST_EFFORT);
  const dataFiles = new Set<string>();
  if (gcEnabled(metadata.properties)) {
    for (const paths of (await walker.contentFilesOfAll(manifests, BEST_EFFORT)).values()) for (const path of paths) dataFiles.add(path);
  }
  const statistics = statisticsFilesOf(metadata);
  const metadataLog = [...metadataLogFilesOf(metadata), job.metadataLocation];

  const deleted =
    (await deleteAll(deleter, dataFiles)) +
    (await deleteAll(deleter, manifests)) +
    (await deleteAll(deleter, manifestLists)) +
    (await deleteAll(deleter, statistics)) +
    (await deleteAll(deleter, metadataLog));
  return { deleted, dataFiles: dataFiles.size, manifests: manifests.size, metadataFiles: metadataLog.length, refused: refusedReport(deleter) };
}
