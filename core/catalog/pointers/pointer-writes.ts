import type { SettledWrite } from '../../store/record-store.js';
import type { CatalogContext } from '../context.js';
import { deleteBeforeDeadline } from '../deadlines.js';
import { pointerToJson, pointerWriteOptions, TRANSITION_DEADLINE_MS, type ObjectPointer, type PointerRecord } from './object-pointer.js';

/** Every pointer write goes through here, so each carries its listing hint (pointerWriteOptions). */
export function putPointer(ctx: CatalogContext, key: string, pointer: ObjectPointer, etag?: string): Promise<SettledWrite> {
  const json = pointerToJson(pointer);
  return etag === undefined ? ctx.records.create(key, json, pointerWriteOptions(pointer)) : ctx.records.replace(key, json, etag, pointerWriteOptions(pointer));
}

export type RetireOutcome = 'retired' | 'moved' | 'unknown';

/**
 * Swaps `current` for a fresh tombstone (If-Match), then deletes the tombstone before our deadline.
 * Readers treat a tombstone as absent; a writer may claim the name once it expired. `moved`: the
 * pointer changed first and ours cannot land; `unknown`: it may still land, so nothing is final.
 */
export async function retireToTombstone(ctx: CatalogContext, key: string, current: PointerRecord, base: ObjectPointer = current.value): Promise<RetireOutcome> {
  const startedAt = ctx.clock.now();
  const tombstone: ObjectPointer = { ...base, state: 'dropped', stateSinceMs: startedAt };
  const swapped = await putPointer(ctx, key, tombstone, current.etag);
  if (swapped.ok) {
    await deleteBeforeDeadline(ctx, key, swapped.etag, startedAt + TRANSITION_DEADLINE_MS);
    return 'retired';
  }
  // A tombstone is final until it expires, so a pointer that moved while ours was in doubt moved
  // before ours could land: nobody replaces a fresh tombstone.
  return swapped.reason === 'unknown' ? 'unknown' : 'moved';
}
