/**
 * A string that is equal exactly when two values of one type are equal, so that sets of values
 * (an `in` filter's literals, distinct partition values) can live in a JS Set or Map, which would
 * compare bigints and bytes by identity. Equality is the comparators' (compare.ts): -0 and 0
 * differ, every NaN is one key.
 */
import type { Value } from './value.js';

export function valueKey(value: Value): string {
  if (typeof value === 'string') return `s${value}`;
  if (typeof value === 'bigint') return `n${value}`;
  if (typeof value === 'number') return Object.is(value, -0) ? 'f-0' : `f${value}`;
  if (typeof value === 'boolean') return value ? 'b1' : 'b0';
  if (value instanceof Uint8Array) return `x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  // Values of one decimal type share a scale, so the unscaled value alone identifies them; the
  // scale is kept so that keys of different types never collide by accident.
  return `d${value.unscaled}e${value.scale}`;
}
