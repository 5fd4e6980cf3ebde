import { ConcurrentModificationError, type NoSuchViewError } from '../../errors.js';
import type { CatalogContext } from '../context.js';
import { retirePointer } from '../pointers/pointer-protocol.js';
import { MAX_CAS_ATTEMPTS, pause } from '../retry.js';
import { findViewPointer, formatViewIdentifier, noSuchView, type ViewIdentifier } from './view-lookup.js';

export type DropViewError = NoSuchViewError | ConcurrentModificationError;

/**
 * Retires the pointer, then hands the current metadata file to the job worker (a purge job), which deletes it
 * unless the view's `gc.enabled` is false (so such a view can be registered again), as the
 * reference catalogs do. Deleting it here would need warehouse delete rights on a request path,
 * which only the job worker has.
 */
export async function dropView(ctx: CatalogContext, warehouse: string, id: ViewIdentifier): Promise<void> {
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const found = await findViewPointer(ctx, warehouse, id);
    if (found === undefined) throw noSuchView(id);
    if (await retirePointer(ctx, found.key, found.pointer)) {
      await ctx.jobs.enqueue({ type: 'purge', kind: 'view', uuid: found.pointer.value.uuid, metadataLocation: found.pointer.value.metadataLocation, requestedAtMs: ctx.clock.now() });
      return;
    }
    await pause(ctx, attempt);
  }
  throw new ConcurrentModificationError(`View ${formatViewIdentifier(id)} changed concurrently; retry the drop`);
}
