/**
 * Iceberg's order of values of one type (Java's Comparators), which writers used for the bounds in
 * manifests: planning must compare a literal to a bound in that same order.
 * - Numbers are signed. Floats follow Java's Float/Double.compare: -0 < 0, and NaN sorts after
 *   +Infinity and equals itself (callers treat NaN apart, since bounds exclude it; this only gives
 *   it a defined place).
 * - Decimals compare by value, whatever their scales.
 * - Strings compare by Unicode code point, which is UTF-8 byte order (Java's
 *   Comparators.charSequences), not JS's UTF-16 order: "\uFFFF" < "😀" although its UTF-16 unit
 *   0xFFFF is greater than the surrogate 0xD83D.
 * - Binary and fixed compare as unsigned bytes, lexicographically, a prefix first.
 * - UUIDs compare as 16 unsigned big-endian bytes: the order of RFC 4122/9562 and of Parquet's
 *   statistics. Java's Comparators have used java.util.UUID.compareTo instead (two signed longs,
 *   `compareUuidsSignedLegacy`); apache/iceberg#14216 reports that as a bug, and the fix proposed
 *   in #14500 evaluates filters under both orders. Bounds in existing manifests may follow either,
 *   so a pruner must only drop a file on a uuid bound when both orders agree.
 */
import type { DecimalValue, Value } from './value.js';
import { isDecimalValue } from './value-check.js';
import { toValueType, type TypeInput } from './value-type.js';
import { uuidBytesFromText } from './uuid-bytes.js';

export type Comparator = (left: Value, right: Value) => number;

function sign(difference: number): number {
  return difference < 0 ? -1 : difference > 0 ? 1 : 0;
}

export function compareBooleans(left: boolean, right: boolean): number {
  return left === right ? 0 : left ? 1 : -1;
}

export function compareNumbers(left: number, right: number): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Java's Double.compare: -0 < 0, NaN greatest and equal to itself. */
export function compareFloats(left: number, right: number): number {
  const leftNaN = Number.isNaN(left);
  const rightNaN = Number.isNaN(right);
  if (leftNaN || rightNaN) return leftNaN === rightNaN ? 0 : leftNaN ? 1 : -1;
  if (left === 0 && right === 0) return compareNumbers(Object.is(left, -0) ? -1 : 0, Object.is(right, -0) ? -1 : 0);
  return compareNumbers(left, right);
}

export function compareBigints(left: bigint, right: bigint): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

export function compareDecimals(left: DecimalValue, right: DecimalValue): number {
  if (left.scale === right.scale) return compareBigints(left.unscaled, right.unscaled);
  const scale = Math.max(left.scale, right.scale);
  return compareBigints(left.unscaled * 10n ** BigInt(scale - left.scale), right.unscaled * 10n ** BigInt(scale - right.scale));
}

/**
 * Maps a UTF-16 code unit so that unit order is code point order: surrogates (0xD800-0xDFFF,
 * which only start code points above 0xFFFF) move above 0xE000-0xFFFF.
 */
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

/** Code point (= UTF-8 byte) order, without encoding either string. */
export function compareStrings(left: string, right: string): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index += 1) {
    const a = left.charCodeAt(index);
    const b = right.charCodeAt(index);
    if (a !== b) return sign(codePointRank(a) - codePointRank(b));
  }
  return sign(left.length - right.length);
}

export function compareBytes(left: Uint8Array, right: Uint8Array): number {
  const length = Math.min(left.byteLength, right.byteLength);
  for (let index = 0; index < length; index += 1) {
    const a = left[index] ?? 0;
    const b = right[index] ?? 0;
    if (a !== b) return a < b ? -1 : 1;
  }
  return sign(left.byteLength - right.byteLength);
}

/**
 * Unsigned byte order of lowercase uuid text is its string order: the hex digits and the dashes
 * sit at the same places in both, and '0'-'9' < 'a'-'f'.
 */
export function compareUuids(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** java.util.UUID.compareTo: the two 64-bit halves as signed longs. */
export function compareUuidsSignedLegacy(left: string, right: string): number {
  const a = uuidBytesFromText(left);
  const b = uuidBytesFromText(right);
  if (a === undefined || b === undefined) return compareUuids(left, right);
  const leftView = new DataView(a.buffer);
  const rightView = new DataView(b.buffer);
  const high = compareBigints(leftView.getBigInt64(0), rightView.getBigInt64(0));
  return high !== 0 ? high : compareBigints(leftView.getBigInt64(8), rightView.getBigInt64(8));
}

/**
 * The comparator of a type, or undefined for a type planning cannot order. It expects two values
 * of that type (value.ts); `null` is handled by callers.
 */
export function comparatorFor(typeInput: TypeInput): Comparator | undefined {
  const type = toValueType(typeInput);
  if (type === undefined) return undefined;
  switch (type.kind) {
    case 'boolean':
      return (left, right) => compareBooleans(left as boolean, right as boolean);
    case 'int':
    case 'date':
      return (left, right) => compareNumbers(left as number, right as number);
    case 'float':
    case 'double':
      return (left, right) => compareFloats(left as number, right as number);
    case 'long':
    case 'time':
    case 'timestamp':
    case 'timestamptz':
    case 'timestamp_ns':
    case 'timestamptz_ns':
      return (left, right) => compareBigints(left as bigint, right as bigint);
    case 'decimal':
      return (left, right) => compareDecimals(left as DecimalValue, right as DecimalValue);
    case 'string':
      return (left, right) => compareStrings(left as string, right as string);
    case 'uuid':
      return (left, right) => compareUuids(left as string, right as string);
    case 'fixed':
    case 'binary':
      return (left, right) => compareBytes(left as Uint8Array, right as Uint8Array);
  }
}

/**
 * Compares two values known to be of one type without naming it. The representation (value.ts)
 * makes this well defined: a JS form shared by several types orders them all alike (an int is a
 * float without NaN or -0; lowercase uuid text orders as its unsigned bytes). Throws a TypeError
 * for values of different JS forms.
 */
export function compareSameType(left: Value, right: Value): number {
  if (typeof left === 'number' && typeof right === 'number') return compareFloats(left, right);
  if (typeof left === 'bigint' && typeof right === 'bigint') return compareBigints(left, right);
  if (typeof left === 'string' && typeof right === 'string') return compareStrings(left, right);
  if (typeof left === 'boolean' && typeof right === 'boolean') return compareBooleans(left, right);
  if (left instanceof Uint8Array && right instanceof Uint8Array) return compareBytes(left, right);
  if (isDecimalValue(left) && isDecimalValue(right)) return compareDecimals(left, right);
  throw new TypeError('compareSameType: the values are of different types');
}

/** Compares two values of `type`; throws a TypeError for a type without an order. */
export function compareValues(typeInput: TypeInput, left: Value, right: Value): number {
  const comparator = comparatorFor(typeInput);
  if (comparator === undefined) throw new TypeError(`type ${String(typeInput)} has no order`);
  return comparator(left, right);
}
