import { AlreadyExistsError, CommitFailedError, CommitStateUnknownError, type BadRequestError, type NoSuchTableError } from '../../errors.js';
import { commit, nextMetadataLocation, type TableMetadata, type TableRequirement, type TableUpdate } from '../../metadata/index.js';
import type { CatalogContext } from '../context.js';
import { advancedTo } from '../pointers/object-pointer.js';
import { createPointer, discardUnlessUnknown } from '../pointers/pointer-protocol.js';
import { swapPointer } from '../pointers/swap-pointer.js';
import { requireNamespace } from '../namespaces/namespace-lookup.js';
import { resolveWarehouse } from '../context.js';
import { defaultTableLocation } from './table-location.js';
import { confinementOf } from '../locations/confinement.js';
import { checkTableLocations } from '../locations/object-locations.js';
import { MAX_COMMIT_DELAY_MS, pause } from '../retry.js';
import { discardRebasedList, type ImmutableFileCache } from './rebase-append.js';
import { applyOrRebase, descendsFrom, removeExpiredMetadata } from './commit-steps.js';
import { commitGrouped, type IntentRequest } from '../group-commit/wait-as-intent.js';
import { mayWaitAsIntent } from '../group-commit/group-commit-policy.js';
import { findTablePointer, formatIdentifier, noSuchTable, type TableIdentifier } from './table-lookup.js';

/**
 * A lost swap whose requirements still hold on the new base is re-applied by the server: the
 * client could not have conflicted, so it must not see a 409. One writer wins each round, so a
 * request may lose about as many rounds as there are writers; the deadline keeps it well inside
 * API Gateway's 30 s (and the attempt bound keeps a pathological store from spinning).
 */
export const MAX_COMMIT_ATTEMPTS = 64;
/** Below the local server's 19 s answer bound (and API Gateway's 30 s): a request ends with an answer, not a timeout. */
export const COMMIT_DEADLINE_MS = 15_000;

export interface CommitOutcome {
  readonly metadataLocation: string;
  readonly metadata: TableMetadata;
  readonly etag?: string;
  /** How many lost pointer swaps the server re-applied the updates after. */
  readonly serverRetries: number;
  /**
   * How many times the server rebased the append onto a newer snapshot of its branch
   * (`catalog.rebase-appends`), writing a new manifest list each time; 0 when it never had to.
   */
  readonly rebases: number;
  /** True when the commit landed through group commit (one swap applied it with other waiting commits). */
  readonly grouped?: boolean;
}

export interface CommitOptions {
  /**
   * The request's requirements and updates as the client sent them: with it, a commit that lost its
   * swap under contention may wait as a group-commit intent (core/catalog/group-commit), which a
   * folder re-validates from this JSON. Internal callers that build updates themselves leave it out.
   */
  readonly request?: IntentRequest;
  /** Give up (409) sooner than the commit deadline: a caller with its own budget (a maintenance run in a request). */
  readonly deadlineMs?: number;
}

export type CommitTableError = NoSuchTableError | CommitFailedError | CommitStateUnknownError | BadRequestError;

/**
 * GET pointer → check requirements and apply updates on its metadata → PUT the new metadata file
 * (If-None-Match: *) → PUT the pointer (If-Match). A lost swap is retried on the new base as long
 * as the requirements still hold there (server-side retry, bounded and jittered); a failed
 * requirement is a 409. When the store cannot say whether our swap landed, the pointer is read
 * again and decides.
 *
 * A table with `catalog.rebase-appends=true` turns the 409 of a fast append whose branch moved on
 * into a rebase (rebase-append.ts): the append is rewritten on top of the branch's current snapshot
 * with a new manifest list, and committed like any other request. A lost swap after a rebase starts
 * again from the original request on the next base; the rebased list is deleted.
 */
export async function commitTable(
  ctx: CatalogContext,
  warehouse: string,
  id: TableIdentifier,
  requirements: readonly TableRequirement[],
  updates: readonly TableUpdate[],
  options: CommitOptions = {},
): Promise<CommitOutcome> {
  let rebases = 0;
  const deadline = Math.min(ctx.clock.now() + COMMIT_DEADLINE_MS, options.deadlineMs ?? Number.POSITIVE_INFINITY);
  const cache: ImmutableFileCache = new Map();
  let attempt = 0;
  for (; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
    const found = await findTablePointer(ctx, warehouse, id);
    if (found === undefined) {
      if (requirements.some((r) => r.type === 'assert-create')) return createThroughCommit(ctx, warehouse, id, requirements, updates);
      throw noSuchTable(id);
    }
    const { key, pointer } = found;
    const base = await ctx.metadataFiles.read(pointer.value.metadataLocation);
    const contended = attempt > 0 || (pointer.value.groupingUntilMs ?? 0) > ctx.clock.now();
    if (contended && options.request !== undefined && mayWaitAsIntent(base, requirements, updates, ctx.clock.now())) {
      const target = { warehouse, id, tableUuid: pointer.value.uuid };
      const { led, ...grouped } = await commitGrouped(ctx, target, options.request, { requirements, updates }, deadline);
      return { ...grouped, serverRetries: attempt, rebases, grouped: led !== true };
    }
    const commitContext = { now: ctx.clock.now(), newUuid: ctx.newUuid, previousMetadataLocation: pointer.value.metadataLocation };
    const { result, rebased } = await applyOrRebase(ctx, base, requirements, updates, commitContext, rebases + 1, cache);
    if (rebased !== undefined) rebases++;
    if (result.changes.length === 0) {
      return { metadataLocation: pointer.value.metadataLocation, metadata: base, etag: pointer.etag, serverRetries: attempt, rebases };
    }
    checkTableLocations(confinementOf(ctx.config), warehouse, id.namespace, base, result.metadata);
    const metadataLocation = nextMetadataLocation(result.metadata, pointer.value.metadataLocation, ctx.newUuid());
    await ctx.metadataFiles.write(metadataLocation, result.metadata);
    const swapped = await swapPointer(ctx, key, pointer, advancedTo(pointer.value, metadataLocation), (current) => descendsFrom(ctx, current, metadataLocation));
    if (swapped.landed) {
      await removeExpiredMetadata(ctx, result.metadata, result.expiredMetadataLog);
      return { metadataLocation, metadata: result.metadata, ...(swapped.etag !== undefined ? { etag: swapped.etag } : {}), serverRetries: attempt, rebases };
    }
    // Provably lost: nothing can come to name these files.
    await ctx.metadataFiles.discard(metadataLocation);
    await discardRebasedList(ctx, rebased);
    if (ctx.clock.now() >= deadline) {
      attempt++;
      break;
    }
    await pause(ctx, attempt, MAX_COMMIT_DELAY_MS);
  }
  throw new CommitFailedError(`Commit failed: ${formatIdentifier(id)} changed concurrently ${attempt} times; retry`);
}

/**
 * The second half of a staged create (`stage-create`, then a commit with `assert-create`): build
 * version 0 from the updates and create the table as createTable does. The metadata log stays empty.
 */
async function createThroughCommit(
  ctx: CatalogContext,
  warehouse: string,
  id: TableIdentifier,
  requirements: readonly TableRequirement[],
  updates: readonly TableUpdate[],
): Promise<CommitOutcome> {
  const ns = await requireNamespace(ctx, warehouse, id.namespace);
  const defaultLocation = defaultTableLocation(resolveWarehouse(ctx.config, warehouse).location, id.namespace, ns.value.properties, id.name);
  const { metadata } = commit(undefined, requirements, updates, { now: ctx.clock.now(), newUuid: ctx.newUuid, defaultLocation });
  checkTableLocations(confinementOf(ctx.config), warehouse, id.namespace, undefined, metadata);
  const metadataLocation = nextMetadataLocation(metadata, undefined, ctx.newUuid());
  await ctx.metadataFiles.write(metadataLocation, metadata);
  try {
    const { etag } = await createPointer(ctx, warehouse, id.namespace, id.name, { kind: 'table', uuid: metadata.tableUuid, metadataLocation });
    return { metadataLocation, metadata, etag, serverRetries: 0, rebases: 0 };
  } catch (error) {
    if (error instanceof AlreadyExistsError && error.message.startsWith('Table already exists')) {
      await ctx.metadataFiles.discard(metadataLocation);
      throw new CommitFailedError('Requirement failed: table already exists', { cause: error });
    }
    return discardUnlessUnknown(error, () => ctx.metadataFiles.discard(metadataLocation));
  }
}
