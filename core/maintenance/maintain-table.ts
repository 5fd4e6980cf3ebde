/**
 * One maintenance run on one table: expire snapshots (committed like any commit), then delete the
 * files only the expired snapshots referenced, then the metadata files that fell off the log
 * (old-metadata-files.ts), then compact the manifests of branch heads that
 * have too many (compact-manifests.ts), then remove orphan files (orphan-files.ts), and report.
 * Each step is bounded and may be repeated; a run that stops early leaves work the next run finds
 * again. The caller (the scheduled function, the management route, the local server) decides when
 * and how often; this function decides nothing about time but the budget it is given.
 */
import type { CatalogContext } from '../catalog/context.js';
import type { TableIdentifier } from '../catalog/tables/table-lookup.js';
import type { Long } from '../metadata/long.js';
import { compactManifests, type ManifestCompactionReport } from './compact-manifests.js';
import { expireSnapshots, type ExpireSnapshotsError, type ExpireSnapshotsOutcome } from './expire-table-snapshots.js';
import { deleteExpiredFiles, snapshotsDroppedSince, type ExpiredFilesReport } from './expired-files.js';
import type { MaintenanceDefaults } from './maintenance-policy.js';
import { deleteOldMetadataFiles, type OldMetadataReport } from './old-metadata-files.js';
import { removeOrphanFiles, type OrphanBudget, type OrphanRemovalResult } from './orphan-files.js';

/** A run's default time budget for deleting files, well inside a Lambda's 15 minutes. */
export const DEFAULT_RUN_BUDGET_MS = 60_000;

/**
 * The orphan-file step: `removeOrphanFiles` (orphan-files.ts) unless a caller passes another (tests,
 * or a scheduler that runs orphans on their own cadence). Orphan listing resumes from a cursor the
 * caller keeps between runs (the result's `cursor`).
 */
export type OrphanStep = (
  ctx: CatalogContext,
  warehouse: string,
  id: TableIdentifier,
  nowMs: number,
  options: { readonly dryRun: boolean; readonly cursor?: string; readonly budget?: Partial<OrphanBudget> },
) => Promise<OrphanRemovalResult>;

export interface MaintainTableOptions {
  readonly dryRun?: boolean;
  /** Run even when `catalog.maintenance.enabled` (or CATALOG_MAINTENANCE) says no: an explicit request. */
  readonly force?: boolean;
  readonly defaults?: MaintenanceDefaults;
  /** Time for deleting files, measured with ctx.clock (default DEFAULT_RUN_BUDGET_MS). */
  readonly budgetMs?: number;
  /** `false`: skip orphan removal in this run (it lists the table's location and walks the warehouse). */
  readonly orphans?: boolean;
  /** The previous run's `orphans.cursor`, to resume the orphan listing where it stopped. */
  readonly orphanCursor?: string;
  readonly removeOrphans?: OrphanStep;
}

export interface MaintenanceReport {
  /** False when maintenance is off for this table and the run was not forced: nothing was touched. */
  readonly ran: boolean;
  readonly expiry: ExpireSnapshotsOutcome;
  readonly expiredSnapshotIds: readonly Long[];
  readonly files?: ExpiredFilesReport;
  /** Metadata files that fell off the log, deleted (dry run: found). */
  readonly oldMetadata?: OldMetadataReport;
  /** Manifest compaction per branch head (dry run: what would be merged). */
  readonly compaction?: ManifestCompactionReport;
  readonly orphans?: OrphanRemovalResult;
}

/** The expiry's errors; file deletion and orphan removal report what they could not do instead of failing (store outages aside). */
export type MaintainTableError = ExpireSnapshotsError;

export async function maintainTable(
  ctx: CatalogContext,
  warehouse: string,
  id: TableIdentifier,
  nowMs: number,
  options: MaintainTableOptions = {},
): Promise<MaintenanceReport> {
  const dryRun = options.dryRun === true;
  const deadlineMs = ctx.clock.now() + (options.budgetMs ?? DEFAULT_RUN_BUDGET_MS);
  const expiry = await expireSnapshots(ctx, warehouse, id, nowMs, {
    dryRun,
    deadlineMs,
    onlyIfEnabled: options.force !== true,
    ...(options.defaults !== undefined ? { defaults: options.defaults } : {}),
  });
  // Maintenance is off for this table: nothing else is read or touched either.
  if (expiry.status === 'disabled') return { ran: false, expiry, expiredSnapshotIds: [] };

  const expiredIds = new Set(expiry.status === 'committed' || expiry.status === 'dry-run' ? expiry.plan.snapshotIdsToRemove : []);
  const expiredSnapshotIds = [...expiredIds];
  const report = { ran: true, expiry, expiredSnapshotIds };
  // gc.enabled=false: nothing is deleted (orphan removal refuses such a table too); compaction
  // deletes nothing either (the replaced manifests go with their snapshots, through expiry), so it runs.
  const gc = expiry.policy.gcEnabled;
  const files = gc && expiry.policy.deleteExpiredFiles ? await deleteFilesOfExpired(ctx, expiry, expiredIds, deadlineMs, dryRun) : undefined;
  const oldMetadata =
    gc && expiry.policy.deleteOldMetadataFiles
      ? await deleteOldMetadataFiles(ctx, expiry.after, { deadlineMs, dryRun, maxDeletes: expiry.policy.maxDeletesPerRun })
      : undefined;
  const compaction = await compactManifests(ctx, warehouse, id, { policy: expiry.policy.manifestCompaction, dryRun, deadlineMs });
  const withSteps = { ...report, ...(files !== undefined ? { files } : {}), ...(oldMetadata !== undefined ? { oldMetadata } : {}), compaction };
  if (!gc || options.orphans === false) return withSteps;
  const removeOrphans = options.removeOrphans ?? removeOrphanFiles;
  // Whatever time the run has left (a cursor resumes the listing next run).
  const budget = { maxDurationMs: Math.max(0, deadlineMs - ctx.clock.now()) };
  const orphans = await removeOrphans(ctx, warehouse, id, nowMs, { dryRun, budget, ...(options.orphanCursor !== undefined ? { cursor: options.orphanCursor } : {}) });
  return { ...withSteps, orphans };
}

/** This run's expired snapshots, plus those earlier runs (or clients) expired whose files may remain. */
async function deleteFilesOfExpired(ctx: CatalogContext, expiry: ExpireSnapshotsOutcome, expiredIds: ReadonlySet<Long>, deadlineMs: number, dryRun: boolean): Promise<ExpiredFilesReport> {
  const expiredNow = expiry.before.snapshots.filter((s) => expiredIds.has(s.snapshotId));
  const expiredStatistics = [...expiry.before.statistics, ...expiry.before.partitionStatistics]
    .filter((s) => expiredIds.has(s.snapshotId))
    .map((s) => ({ snapshotId: s.snapshotId, path: s.statisticsPath }));
  const earlier = await snapshotsDroppedSince(ctx, expiry.after, expiry.policy.previousVersionsMax);
  const snapshots = [...expiredNow, ...earlier.snapshots.filter((s) => !expiredIds.has(s.snapshotId))];
  const report = await deleteExpiredFiles(ctx, { snapshots, statistics: [...expiredStatistics, ...earlier.statistics] }, expiry.after, {
    maxDeletes: expiry.policy.maxDeletesPerRun,
    deadlineMs,
    dryRun,
  });
  const unreadable = earlier.unreadableMetadataFiles ?? 0;
  return unreadable > 0 ? { ...report, unreadableMetadataFiles: unreadable } : report;
}
