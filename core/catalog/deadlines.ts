import type { CatalogContext } from './context.js';

/**
 * The timing rules of the storage protocol, in one place (docs/storage-protocol.md, "Deadlines").
 * Compare-and-swap needs no clock; only the few unconditional deletes do, on stores that ignore
 * If-Match on DELETE (Ceph RGW 16): a transitional record (a `creating` pointer, a tombstone, a
 * `dropping` mark, a pending transaction) may be deleted by its writer only before its deadline,
 * and may be taken over by anyone only after it expired. Expiry - deadline covers the longest
 * delete we send plus the clock skew between hosts.
 */

/** A writer finishes a transition within this time of starting it, or leaves it to expire. */
export const WRITER_DEADLINE_MS = 20_000;
/** A deadline-bound delete is sent once and abandoned after this long (see DeleteOptions.timeoutMs). */
export const GUARDED_DELETE_TIMEOUT_MS = 2_000;
/** Clock difference between hosts sharing a store that the protocol tolerates. */
export const MAX_CLOCK_SKEW_MS = 5_000;
/**
 * A transition older than this belongs to a writer that died (or gave up) and may be replaced. It
 * bounds how long a crash blocks a name or a table.
 */
export const TRANSITION_EXPIRY_MS = 30_000;

/**
 * Deletes a transitional record of ours. Where the store enforces If-Match on DELETE the ETag
 * alone makes it safe, at any time. Elsewhere it is sent once, only before `deadlineMs`, with a
 * timeout that ends by then; whatever is not deleted simply expires. Never throws.
 */
export async function deleteBeforeDeadline(ctx: CatalogContext, key: string, etag: string, deadlineMs: number): Promise<boolean> {
  const objects = ctx.records.objects;
  try {
    if (objects.capabilities.conditionalDelete) return (await objects.delete(key, { ifMatch: etag, timeoutMs: GUARDED_DELETE_TIMEOUT_MS })).deleted;
    const remaining = deadlineMs - ctx.clock.now();
    if (remaining <= 0) return false;
    return (await objects.delete(key, { timeoutMs: Math.min(remaining, GUARDED_DELETE_TIMEOUT_MS) })).deleted;
  } catch {
    return false;
  }
}
