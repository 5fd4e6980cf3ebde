import { fullJitterDelay } from '../backoff.js';
import type { CatalogContext } from './context.js';

/** Bounds for compare-and-swap loops on one record (a namespace record, a pointer). */
export const MAX_CAS_ATTEMPTS = 12;
const BASE_DELAY_MS = 5;
const MAX_DELAY_MS = 250;

export function backoffDelay(attempt: number, random: () => number, maxDelayMs = MAX_DELAY_MS): number {
  return fullJitterDelay(attempt, BASE_DELAY_MS, maxDelayMs, random);
}

export async function pause(ctx: Pick<CatalogContext, 'sleep' | 'random'>, attempt: number, maxDelayMs = MAX_DELAY_MS): Promise<void> {
  await ctx.sleep(backoffDelay(attempt, ctx.random, maxDelayMs));
}

/**
 * A commit that lost its swap retries while its deadline allows: with dozens of writers on one
 * pointer, a wider window lets each round end with one winner instead of every writer colliding
 * again (each collision costs the losers several reads).
 */
export const MAX_COMMIT_DELAY_MS = 1_000;
