/**
 * The 32-bit hash of a value that the bucket transform reduces (spec Appendix B). What is hashed
 * keeps partitions stable across type promotion: an int hashes as the long of the same value, a
 * float as the double, a date as its day count widened to a long (the spec's `hashInt` is Java's
 * BucketUtil.hash(int), which hashes the long), and a nanosecond timestamp as
 * its microseconds (floored) so that it lands in the same bucket as the microsecond timestamp.
 */
import { encodeSingleValue } from './single-value-binary.js';
import { floorDiv } from './calendar.js';
import { murmur3Hash32 } from './murmur3.js';
import { toMinimalBigEndian } from './twos-complement.js';
import type { DecimalValue, Value } from './value.js';
import { toValueType, type TypeInput } from './value-type.js';

/** Appendix B, note 5: every NaN hashes as this bit pattern. */
const CANONICAL_NAN_BITS = 0x7ff8000000000000n;
const NANOS_PER_MICRO = 1000n;

export function hashLong(value: bigint): number {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigInt64(0, BigInt.asIntN(64, value), true);
  return murmur3Hash32(bytes);
}

/** Java's doubleToLongBits with the spec's canonicalisation: one NaN, and -0 as 0. */
function doubleBits(value: number): bigint {
  if (Number.isNaN(value)) return CANONICAL_NAN_BITS;
  const bytes = new DataView(new ArrayBuffer(8));
  bytes.setFloat64(0, value === 0 ? 0 : value);
  return bytes.getBigInt64(0);
}

/**
 * The hash of a value of `type` (expects a Value of that type, as value.ts shapes it). Boolean,
 * float and double cannot be bucketed today but have a spec hash, so it is given too.
 */
export function bucketHash(typeInput: TypeInput, value: Value): number {
  const type = toValueType(typeInput);
  if (type === undefined) throw new TypeError(`type ${String(typeInput)} has no bucket hash`);
  switch (type.kind) {
    case 'boolean':
      return hashLong(value === true ? 1n : 0n);
    case 'int':
    case 'date':
      return hashLong(BigInt(value as number));
    case 'long':
    case 'time':
    case 'timestamp':
    case 'timestamptz':
      return hashLong(value as bigint);
    case 'timestamp_ns':
    case 'timestamptz_ns':
      return hashLong(floorDiv(value as bigint, NANOS_PER_MICRO));
    case 'float':
    case 'double':
      return hashLong(doubleBits(value as number));
    case 'decimal':
      // Appendix B, note 2: the minimal bytes of the unscaled value, independent of the scale.
      return murmur3Hash32(toMinimalBigEndian((value as DecimalValue).unscaled));
    case 'string':
    case 'uuid':
    case 'fixed':
    case 'binary':
      return murmur3Hash32(encodeSingleValue(type, value));
  }
}

/** The bucket of a hash: Java's `(hash & Integer.MAX_VALUE) % count`. */
export function bucketOfHash(hash: number, count: number): number {
  return (hash & 0x7fffffff) % count;
}
