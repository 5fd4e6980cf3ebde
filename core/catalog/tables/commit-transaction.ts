import { BadRequestError, CommitFailedError, CommitStateUnknownError, type NoSuchTableError } from '../../errors.js';
import { commit, nextMetadataLocation, type TableRequirement, type TableUpdate } from '../../metadata/index.js';
import type { CatalogContext } from '../context.js';
import { advancedTo } from '../pointers/object-pointer.js';
import { MAX_COMMIT_DELAY_MS, pause } from '../retry.js';
import { runTransaction, TransactionConflict, type PointerChange } from '../transactions/run-transaction.js';
import { COMMIT_DEADLINE_MS, MAX_COMMIT_ATTEMPTS } from './commit-table.js';
import { confinementOf } from '../locations/confinement.js';
import { checkTableLocations } from '../locations/object-locations.js';
import { findTablePointer, formatIdentifier, noSuchTable, type TableIdentifier } from './table-lookup.js';

export interface TableChange {
  readonly identifier: TableIdentifier;
  readonly requirements: readonly TableRequirement[];
  readonly updates: readonly TableUpdate[];
}

export type CommitTransactionError = NoSuchTableError | CommitFailedError | CommitStateUnknownError | BadRequestError;

/**
 * `POST /transactions/commit`: every table's requirements are checked against one consistent
 * state (the pointers as settled just before the transaction marks them, each guarded by its
 * ETag), new metadata files are written, and all pointers move in one transaction. A pointer that
 * moved in between aborts the attempt; the whole set is then recomputed on the new state (the
 * server-side retry) and fails with 409 only when a requirement no longer holds.
 */
export async function commitTransaction(ctx: CatalogContext, warehouse: string, tableChanges: readonly TableChange[]): Promise<void> {
  const seen = new Set<string>();
  for (const change of tableChanges) {
    const id = formatIdentifier(change.identifier);
    if (seen.has(id)) throw new BadRequestError(`Invalid CommitTransactionRequest: table ${id} appears more than once`);
    seen.add(id);
    if (change.requirements.some((r) => r.type === 'assert-create')) {
      throw new BadRequestError(`Invalid CommitTransactionRequest: assert-create is not supported in a multi-table transaction (${id})`);
    }
  }
  const deadline = ctx.clock.now() + COMMIT_DEADLINE_MS;
  let attempt = 0;
  for (; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
    const written: string[] = [];
    try {
      const changes: PointerChange[] = [];
      for (const change of tableChanges) {
        const found = await findTablePointer(ctx, warehouse, change.identifier);
        if (found === undefined) throw noSuchTable(change.identifier);
        const base = await ctx.metadataFiles.read(found.pointer.value.metadataLocation);
        const result = commit(base, change.requirements, change.updates, {
          now: ctx.clock.now(),
          newUuid: ctx.newUuid,
          previousMetadataLocation: found.pointer.value.metadataLocation,
        });
        if (result.changes.length === 0) continue;
        checkTableLocations(confinementOf(ctx.config), warehouse, change.identifier.namespace, base, result.metadata);
        const metadataLocation = nextMetadataLocation(result.metadata, found.pointer.value.metadataLocation, ctx.newUuid());
        await ctx.metadataFiles.write(metadataLocation, result.metadata);
        written.push(metadataLocation);
        changes.push({ key: found.key, expected: found.pointer, next: advancedTo(found.pointer.value, metadataLocation) });
      }
      if (changes.length === 0) return;
      await runTransaction(ctx, warehouse, changes);
      return;
    } catch (error) {
      // Files may go only when no pointer can come to name them: every failure but an unknown
      // outcome of the commit point proves the transaction did not and will not commit.
      if (!(error instanceof CommitStateUnknownError)) await Promise.all(written.map((location) => ctx.metadataFiles.discard(location)));
      if (!(error instanceof TransactionConflict)) throw error;
      if (ctx.clock.now() >= deadline) {
        attempt++;
        break;
      }
      await pause(ctx, attempt, MAX_COMMIT_DELAY_MS);
    }
  }
  throw new CommitFailedError(`Commit failed: the tables changed concurrently ${attempt} times; retry`);
}
