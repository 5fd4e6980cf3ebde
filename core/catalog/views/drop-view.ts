import { ConcurrentModificationError, type NoSuchViewError } from '../../errors.js';
import type { CatalogContext } from '../context.js';
import { retirePointer } from '../pointers/pointer-protocol.js';
import { MAX_CAS_ATTEMPTS, pause } from '../retry.js';
import { findViewPointer, formatViewIdentifier, noSuchView, type ViewIdentifier } from './view-lookup.js';

export type DropViewError = NoSuchViewError | ConcurrentModificationError;

/**
 * Retires the pointer; nothing else. A view has no data, and its metadata files stay so the view
 * can be registered again (registerView), as Java's catalogs do with `gc.enabled=false`. Deleting
 * them would need warehouse delete rights on a request path, which only the purge worker has.
 */
export async function dropView(ctx: CatalogContext, warehouse: string, id: ViewIdentifier): Promise<void> {
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const found = await findViewPointer(ctx, warehouse, id);
    if (found === undefined) throw noSuchView(id);
    if (await retirePointer(ctx, found.key, found.pointer)) return;
    await pause(ctx, attempt);
  }
  throw new ConcurrentModificationError(`View ${formatViewIdentifier(id)} changed concurrently; retry the drop`);
}
