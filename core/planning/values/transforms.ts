/**
 * Partition transforms applied to values (spec, "Partition Transforms"), so that planning can turn a
 * filter literal into the partition value it would have been written under. Every transform maps
 * null to null; void maps everything to null.
 *
 * Results match Java's transforms, which wrote the partition values planning compares against:
 * - truncate[W] of int and long is `v - (((v % W) + W) % W)` in 32- or 64-bit wrapping arithmetic,
 *   exactly as Java computes it (only widths above 2^30, or values within W of the minimum, wrap).
 * - truncate[W] of a string keeps W code points (a surrogate pair is one), of binary W bytes, of a
 *   decimal the unscaled value truncated like a long, but without wrapping (BigInteger in Java).
 * - year, month, day and hour count whole units from 1970-01-01T00:00, rounding down before 1970
 *   (1969-12-31T23:59 is hour -1). Java narrows the count to an int; so does this (wrapping only
 *   beyond ±245,000 years).
 * - day's result type is `date`, as Java's Days.getResultType says, so that plan responses and
 *   summaries format it as "2017-11-16"; its Value is the same number of days either way.
 */
import { canTransform, type Transform } from '../../metadata/transforms.js';
import { bucketHash, bucketOfHash } from './bucket-hash.js';
import { civilFromDays, floorDiv } from './calendar.js';
import type { DecimalValue, Value } from './value.js';
import { MICROS_PER_DAY } from './value-check.js';
import { toValueType, valueTypeToString, type TypeInput, type ValueType } from './value-type.js';

export type ValueTransform = (value: Value | null) => Value | null;

const EPOCH_YEAR = 1970;
const MICROS_PER_HOUR = 3_600_000_000n;
const NANOS_PER_MICRO = 1000n;

/** The type of a transform's results for a source type; undefined when it does not apply. */
export function transformResultType(transform: Transform, sourceType: TypeInput): ValueType | undefined {
  const type = toValueType(sourceType);
  if (type === undefined || transform.kind === 'unknown') return undefined;
  if (!canTransform(transform, valueTypeToString(type))) return undefined;
  switch (transform.kind) {
    case 'identity':
    case 'void':
    case 'truncate':
      return type;
    case 'bucket':
    case 'year':
    case 'month':
    case 'hour':
      return { kind: 'int' };
    case 'day':
      return { kind: 'date' };
  }
}

function truncateInt(value: number, width: number): number {
  const shifted = ((value % width) + width) | 0;
  return (value - (shifted % width)) | 0;
}

function truncateLong(value: bigint, width: bigint): bigint {
  const shifted = BigInt.asIntN(64, (value % width) + width);
  return BigInt.asIntN(64, value - (shifted % width));
}

function truncateString(value: string, width: number): string {
  let end = 0;
  for (let codePoints = 0; codePoints < width && end < value.length; codePoints += 1) {
    end += (value.codePointAt(end) ?? 0) > 0xffff ? 2 : 1;
  }
  return value.slice(0, end);
}

function truncateDecimal(value: DecimalValue, width: bigint): DecimalValue {
  const remainder = ((value.unscaled % width) + width) % width;
  return { unscaled: value.unscaled - remainder, scale: value.scale };
}

/** Java narrows these counts with `(int)`. */
function toInt(count: bigint): number {
  return Number(BigInt.asIntN(32, count));
}

type TimeUnit = 'year' | 'month' | 'day' | 'hour';

function fromDays(days: number, unit: Exclude<TimeUnit, 'hour'>): number {
  if (unit === 'day') return days;
  const { year, month } = civilFromDays(days);
  return unit === 'year' ? year - EPOCH_YEAR : (year - EPOCH_YEAR) * 12 + (month - 1);
}

function fromMicros(micros: bigint, unit: TimeUnit): number {
  if (unit === 'hour') return toInt(floorDiv(micros, MICROS_PER_HOUR));
  const days = floorDiv(micros, MICROS_PER_DAY);
  return toInt(BigInt(fromDays(Number(days), unit)));
}

function timeTransform(type: ValueType, unit: TimeUnit): (value: Value) => Value {
  switch (type.kind) {
    case 'date':
      return (value) => fromDays(value as number, unit as Exclude<TimeUnit, 'hour'>);
    case 'timestamp_ns':
    case 'timestamptz_ns':
      // Whole units never split a microsecond, so flooring to microseconds first changes nothing.
      return (value) => fromMicros(floorDiv(value as bigint, NANOS_PER_MICRO), unit);
    default:
      return (value) => fromMicros(value as bigint, unit);
  }
}

function truncateTransform(type: ValueType, width: number): (value: Value) => Value {
  switch (type.kind) {
    case 'int':
      return (value) => truncateInt(value as number, width);
    case 'long':
      return (value) => truncateLong(value as bigint, BigInt(width));
    case 'decimal':
      return (value) => truncateDecimal(value as DecimalValue, BigInt(width));
    case 'string':
      return (value) => truncateString(value as string, width);
    default:
      return (value) => (value as Uint8Array).slice(0, width);
  }
}

function nonNullTransform(transform: Transform, type: ValueType): ((value: Value) => Value | null) | undefined {
  switch (transform.kind) {
    case 'unknown':
      return undefined;
    case 'void':
      return () => null;
    case 'identity':
      return (value) => value;
    case 'bucket':
      return (value) => bucketOfHash(bucketHash(type, value), transform.count);
    case 'truncate':
      return truncateTransform(type, transform.width);
    case 'year':
    case 'month':
    case 'day':
    case 'hour':
      return timeTransform(type, transform.kind);
  }
}

/**
 * The function a transform applies to values of `sourceType`, built once per partition field.
 * Undefined for an unknown transform or a source type the transform does not accept.
 */
export function transformFor(transform: Transform, sourceType: TypeInput): ValueTransform | undefined {
  const type = toValueType(sourceType);
  if (type === undefined || transformResultType(transform, type) === undefined) return undefined;
  const apply = nonNullTransform(transform, type);
  if (apply === undefined) return undefined;
  return (value) => (value === null ? null : apply(value));
}

/** Applies a transform once; throws a TypeError when it does not apply to `sourceType`. */
export function applyTransform(transform: Transform, sourceType: TypeInput, value: Value | null): Value | null {
  const apply = transformFor(transform, sourceType);
  if (apply === undefined) throw new TypeError(`transform ${transform.kind} does not apply to ${String(sourceType)}`);
  return apply(value);
}
