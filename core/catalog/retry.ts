import type { CatalogContext } from './context.js';

/** Bounds for compare-and-swap loops on one record (a namespace record, a pointer). */
export const MAX_CAS_ATTEMPTS = 12;
const BASE_DELAY_MS = 5;
const MAX_DELAY_MS = 250;

/** Full-jitter exponential backoff: spreads racing writers apart instead of letting them collide again. */
export function backoffDelay(attempt: number, random: () => number): number {
  const cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.floor(random() * cap);
}

export async function pause(ctx: Pick<CatalogContext, 'sleep' | 'random'>, attempt: number): Promise<void> {
  await ctx.sleep(backoffDelay(attempt, ctx.random));
}
