/**
 * Order and identity of two Values of the same type, as filters need them.
 *
 * TODO(issue 13): private stand-in until core/planning/values/ has its comparison; then replace
 * these with theirs. Orders follow Iceberg's: floats with -0 < 0 and NaN above +Infinity (Java's
 * Float.compare), strings by Unicode code point (UTF-8 byte order, not JS UTF-16 order), binary
 * unsigned lexicographic, decimals by value.
 */
import type { Value } from '../values/value.js';

export function compareValues(left: Value, right: Value): number {
  if (typeof left === 'number' && typeof right === 'number') return compareNumbers(left, right);
  if (typeof left === 'bigint' && typeof right === 'bigint') return left < right ? -1 : left > right ? 1 : 0;
  if (typeof left === 'string' && typeof right === 'string') return compareStrings(left, right);
  if (typeof left === 'boolean' && typeof right === 'boolean') return Number(left) - Number(right);
  if (left instanceof Uint8Array && right instanceof Uint8Array) return compareBytes(left, right);
  if (typeof left === 'object' && typeof right === 'object' && !(left instanceof Uint8Array) && !(right instanceof Uint8Array)) {
    const scale = Math.max(left.scale, right.scale);
    const a = left.unscaled * 10n ** BigInt(scale - left.scale);
    const b = right.unscaled * 10n ** BigInt(scale - right.scale);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  throw new TypeError('compareValues: values of different types');
}

function compareNumbers(left: number, right: number): number {
  if (Number.isNaN(left) || Number.isNaN(right)) return Number(Number.isNaN(left)) - Number(Number.isNaN(right));
  if (left === right) return Object.is(left, right) ? 0 : Object.is(left, -0) ? -1 : 1;
  return left < right ? -1 : 1;
}

/** Code point order: JS `<` compares UTF-16 units, which puts U+FFFF above U+10000. */
function compareStrings(left: string, right: string): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index += 1) {
    const a = left.codePointAt(index) ?? 0;
    const b = right.codePointAt(index) ?? 0;
    if (a !== b) return a < b ? -1 : 1;
    if (a > 0xffff) index += 1;
  }
  return left.length - right.length;
}

function compareBytes(left: Uint8Array, right: Uint8Array): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index += 1) {
    const a = left[index] ?? 0;
    const b = right[index] ?? 0;
    if (a !== b) return a - b;
  }
  return left.length - right.length;
}

/** A string equal for equal values of one type (decimals of one scale), used to deduplicate sets. */
export function valueKey(value: Value): string {
  if (typeof value === 'string') return `s${value}`;
  if (typeof value === 'bigint') return `n${value}`;
  if (typeof value === 'number') return Object.is(value, -0) ? 'f-0' : `f${value}`;
  if (typeof value === 'boolean') return `b${value}`;
  if (value instanceof Uint8Array) return `x${Buffer.from(value).toString('hex')}`;
  return `d${value.unscaled}e${value.scale}`;
}
