import { ConcurrentModificationError, type NoSuchTableError } from '../../errors.js';
import type { CatalogContext } from '../context.js';
import { retirePointer } from '../pointers/pointer-protocol.js';
import { MAX_CAS_ATTEMPTS, pause } from '../retry.js';
import { findTablePointer, formatIdentifier, noSuchTable, type TableIdentifier } from './table-lookup.js';

export type DropTableError = NoSuchTableError | ConcurrentModificationError;

/**
 * Retires the pointer. Without purge every file stays, so the table can be registered again; with
 * purge the deletion of the files its metadata references is queued and the drop answers at once.
 */
export async function dropTable(ctx: CatalogContext, warehouse: string, id: TableIdentifier, purge: boolean): Promise<void> {
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const found = await findTablePointer(ctx, warehouse, id);
    if (found === undefined) throw noSuchTable(id);
    if (await retirePointer(ctx, found.key, found.pointer)) {
      if (purge) {
        await ctx.purgeQueue.enqueue({
          kind: 'table',
          uuid: found.pointer.value.uuid,
          metadataLocation: found.pointer.value.metadataLocation,
          requestedAtMs: ctx.clock.now(),
        });
      }
      return;
    }
    await pause(ctx, attempt);
  }
  throw new ConcurrentModificationError(`Table ${formatIdentifier(id)} changed concurrently; retry the drop`);
}
