/**
 * One maintenance run on one table: expire snapshots (committed like any commit), then delete the
 * files only the expired snapshots referenced, then (optionally) remove orphan files, and report.
 * Each step is bounded and may be repeated; a run that stops early leaves work the next run finds
 * again. The caller (the scheduled function, the management route, the local server) decides when
 * and how often; this function decides nothing about time but the budget it is given.
 */
import type { CatalogContext } from '../catalog/context.js';
import type { TableIdentifier } from '../catalog/tables/table-lookup.js';
import type { Long } from '../metadata/long.js';
import { expireSnapshots, type ExpireSnapshotsOutcome } from './expire-table-snapshots.js';
import { deleteExpiredFiles, snapshotsDroppedSince, type ExpiredFilesReport } from './expired-files.js';
import type { MaintenanceDefaults } from './maintenance-policy.js';

/** A run's default time budget for deleting files, well inside a Lambda's 15 minutes. */
export const DEFAULT_RUN_BUDGET_MS = 60_000;

/**
 * The orphan-file step, passed in so this run does not depend on how orphans are found
 * (core/maintenance/orphan-files.ts `removeOrphanFiles` fits this shape). Its result is reported as is.
 */
export type OrphanStep = (ctx: CatalogContext, warehouse: string, id: TableIdentifier, nowMs: number, options: { readonly dryRun: boolean }) => Promise<unknown>;

export interface MaintainTableOptions {
  readonly dryRun?: boolean;
  /** Run even when `catalog.maintenance.enabled` (or CATALOG_MAINTENANCE) says no: an explicit request. */
  readonly force?: boolean;
  readonly defaults?: MaintenanceDefaults;
  /** Time for deleting files, measured with ctx.clock (default DEFAULT_RUN_BUDGET_MS). */
  readonly budgetMs?: number;
  readonly removeOrphans?: OrphanStep;
}

export interface MaintenanceReport {
  /** `disabled`: maintenance is off for this table and the run was not forced; nothing was read beyond the metadata. */
  readonly ran: boolean;
  readonly expiry: ExpireSnapshotsOutcome;
  readonly expiredSnapshotIds: readonly Long[];
  readonly files?: ExpiredFilesReport;
  readonly orphans?: unknown;
}

export async function maintainTable(
  ctx: CatalogContext,
  warehouse: string,
  id: TableIdentifier,
  nowMs: number,
  options: MaintainTableOptions = {},
): Promise<MaintenanceReport> {
  const dryRun = options.dryRun === true;
  const deadlineMs = ctx.clock.now() + (options.budgetMs ?? DEFAULT_RUN_BUDGET_MS);
  // A dry run first, to read the policy without writing: a disabled table is left alone entirely.
  const probe = await expireSnapshots(ctx, warehouse, id, nowMs, { dryRun: true, ...(options.defaults !== undefined ? { defaults: options.defaults } : {}) });
  if (!probe.policy.enabled && options.force !== true) return { ran: false, expiry: probe, expiredSnapshotIds: [] };
  const expiry = dryRun ? probe : await expireSnapshots(ctx, warehouse, id, nowMs, options.defaults !== undefined ? { defaults: options.defaults } : {});

  const expiredIds = new Set(expiry.status === 'committed' || expiry.status === 'dry-run' ? expiry.plan.snapshotIdsToRemove : []);
  const expiredSnapshotIds = [...expiredIds];
  const report = { ran: true, expiry, expiredSnapshotIds };
  if (!expiry.policy.gcEnabled || !expiry.policy.deleteExpiredFiles) return report;

  // This run's expired snapshots, plus those earlier runs (or clients) expired whose files may remain.
  const expiredNow = expiry.before.snapshots.filter((s) => expiredIds.has(s.snapshotId));
  const expiredStatistics = [...expiry.before.statistics, ...expiry.before.partitionStatistics].filter((s) => expiredIds.has(s.snapshotId)).map((s) => ({ snapshotId: s.snapshotId, path: s.statisticsPath }));
  const earlier = await snapshotsDroppedSince(ctx, expiry.after, expiry.policy.previousVersionsMax);
  const snapshots = [...expiredNow, ...earlier.snapshots.filter((s) => !expiredIds.has(s.snapshotId))];
  const files = await deleteExpiredFiles(ctx, { snapshots, statistics: [...expiredStatistics, ...earlier.statistics] }, expiry.after, {
    maxDeletes: expiry.policy.maxDeletesPerRun,
    deadlineMs,
    dryRun,
  });
  const orphans = options.removeOrphans === undefined ? undefined : await options.removeOrphans(ctx, warehouse, id, nowMs, { dryRun });
  return { ...report, files, ...(orphans !== undefined ? { orphans } : {}) };
}
