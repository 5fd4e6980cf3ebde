/**
 * Commits a snapshot expiry through the same path as a client's commit (`commitTable`: pointer CAS,
 * server-side retry, deadline, lineage on an unknown swap), so nothing about it is special to the
 * store protocol.
 *
 * Why it is safe beside live writers. The plan is a function of one base (expire-snapshots.ts), and
 * removing a snapshot also drops any ref still naming it. The commit therefore carries
 * `assert-table-uuid`, the catalog-internal `assert-snapshots-unreferenced` (no ref names a
 * snapshot the plan removes) and `assert-ref-snapshot-id` for each ref the plan removes:
 * - a writer whose swap loses to the expiry re-applies its own updates on the expired base (the
 *   server-side retry of any commit): the expiry moved no ref that survives it, so the writer's
 *   requirements still hold and it never sees an error caused by the expiry;
 * - an expiry whose swap loses to appends is re-applied by commitTable on the newer base: appends
 *   only add snapshots newer than anything the plan removes, so the removed snapshots are still
 *   unreferenced and no newer head retains them (a stream of appends every 100 ms would otherwise
 *   make every expiry yield, and the table grow for ever); a ref created or rolled back onto a
 *   removed snapshot fails the guard, and the expiry re-plans on the new base, a few times, then
 *   gives up for this run (the next run finds the same work).
 * The files of the expired snapshots are chosen afterwards against the metadata that landed, so a
 * file a newer snapshot still reaches is never deleted.
  */
import { CommitFailedError, type BadRequestError, type CommitStateUnknownError, type NoSuchTableError } from '../errors.js';
import type { CatalogContext } from '../catalog/context.js';
import { pause, MAX_COMMIT_DELAY_MS } from '../catalog/retry.js';
import { commitTable } from '../catalog/tables/commit-table.js';
import { findTablePointer, noSuchTable, type TableIdentifier } from '../catalog/tables/table-lookup.js';
import { commit } from '../metadata/commit.js';
import type { TableMetadata, TableRequirement, TableUpdate } from '../metadata/types.js';
import { rebaseAppendsEnabled, validateCatalogRequirements, validateTableUpdates } from '../metadata/index.js';
import type { JsonValue } from '../json/lossless-json.js';
import type { IntentRequest } from '../catalog/group-commit/wait-as-intent.js';
import { planSnapshotExpiration, type ExpirationPlan } from './expire-snapshots.js';
import { maintenancePolicy, type MaintenanceDefaults, type MaintenancePolicy, type PolicyProblem } from './maintenance-policy.js';

/** Plans made and given up on before the run yields to the writers; the next run starts afresh. */
export const MAX_EXPIRY_ATTEMPTS = 8;

export interface ExpireSnapshotsOptions {
  /** Return the plan and the metadata it would leave, without writing anything. */
  readonly dryRun?: boolean;
  /** The catalog-wide defaults (CATALOG_MAINTENANCE); the context's config when absent. */
  readonly defaults?: MaintenanceDefaults;
  /** Leave the table alone (`status: 'disabled'`) when `catalog.maintenance.enabled` (or the catalog default) says no. */
  readonly onlyIfEnabled?: boolean;
  /** No new plan is made after this (ctx.clock): the run yields instead (a request's answer is due). */
  readonly deadlineMs?: number;
}

export type ExpireStatus =
  /** The expiry landed: `after` is the metadata it produced (or a later one built on it). */
  | 'committed'
  /** Nothing to expire (or gc.enabled=false): nothing written. */
  | 'nothing-to-expire'
  /** Dry run: `after` is what the commit would produce, nothing written. */
  | 'dry-run'
  /** Writers moved refs under every attempt: nothing written, the next run tries again. */
  | 'yielded'
  /** `onlyIfEnabled` and maintenance is off for this table: nothing planned or written. */
  | 'disabled';

export interface ExpireSnapshotsOutcome {
  readonly status: ExpireStatus;
  readonly policy: MaintenancePolicy;
  readonly problems: readonly PolicyProblem[];
  readonly plan: ExpirationPlan;
  /** The base the plan was made on: it still lists the expired snapshots. */
  readonly before: TableMetadata;
  /** The metadata after the expiry (the landed one, or for a dry run the would-be one). */
  readonly after: TableMetadata;
  readonly metadataLocation: string;
  readonly attempts: number;
}

/**
 * A lost race is not an error here (the expiry re-plans or yields). What remains: the table is gone,
 * the expiry commit's outcome is unknown (nothing is deleted then: the snapshots may still be there),
 * or the new metadata is refused (e.g. over CATALOG_MAX_METADATA_BYTES, which an expiry only shrinks).
 */
export type ExpireSnapshotsError = NoSuchTableError | CommitStateUnknownError | BadRequestError;

export async function expireSnapshots(
  ctx: CatalogContext,
  warehouse: string,
  id: TableIdentifier,
  nowMs: number,
  options: ExpireSnapshotsOptions = {},
): Promise<ExpireSnapshotsOutcome> {
  const defaults = options.defaults ?? { enabled: ctx.config.maintenanceEnabled };
  let attempt = 0;
  for (;;) {
    attempt++;
    const found = await findTablePointer(ctx, warehouse, id, 'read');
    if (found === undefined) throw noSuchTable(id);
    const metadataLocation = found.pointer.value.metadataLocation;
    const before = await ctx.metadataFiles.read(metadataLocation);
    const { policy, problems } = maintenancePolicy(before.properties, defaults);
    if (options.onlyIfEnabled === true && !policy.enabled) {
      const plan: ExpirationPlan = { snapshotIdsToRemove: [], refsToRemove: [], refsSeen: {}, work: 0 };
      return { policy, problems, plan, before, attempts: attempt, status: 'disabled', after: before, metadataLocation };
    }
    const plan = planSnapshotExpiration(before, policy, BigInt(nowMs));
    const base = { policy, problems, plan, before, attempts: attempt };
    if (plan.snapshotIdsToRemove.length === 0 && plan.refsToRemove.length === 0) {
      return { ...base, status: 'nothing-to-expire', after: before, metadataLocation };
    }
    const updates = expiryUpdates(plan);
    if (options.dryRun === true) {
      const { metadata } = commit(before, [], updates, { now: ctx.clock.now(), newUuid: ctx.newUuid, previousMetadataLocation: metadataLocation });
      return { ...base, status: 'dry-run', after: metadata, metadataLocation };
    }
    try {
      const request = expiryRequest(before, plan);
      const landed = await commitTable(ctx, warehouse, id, request.requirements, request.updates, {
        // Group commit only where the other writers fold: appends of a rebase table that lose
        // their swap queue as intents and fold the expiry in between them. Elsewhere the writers
        // an expiry races are direct commits that never fold, so an intent would have to fold
        // itself, a claim and a lease slower than a plain retry: beside one spec-strict appender
        // committing every 30 ms it lost every race until its deadline.
        ...(rebaseAppendsEnabled(before) ? { request: request.json } : {}),
        ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
      });
      return { ...base, status: 'committed', after: landed.metadata, metadataLocation: landed.metadataLocation };
    } catch (error) {
      // A ref moved (or the table was replaced): the plan is stale. Anything else is not ours to absorb.
      if (!(error instanceof CommitFailedError)) throw error;
      if (attempt >= MAX_EXPIRY_ATTEMPTS || ctx.clock.now() >= (options.deadlineMs ?? Number.POSITIVE_INFINITY)) return { ...base, status: 'yielded', after: before, metadataLocation };
      await pause(ctx, attempt, MAX_COMMIT_DELAY_MS);
    }
  }
}

/**
 * The expiry commit as a request, written once as JSON (the form a group-commit intent keeps) and
 * read back with the catalog's validators, so the commit and its intent cannot disagree.
 *
 * Requirements: the same table; no ref names a snapshot the plan removes; and the refs the plan
 * removes are still where it saw them. Branches that appends moved on since the plan do not fail
 * it: what the plan removes is older than anything a newer head retains, so the expiry is
 * re-applied on the newer base (the server's retry of a lost swap, or a group-commit fold that
 * applies it between appends) instead of yielding to every append.
 * Updates: expired refs first (so their removal is explicit, not a side effect), then the snapshots.
 */
export function expiryRequest(before: TableMetadata, plan: ExpirationPlan): { readonly requirements: TableRequirement[]; readonly updates: TableUpdate[]; readonly json: IntentRequest } {
  // Only refs the metadata really has: an implied main (v1, no refs map) cannot be asserted by name.
  const removedRefs = plan.refsToRemove.filter((name) => Object.hasOwn(before.refs, name));
  const requirements: JsonValue[] = [
    { type: 'assert-table-uuid', uuid: before.tableUuid },
    ...(plan.snapshotIdsToRemove.length > 0 ? [{ type: 'assert-snapshots-unreferenced', 'snapshot-ids': [...plan.snapshotIdsToRemove], 'except-refs': [...plan.refsToRemove] }] : []),
    ...removedRefs.map((ref): JsonValue => ({ type: 'assert-ref-snapshot-id', ref, 'snapshot-id': plan.refsSeen[ref] ?? before.refs[ref]?.snapshotId ?? null })),
  ];
  const updates = expiryUpdatesJson(plan);
  return { requirements: validateCatalogRequirements(requirements), updates: validateTableUpdates(updates), json: { requirements, updates } };
}

/** The updates of the expiry (for a dry run, applied on its base). */
export function expiryUpdates(plan: ExpirationPlan): TableUpdate[] {
  return validateTableUpdates(expiryUpdatesJson(plan));
}

function expiryUpdatesJson(plan: ExpirationPlan): JsonValue[] {
  return [
    ...plan.refsToRemove.map((ref): JsonValue => ({ action: 'remove-snapshot-ref', 'ref-name': ref })),
    ...(plan.snapshotIdsToRemove.length > 0 ? [{ action: 'remove-snapshots', 'snapshot-ids': [...plan.snapshotIdsToRemove] }] : []),
  ];
}
