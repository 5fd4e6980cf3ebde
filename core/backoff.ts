/**
 * Full-jitter exponential backoff: a delay drawn uniformly below min(cap, base * 2^attempt). It
 * spreads racing writers apart instead of letting them collide again in step. One formula for the
 * store adapter's retries of a conditional write and the catalog's compare-and-swap loops.
 */
export function fullJitterDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}
