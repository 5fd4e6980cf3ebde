import { ConcurrentModificationError, type NoSuchTableError } from '../../errors.js';
import type { CatalogContext } from '../context.js';
import { retirePointer, type PointerRecord } from '../pointers/pointer-protocol.js';
import { MAX_CAS_ATTEMPTS, pause } from '../retry.js';
import { findTablePointer, formatIdentifier, noSuchTable, type TableIdentifier } from './table-lookup.js';

export type DropTableError = NoSuchTableError | ConcurrentModificationError;

/** The pointer a drop retired, as it was when the tombstone replaced it, and what was read from it first. */
export interface RetiredTable<T> {
  readonly pointer: PointerRecord;
  readonly prepared: T;
}

/**
 * The drop itself, shared by dropTable and unregisterTable: find the live pointer (settling any
 * transaction it takes part in), run `prepare` on it, then swap that exact pointer (its ETag) for a
 * tombstone. If the pointer moved in between (a commit landed), start again from the new one, so
 * whatever `prepare` read belongs to the state the drop ended, and a commit that lost the race
 * against the tombstone re-reads, finds no table and answers 404: it can never land after it.
 */
export async function retireTable<T>(
  ctx: CatalogContext,
  warehouse: string,
  id: TableIdentifier,
  prepare: (pointer: PointerRecord) => Promise<T>,
): Promise<RetiredTable<T>> {
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const found = await findTablePointer(ctx, warehouse, id);
    if (found === undefined) throw noSuchTable(id);
    const prepared = await prepare(found.pointer);
    if (await retirePointer(ctx, found.key, found.pointer)) return { pointer: found.pointer, prepared };
    await pause(ctx, attempt);
  }
  throw new ConcurrentModificationError(`Table ${formatIdentifier(id)} changed concurrently; retry the drop`);
}

/**
 * Retires the pointer. Without purge every file stays, so the table can be registered again; with
 * purge the deletion of the files its metadata references is queued and the drop answers at once.
 */
export async function dropTable(ctx: CatalogContext, warehouse: string, id: TableIdentifier, purge: boolean): Promise<void> {
  const { pointer } = await retireTable(ctx, warehouse, id, async () => undefined);
  if (purge) {
    await ctx.jobs.enqueue({
      type: 'purge',
      kind: 'table',
      uuid: pointer.value.uuid,
      metadataLocation: pointer.value.metadataLocation,
      requestedAtMs: ctx.clock.now(),
    });
  }
}
