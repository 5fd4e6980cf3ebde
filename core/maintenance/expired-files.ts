/**
 * The files only expired snapshots referenced, found by a reachability diff (Java's
 * `ReachableFileCleanup`), and their deletion:
 * - manifest lists of the expired snapshots that no retained snapshot uses;
 * - manifests those lists name that no retained snapshot's list names;
 * - data and delete files those manifests name (entries of every status) that no retained
 *   manifest names (read only when there is such a candidate: a table of fast appends carries every
 *   manifest forward, so expiring its snapshots frees only their lists);
 * - statistics and partition statistics files of the expired snapshots that retained ones do not share.
 *
 * Every path here is client input, so files are read and deleted only inside the table's own
 * locations (through the purge machinery's ScopedDeleter, over the catalog's confined FileIO):
 * anything else is reported, never read, never deleted, even when only an expired snapshot named it.
 *
 * A run is bounded (deletes and a deadline) and deletes leaves first, per expired snapshot: each
 * exclusive manifest's data files then the manifest, then the snapshot's statistics, then its
 * list. A run stopped early therefore leaves every remaining file reachable from a list or
 * manifest that still exists, and a snapshot whose list is gone is done. The next run finds them
 * again from the metadata log (`snapshotsDroppedSince`: the old metadata files still list the
 * expired snapshots) and reads only what is left, so every run makes progress. Deleting a file that
 * is already gone is harmless, so a run may always be repeated. What the log no longer reaches
 * (more than `write.metadata.previous-versions-max` commits later) is left to orphan removal.
 */
import type { CatalogContext } from '../catalog/context.js';
import { ScopedDeleter } from '../catalog/locations/confined-file-io.js';
import { confinementOf } from '../catalog/locations/confinement.js';
import { confinedRoots, tableOwnLocations } from '../catalog/locations/object-locations.js';
import { refusedReport } from '../catalog/tables/purge-table.js';
import { mapLimit } from '../map-limit.js';
import type { Long } from '../metadata/long.js';
import type { Snapshot, TableMetadata } from '../metadata/types.js';
import { BEST_EFFORT, FAIL_CLOSED, manifestListsOf, READ_CONCURRENCY, SnapshotFiles, statisticsFilesOf, UnreadableReferenceError } from './snapshot-files.js';

/** As the purge: within S3 request rates and Lambda sockets. */
const DELETE_CONCURRENCY = 16;
/** A dry-run report lists at most this many paths per kind (the counts are complete). */
export const MAX_LISTED_PATHS = 1_000;
/** As the purge report: the count is in the log line either way. */
const MAX_REPORTED_REFUSED = 100;

export interface ExpiredFiles {
  readonly manifestLists: readonly string[];
  readonly manifests: readonly string[];
  /** Data and delete files. */
  readonly contentFiles: readonly string[];
  readonly statistics: readonly string[];
}

export interface ExpiredFilesReport {
  /** Why nothing was deleted: a retained list or manifest could not be read, so no file can be proven unused. */
  readonly blocked?: string;
  /** Old metadata files of the log that could not be read while looking for earlier expired snapshots (skipped). */
  readonly unreadableMetadataFiles?: number;
  /** What only expired snapshots referenced, inside the table's locations (capped at MAX_LISTED_PATHS per kind). */
  readonly found: ExpiredFiles;
  readonly foundCount: number;
  /** Delete requests sent (a file already gone counts: deleting is idempotent). */
  readonly deleted: number;
  /** Found but not deleted because the run's budget ran out: the next run finds them again. */
  readonly remaining: number;
  /** Paths outside the table's own locations that expired snapshots named: never read or deleted. */
  readonly refused: readonly string[];
}

export interface DeleteBudget {
  /** Deletes to send; checked before each manifest and each list, so a run overshoots by at most one manifest's files. */
  readonly maxDeletes: number;
  /** Clock reading (ctx.clock) after which no further group is started. */
  readonly deadlineMs: number;
  readonly dryRun?: boolean;
}

/** An expired snapshot's statistics file. */
export interface ExpiredStatistics {
  readonly snapshotId: Long;
  readonly path: string;
}

export interface ExpiredSnapshots {
  readonly snapshots: readonly Snapshot[];
  readonly statistics: readonly ExpiredStatistics[];
  /** Old metadata files of the log that could not be read (skipped). */
  readonly unreadableMetadataFiles?: number;
}

/**
 * One expired manifest list with what goes with it, deleted leaves first: each manifest's own
 * data files then the manifest, then the snapshot's statistics, then the list. So once a list is
 * gone its snapshot is done, and once a manifest is gone its files are: a rerun reads only what
 * is left, and every run makes progress (at least one manifest) whatever its budget.
 */
interface DeletionGroup {
  readonly list: string | undefined;
  readonly manifests: { readonly path: string; readonly files: readonly string[] }[];
  readonly statistics: readonly string[];
}

/**
 * `expired`: the snapshots that are gone (from metadata that still listed them) and their
 * statistics; `retained`: the metadata after the expiry, whose every file is kept.
 */
export async function deleteExpiredFiles(ctx: CatalogContext, expired: ExpiredSnapshots, retained: TableMetadata, budget: DeleteBudget): Promise<ExpiredFilesReport> {
  const deleter = new ScopedDeleter(ctx.files, confinedRoots(confinementOf(ctx.config), tableOwnLocations(retained)));
  const outside = new Set<string>();
  const { groups, blocked } = await findExpiredFiles(ctx, deleter, outside, expired, retained);
  const foundCount = groups.reduce((sum, g) => sum + (g.list !== undefined ? 1 : 0) + g.statistics.length + g.manifests.reduce((n, m) => n + 1 + m.files.length, 0), 0);
  let sent = 0;
  const spent = (): boolean => sent >= budget.maxDeletes || ctx.clock.now() >= budget.deadlineMs;
  const remove = async (locations: readonly string[]): Promise<void> => {
    sent += locations.length;
    await mapLimit(locations, DELETE_CONCURRENCY, (location) => deleter.delete(location));
  };
  if (budget.dryRun !== true) {
    run: for (const group of groups) {
      for (const manifest of group.manifests) {
        if (spent()) break run;
        await remove(manifest.files);
        await remove([manifest.path]);
      }
      if (spent()) break;
      await remove([...group.statistics, ...(group.list !== undefined ? [group.list] : [])]);
    }
  }
  const flat = (pick: (g: DeletionGroup) => readonly string[]): string[] => groups.flatMap(pick).slice(0, MAX_LISTED_PATHS);
  return {
    found: {
      manifestLists: flat((g) => (g.list !== undefined ? [g.list] : [])),
      manifests: flat((g) => g.manifests.map((m) => m.path)),
      contentFiles: flat((g) => g.manifests.flatMap((m) => m.files)),
      statistics: flat((g) => g.statistics),
    },
    foundCount,
    deleted: budget.dryRun === true ? 0 : sent,
    remaining: budget.dryRun === true ? 0 : Math.max(0, foundCount - sent),
    refused: [...outside, ...refusedReport(deleter)].slice(0, MAX_REPORTED_REFUSED),
    ...(blocked !== undefined ? { blocked } : {}),
  };
}

/**
 * The deletion groups, or none with the reason when a retained list or manifest cannot be read:
 * then nothing can be proven unused, and deleting only part (say the expired lists) would hide the
 * rest from the next run, so the run deletes nothing and says why.
 */
async function findExpiredFiles(
  ctx: CatalogContext,
  deleter: ScopedDeleter,
  outside: Set<string>,
  expired: ExpiredSnapshots,
  retained: TableMetadata,
): Promise<{ readonly groups: DeletionGroup[]; readonly blocked?: string }> {
  const inside = (path: string): boolean => {
    if (deleter.within(path)) return true;
    outside.add(path);
    return false;
  };
  const walker = new SnapshotFiles({ read: (location) => ctx.files.read(location), within: (location) => deleter.within(location) });
  const keptLists = manifestListsOf(retained.snapshots);
  const keptStatistics = new Set(statisticsFilesOf(retained));
  const expiredSnapshots = expired.snapshots.filter((s) => s.manifestList === undefined || !keptLists.has(s.manifestList));
  if (expiredSnapshots.length === 0 && expired.statistics.length === 0) return { groups: [] };

  // What the retained snapshots reach is kept, whatever the expired ones say; what cannot be read blocks the run.
  let keptManifests: Set<string>;
  try {
    keptManifests = await walker.manifestsOfAll(retained.snapshots, FAIL_CLOSED);
  } catch (error) {
    if (error instanceof UnreadableReferenceError) return { groups: [], blocked: blockedBy(error) };
    throw error;
  }

  // Each expired snapshot's list, read; a list already gone (or unreadable) means that snapshot was done before.
  const lists = await mapLimit(expiredSnapshots, READ_CONCURRENCY, async (snapshot) => {
    if (snapshot.manifestList !== undefined && !inside(snapshot.manifestList)) return undefined;
    const manifests = await walker.manifestsOf(snapshot, BEST_EFFORT);
    return manifests === undefined ? undefined : { snapshot, list: snapshot.manifestList, manifests };
  });
  const claimed = new Set<string>();
  const byGroup: { snapshot: Snapshot; list: string | undefined; manifests: string[] }[] = [];
  for (const entry of lists) {
    if (entry === undefined) continue;
    const manifests = entry.manifests.filter((m) => !keptManifests.has(m) && !claimed.has(m) && inside(m));
    for (const manifest of manifests) claimed.add(manifest);
    byGroup.push({ snapshot: entry.snapshot, list: entry.list, manifests });
  }

  // The files of the claimed manifests, minus every file a retained manifest names (read only when needed).
  // A claimed manifest that is already gone was deleted by an earlier run, with its files before it.
  const filesByManifest = await walker.contentFilesOfAll(claimed, BEST_EFFORT);
  const keptFiles = new Set<string>();
  if ([...filesByManifest.values()].some((paths) => paths.length > 0)) {
    try {
      for (const paths of (await walker.contentFilesOfAll(keptManifests, FAIL_CLOSED)).values()) for (const path of paths) keptFiles.add(path);
    } catch (error) {
      if (error instanceof UnreadableReferenceError) return { groups: [], blocked: blockedBy(error) };
      throw error;
    }
  }
  const claimedFiles = new Set<string>();
  const statisticsOf = new Map<Long, string[]>();
  for (const file of expired.statistics) {
    if (keptStatistics.has(file.path) || !inside(file.path)) continue;
    statisticsOf.set(file.snapshotId, [...(statisticsOf.get(file.snapshotId) ?? []), file.path]);
  }
  const groups = byGroup.map((group) => ({
    list: group.list,
    manifests: group.manifests.filter((path) => filesByManifest.has(path)).map((path) => ({
      path,
      files: (filesByManifest.get(path) ?? []).filter((file) => {
        if (keptFiles.has(file) || claimedFiles.has(file) || !inside(file)) return false;
        claimedFiles.add(file);
        return true;
      }),
    })),
    statistics: statisticsOf.get(group.snapshot.snapshotId) ?? [],
  }));
  return { groups };
}

/** Why a run deletes nothing: which retained file could not be read. */
function blockedBy(error: UnreadableReferenceError): string {
  return `retained ${error.kind} cannot be read: ${error.location.slice(0, 200)} (${error.reason})`;
}

/**
 * Snapshots older metadata files of the table list and `current` does not: what earlier expiries
 * (ours or a client's) removed, whose files a run stopped by its budget may have left. Reads the
 * metadata log newest first, at most `maxFiles` files, only inside the table's own locations.
 */
export async function snapshotsDroppedSince(
  ctx: CatalogContext,
  current: TableMetadata,
  maxFiles: number,
): Promise<ExpiredSnapshots> {
  const deleter = new ScopedDeleter(ctx.files, confinedRoots(confinementOf(ctx.config), tableOwnLocations(current)));
  const present = new Set<Long>(current.snapshots.map((s) => s.snapshotId));
  const dropped = new Map<Long, Snapshot>();
  const statistics = new Map<string, ExpiredStatistics>();
  let unreadable = 0;
  const log = current.metadataLog.slice(-maxFiles).reverse();
  for (const entry of log) {
    if (!deleter.within(entry.metadataFile)) continue;
    let old: TableMetadata | undefined;
    try {
      old = await ctx.metadataFiles.readIfPresent(entry.metadataFile);
    } catch {
      // Outside the warehouses, too large, not table metadata, or the store failed: this file
      // leads to nothing this run, which only means fewer deletions (orphan removal sees the rest).
      unreadable++;
      continue;
    }
    if (old === undefined || old.tableUuid !== current.tableUuid) continue;
    for (const snapshot of old.snapshots) {
      if (!present.has(snapshot.snapshotId) && !dropped.has(snapshot.snapshotId)) dropped.set(snapshot.snapshotId, snapshot);
    }
    for (const file of [...old.statistics, ...old.partitionStatistics]) {
      if (!present.has(file.snapshotId)) statistics.set(file.statisticsPath, { snapshotId: file.snapshotId, path: file.statisticsPath });
    }
  }
  return { snapshots: [...dropped.values()], statistics: [...statistics.values()], unreadableMetadataFiles: unreadable };
}
