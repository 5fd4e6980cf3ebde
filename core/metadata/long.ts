/**
 * Every int64 of the Iceberg spec (snapshot ids, sequence numbers, row ids, timestamps, sizes) is a
 * `bigint` inside the engine. One representation everywhere means no code path can silently round a
 * snapshot id above 2^53; conversion happens once, in the validators, and again when serialising.
 */
export type Long = bigint;

export const MIN_LONG: Long = -(2n ** 63n);
export const MAX_LONG: Long = 2n ** 63n - 1n;

export function isLongInRange(value: bigint): boolean {
  return value >= MIN_LONG && value <= MAX_LONG;
}

/** Converts a trusted millisecond clock reading (the commit context's `now`). */
export function longFromMillis(millis: number): Long {
  if (!Number.isSafeInteger(millis)) {
    throw new RangeError(`now must be an integer number of milliseconds, got ${String(millis)}`);
  }
  return BigInt(millis);
}

export function maxLong(first: Long, ...rest: Long[]): Long {
  let result = first;
  for (const value of rest) {
    if (value > result) result = value;
  }
  return result;
}

/**
 * Writes a long as JSON would read it back: a plain number inside the safe range, a bigint beyond it
 * (which `stringifyJson` emits as a bare integer). Output is then identical to what `parseJson`
 * produces for the same text, so serialised metadata compares equal to re-parsed metadata.
 */
export function longToJson(value: Long): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}
