/**
 * Old metadata files: the ones that fell off the metadata log (`write.metadata.previous-versions-max`
 * commits ago). Every commit writes a new metadata file and nothing but this step (or
 * `write.metadata.delete-after-commit.enabled` at commit time) removes the old ones, so a table that
 * commits every second gathers 86,400 of them a day: its folder, every listing of it and the bill
 * grow with its history, not with what it holds.
 *
 * The files are found without listing the folder, by the chain the files themselves keep: the
 * oldest file of the current log (`F0`) names, in its own log, the files before it, and the oldest of
 * those names the ones before that. Those files are this table's own history, so a file of another
 * table that shares the folder is never a candidate (a listing could not tell them apart).
 *
 * Runs delete oldest first, so what earlier runs left is always the newest part of the chain: a
 * run reads `F0`, finds by binary search the oldest file of its log that still exists (the ones
 * before it are gone), and deletes from there up to `F0` (exclusive). Only when even the oldest of
 * that log still exists (the first run, or a table that was never maintained) does it follow the
 * chain further back, one file read per 100 candidates, up to MAX_CHAIN_READS files. A run stopped
 * early leaves files the next run finds; files the chain no longer reaches (a delete that failed
 * before newer ones succeeded, a history longer than one run follows) are left to orphan removal.
 * Nothing here ever deletes `F0`, a file of the current log or the current file, nor anything
 * outside the table's metadata folder.
 */
import type { CatalogContext } from '../catalog/context.js';
import { ScopedDeleter } from '../catalog/locations/confined-file-io.js';
import { confinementOf } from '../catalog/locations/confinement.js';
import { confinedRoots } from '../catalog/locations/object-locations.js';
import { mapLimit } from '../map-limit.js';
import { metadataFolder } from '../metadata/metadata-file-name.js';
import type { TableMetadata } from '../metadata/types.js';

/** Metadata files read to follow the chain back in one run (each names up to previous-versions-max more). */
export const MAX_CHAIN_READS = 20;
/** As the purge: within S3 request rates and Lambda sockets. */
const DELETE_CONCURRENCY = 16;
/** A dry-run report lists at most this many paths (the count is complete). */
const MAX_LISTED = 1_000;

export interface OldMetadataOptions {
  readonly deadlineMs: number;
  readonly maxDeletes: number;
  readonly dryRun: boolean;
}

export interface OldMetadataReport {
  /** Old metadata files found still present (dry run: would be deleted), oldest first, capped at MAX_LISTED. */
  readonly found: readonly string[];
  readonly foundCount: number;
  readonly deleted: number;
  /** Found but left for the next run (budget), or the chain went further back than one run follows. */
  readonly remaining: boolean;
}

const NOTHING: OldMetadataReport = { found: [], foundCount: 0, deleted: 0, remaining: false };

export async function deleteOldMetadataFiles(ctx: CatalogContext, current: TableMetadata, options: OldMetadataOptions): Promise<OldMetadataReport> {
  const oldestKept = current.metadataLog[0]?.metadataFile;
  if (oldestKept === undefined) return NOTHING;
  const deleter = new ScopedDeleter(ctx.files, confinedRoots(confinementOf(ctx.config), [metadataFolder(current)]));
  const kept = new Set([...current.metadataLog.map((entry) => entry.metadataFile)]);
  const { candidates, complete } = await chainBefore(ctx, current, oldestKept, deleter, kept, options.deadlineMs);
  const existing = await presentSuffix(ctx, candidates);
  const toDelete = existing.slice(0, options.maxDeletes);
  const report = { found: toDelete.slice(0, MAX_LISTED), foundCount: toDelete.length };
  if (options.dryRun) return { ...report, deleted: 0, remaining: !complete || toDelete.length < existing.length };
  let deleted = 0;
  // Oldest first, in chunks: a run stopped between chunks leaves only the newest part of the chain.
  for (let start = 0; start < toDelete.length && ctx.clock.now() < options.deadlineMs; start += DELETE_CONCURRENCY) {
    const chunk = toDelete.slice(start, start + DELETE_CONCURRENCY);
    const results = await mapLimit(chunk, DELETE_CONCURRENCY, (location) => deleter.delete(location));
    deleted += results.filter(Boolean).length;
  }
  return { ...report, deleted, remaining: !complete || deleted < existing.length };
}

/**
 * The files before `oldestKept` in its chain, oldest first, inside the metadata folder and never
 * one the current log keeps. Follows the chain back only while the oldest file found still exists.
 */
async function chainBefore(
  ctx: CatalogContext,
  current: TableMetadata,
  oldestKept: string,
  deleter: ScopedDeleter,
  kept: ReadonlySet<string>,
  deadlineMs: number,
): Promise<{ candidates: string[]; complete: boolean }> {
  const segments: string[][] = [];
  const seen = new Set<string>(kept);
  const found = () => segments.reverse().flat();
  let cursor = oldestKept;
  for (let reads = 0; reads < MAX_CHAIN_READS; reads++) {
    if (ctx.clock.now() >= deadlineMs) return { candidates: found(), complete: false };
    // Gone (an earlier run got here: everything before it is gone too), unreadable or another table's: the chain ends.
    const older = await logOf(ctx, cursor, current.tableUuid);
    // Never a file the log keeps, never one twice (a log that loops), never outside the folder.
    const segment = older.filter((location) => !seen.has(location) && deleter.within(location));
    if (segment.length === 0) return { candidates: found(), complete: true };
    for (const location of segment) seen.add(location);
    segments.push(segment);
    cursor = segment[0]!;
  }
  return { candidates: found(), complete: false };
}

/** The locations a metadata file's log names, oldest first; none when it is gone, unreadable or another table's. */
async function logOf(ctx: CatalogContext, location: string, tableUuid: string): Promise<string[]> {
  let metadata: TableMetadata | undefined;
  try {
    metadata = await ctx.metadataFiles.readIfPresent(location);
  } catch {
    // Unreadable or outside the warehouses: the chain ends here (orphan removal sees the rest).
    return [];
  }
  if (metadata === undefined || metadata.tableUuid !== tableUuid) return [];
  return metadata.metadataLog.map((entry) => entry.metadataFile);
}

/**
 * Earlier runs deleted oldest first, so the files still present are a suffix of `candidates`:
 * found by binary search on existence (a read each), not by a delete per candidate.
 */
async function presentSuffix(ctx: CatalogContext, candidates: readonly string[]): Promise<string[]> {
  let low = 0;
  let high = candidates.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((await ctx.files.read(candidates[middle]!)) !== undefined) high = middle;
    else low = middle + 1;
  }
  return candidates.slice(low);
}
