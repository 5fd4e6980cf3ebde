import { maintainTable as runMaintenance, type MaintenanceReport } from '../../../maintenance/maintain-table.js';
import { BadRequestError } from '../../../errors.js';
import type { JsonObject, JsonValue } from '../../../json/lossless-json.js';
import { ok, type Operation } from '../../operation.js';
import { requireObjectBody } from '../../request-body.js';
import { warehouseOf } from '../namespace-params.js';
import { tableIdOf } from '../table-params.js';
import { optionalString } from './management-request.js';

/** The fields a MaintainTableRequest may carry; anything else is a typo the caller should hear about. */
const FIELDS = new Set(['dryRun', 'force', 'orphans', 'orphanCursor']);

function optionalBoolean(body: JsonObject, field: string, fallback: boolean): boolean {
  const value = body[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw new BadRequestError(`Invalid ${field}: expected true or false`);
  return value;
}

/**
 * `POST /management/v1/warehouses/{prefix}/namespaces/{namespace}/tables/{table}/maintenance`
 * {dryRun?, force?, orphans?, orphanCursor?}: one maintenance run (core/maintenance/maintain-table.ts)
 * on one table, answered with its report. `dryRun` (default false) changes nothing and reports what
 * would go. `force` runs on a table whose maintenance is off (`catalog.maintenance.enabled=false` or
 * CATALOG_MAINTENANCE=off); gc.enabled=false is never overridden. `orphanCursor` is the previous
 * answer's `orphans.cursor`, to resume a long orphan listing.
 */
/**
 * A run through the route answers within the request's bounds (API Gateway's 30 s, the local
 * server's 19 s): the expiry makes no new plan, and deletion and orphan listing stop, after this.
 * What is left is found by the next run (scheduled runs get a Lambda's minutes).
 */
export const ROUTE_RUN_BUDGET_MS = 8_000;

export const maintainTable: Operation = async (request, ctx) => {
  // An empty POST means "run with the defaults", as for the sweeper: no body is not a mistake here.
  const body = request.body === undefined ? {} : requireObjectBody(request.body, 'MaintainTableRequest');
  const unknown = Object.keys(body).find((key) => !FIELDS.has(key));
  if (unknown !== undefined) throw new BadRequestError(`Invalid MaintainTableRequest: unknown field ${unknown.slice(0, 64)}`);
  const dryRun = optionalBoolean(body, 'dryRun', false);
  const force = optionalBoolean(body, 'force', false);
  const orphans = optionalBoolean(body, 'orphans', true);
  const orphanCursor = optionalString(body['orphanCursor'], 'orphanCursor', 2048);
  const warehouse = warehouseOf(request, ctx);
  const id = tableIdOf(request, ctx);
  const report = await runMaintenance(ctx, warehouse, id, ctx.clock.now(), {
    budgetMs: ROUTE_RUN_BUDGET_MS,
    dryRun,
    force,
    orphans,
    ...(orphanCursor !== undefined ? { orphanCursor } : {}),
  });
  return ok(maintenanceReportJson(report), { 'cache-control': 'no-store' });
};

/** The report as the route answers it: what was (dry run: would be) expired and deleted, and why not. */
export function maintenanceReportJson(report: MaintenanceReport): JsonObject {
  const { expiry, files, oldMetadata, compaction, orphans } = report;
  const out: Record<string, JsonValue> = {
    ran: report.ran,
    'dry-run': expiry.status === 'dry-run' || orphans?.dryRun === true,
    expiry: {
      status: expiry.status,
      attempts: expiry.attempts,
      'metadata-location': expiry.metadataLocation,
      'expired-snapshot-ids': [...report.expiredSnapshotIds],
      'expired-refs': [...expiry.plan.refsToRemove],
      'snapshots-before': expiry.before.snapshots.length,
      'snapshots-after': expiry.after.snapshots.length,
      ...(expiry.plan.skipped !== undefined ? { skipped: expiry.plan.skipped } : {}),
      'policy-problems': expiry.problems.map((p) => ({ property: p.property, value: p.value, reason: p.reason })),
    },
  };
  if (files !== undefined) {
    out['files'] = {
      found: {
        'manifest-lists': [...files.found.manifestLists],
        manifests: [...files.found.manifests],
        'content-files': [...files.found.contentFiles],
        statistics: [...files.found.statistics],
      },
      'found-count': files.foundCount,
      deleted: files.deleted,
      remaining: files.remaining,
      refused: [...files.refused],
      ...(files.blocked !== undefined ? { blocked: files.blocked } : {}),
      ...(files.unreadableMetadataFiles !== undefined ? { 'unreadable-metadata-files': files.unreadableMetadataFiles } : {}),
    };
  }
  if (oldMetadata !== undefined) {
    out['old-metadata-files'] = {
      found: [...oldMetadata.found],
      'found-count': oldMetadata.foundCount,
      deleted: oldMetadata.deleted,
      remaining: oldMetadata.remaining,
    };
  }
  if (compaction !== undefined) {
    out['manifest-compaction'] = {
      ...(compaction.skipped !== undefined ? { skipped: compaction.skipped } : {}),
      branches: compaction.branches.map((branch) => ({
        branch: branch.branch,
        status: branch.status,
        ...(branch.snapshotId !== undefined ? { 'snapshot-id': branch.snapshotId } : {}),
        'manifests-before': branch.manifestsBefore,
        'manifests-after': branch.manifestsAfter,
        'manifests-replaced': branch.manifestsReplaced,
        'manifests-created': branch.manifestsCreated,
        'entries-rewritten': branch.entriesRewritten,
        ...(branch.reason !== undefined ? { reason: branch.reason } : {}),
      })),
    };
  }
  if (orphans !== undefined) {
    out['orphans'] = {
      deleted: [...orphans.deleted],
      kept: { ...orphans.kept },
      listed: orphans.listed,
      cursor: orphans.cursor ?? null,
      'min-age-ms': orphans.minAgeMs,
      ...(orphans.refused !== undefined ? { refused: orphans.refused } : {}),
      'not-deleted': [...orphans.notDeleted],
    };
  }
  return out;
}
