import { CommitStateUnknownError } from '../../errors.js';
import type { CatalogContext } from '../context.js';
import { readObjectPointer, type ObjectPointer, type PointerRecord } from './object-pointer.js';
import { putPointer } from './pointer-writes.js';

/**
 * Did our change land before the pointer moved on? Asked of the pointer as it is now, after a swap
 * whose outcome was in doubt: true (ours is current or an ancestor of current), false (it is not,
 * and since the pointer moved it never can be), undefined (cannot tell).
 */
export type Lineage = (current: PointerRecord) => Promise<boolean | undefined>;

/**
 * From the pointer's own history: ours is in the chain (landed); the chain reaches back to the base
 * we swapped from without ours (lost: ours would have followed the base directly); or it does not
 * reach back that far (undefined: ask the kind's own lineage).
 */
function remembered(current: ObjectPointer, ours: string, base: string): boolean | undefined {
  const chain = [current.metadataLocation, ...(current.previous ?? [])];
  if (chain.includes(ours)) return true;
  if (chain.includes(base)) return false;
  return undefined;
}

export type SwapOutcome = { readonly landed: true; readonly etag?: string } | { readonly landed: false };

/**
 * The one compare-and-swap of a table or view commit (invariant 8), shared by tables and views:
 * `landed: false` only when our change provably did not and cannot land (the caller may then
 * delete what it wrote and retry); CommitStateUnknown when no read can settle it (nothing may be
 * cleaned up, and the client is told not to either).
 */
export async function swapPointer(ctx: CatalogContext, key: string, expected: PointerRecord, next: ObjectPointer, lineage: Lineage): Promise<SwapOutcome> {
  const swapped = await putPointer(ctx, key, next, expected.etag).catch(() => ({ ok: false, reason: 'unknown' }) as const);
  if (swapped.ok) return { landed: true, etag: swapped.etag };
  if (swapped.reason === 'precondition-failed') return { landed: false };
  const unknown = (cause?: unknown) => new CommitStateUnknownError('Commit state unknown: the commit may or may not have been applied; load the table or view to find out', { cause });
  if (swapped.reason === 'unknown') throw unknown();
  let verdict: boolean | undefined;
  try {
    const current = await ctx.records.read(key, readObjectPointer);
    verdict = current === undefined ? undefined : (remembered(current.value, next.metadataLocation, expected.value.metadataLocation) ?? (await lineage(current)));
  } catch (error) {
    throw unknown(error);
  }
  if (verdict === undefined) throw unknown();
  return verdict ? { landed: true } : { landed: false };
}
