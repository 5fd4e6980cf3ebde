import { randomUUID } from 'node:crypto';
import { findTablePointer, noSuchTable } from '../../catalog/tables/table-lookup.js';
import type { BadRequestError, NoSuchNamespaceError, NoSuchTableError } from '../../errors.js';
import { SerializedJson, stringifyJson } from '../../json/lossless-json.js';
import { planScan, ScanTooLargeError, type PlanScanError, type ScanPlan } from '../../planning/plan-scan.js';
import { ok, type Operation } from '../operation.js';
import { warehouseOf } from './namespace-params.js';
import { parsePlanTableScanRequest } from './plan-table-scan-request.js';
import { tableIdOf } from './table-params.js';

/**
 * The longest answer: Lambda returns at most 6 MB, and a longer one would reach the client as a
 * gateway error outside the spec's error model. Room is left for headers, as for loadTable's
 * metadata (DEFAULT_MAX_METADATA_BYTES). Roughly ten thousand file scan tasks.
 */
export const MAX_PLAN_ANSWER_BYTES = 5 * 1024 * 1024;

export type PlanTableScanError = BadRequestError | NoSuchNamespaceError | NoSuchTableError | PlanScanError;

/**
 * planTableScan, for plans that complete at once: the answer is a `CompletedPlanningResult` with
 * every FileScanTask and the delete files they reference, never `plan-tasks` (core/planning/plan-scan.ts).
 *
 * The spec's planTableScan answer for `completed` is `CompletedPlanningWithIDResult`, which
 * requires a `plan-id`: each answer carries a fresh one. The catalog holds no state for it (nothing
 * is left to fetch or cancel), so fetchPlanningResult and cancelPlanning stay unadvertised.
 *
 * Errors: the request's own (400, plan-table-scan-request.ts), an unknown snapshot or column (400,
 * IllegalArgumentException), a missing or hidden table or namespace (404), a scan larger than one
 * answer may hold (406 UnsupportedOperationException, the spec's answer for what the server does
 * not support): more manifests or entries than planScan reads, or an answer longer than
 * MAX_PLAN_ANSWER_BYTES; a table file that cannot be read (500 RuntimeIOException).
 */
export const planTableScan: Operation = async (request, ctx) => {
  const scan = parsePlanTableScanRequest(request.body);
  const id = tableIdOf(request, ctx);
  const found = await findTablePointer(ctx, warehouseOf(request, ctx), id, 'read');
  if (found === undefined) throw noSuchTable(id);
  const metadata = await ctx.metadataFiles.read(found.pointer.value.metadataLocation);
  const plan = await planScan(ctx, { metadata }, scan);
  return ok(completedPlanAnswer(plan, randomUUID()));
};

/** The `CompletedPlanningWithIDResult` of a plan, serialized once; a ScanTooLargeError when longer than `maxBytes`. */
export function completedPlanAnswer(plan: ScanPlan, planId: string, maxBytes = MAX_PLAN_ANSWER_BYTES): SerializedJson {
  const text = stringifyJson({ status: 'completed', 'plan-id': planId, 'file-scan-tasks': plan.fileScanTasks, 'delete-files': plan.deleteFiles });
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    throw new ScanTooLargeError(
      `The plan lists ${plan.fileScanTasks.length} file scan tasks and ${plan.deleteFiles.length} delete files (${bytes} bytes), more than one answer may carry (${maxBytes} bytes); planning it in one response is not supported`,
    );
  }
  return new SerializedJson(text);
}
