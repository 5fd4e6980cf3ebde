/**
 * Whether a JS value is a well-formed Value of a type (value.ts fixes one representation per
 * type). Encoders and formatters check first, so a value of the wrong shape or out of the type's
 * range is reported instead of being written as bytes or JSON that mean something else.
 */
import { isLongInRange } from '../../metadata/long.js';
import type { DecimalValue, Value } from './value.js';
import type { ValueType } from './value-type.js';

export const MIN_INT = -(2 ** 31);
export const MAX_INT = 2 ** 31 - 1;
export const MICROS_PER_DAY = 86_400_000_000n;
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= MIN_INT && value <= MAX_INT;
}

export function isDecimalValue(value: unknown): value is DecimalValue {
  return typeof value === 'object' && value !== null && !(value instanceof Uint8Array)
    && typeof (value as { unscaled?: unknown }).unscaled === 'bigint'
    && typeof (value as { scale?: unknown }).scale === 'number';
}

/** 10^precision: an unscaled value must be strictly smaller in magnitude. */
export function decimalLimit(precision: number): bigint {
  return 10n ** BigInt(precision);
}

export function fitsDecimalPrecision(unscaled: bigint, precision: number): boolean {
  const limit = decimalLimit(precision);
  return unscaled < limit && unscaled > -limit;
}

/** Returns why `value` is not a Value of `type`, or undefined when it is. */
export function valueProblem(type: ValueType, value: Value): string | undefined {
  switch (type.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'expected a boolean';
    case 'int':
    case 'date':
      return isInt(value) ? undefined : 'expected a 32-bit integer';
    case 'long':
    case 'timestamp':
    case 'timestamptz':
    case 'timestamp_ns':
    case 'timestamptz_ns':
      return typeof value === 'bigint' && isLongInRange(value) ? undefined : 'expected a 64-bit integer (bigint)';
    case 'time':
      return typeof value === 'bigint' && value >= 0n && value < MICROS_PER_DAY
        ? undefined
        : 'expected microseconds from midnight (bigint in [0, 86400000000))';
    case 'float':
      return typeof value === 'number' && (Number.isNaN(value) || Math.fround(value) === value)
        ? undefined
        : 'expected a number representable as a 32-bit float';
    case 'double':
      return typeof value === 'number' ? undefined : 'expected a number';
    case 'decimal':
      if (!isDecimalValue(value)) return 'expected a decimal { unscaled, scale }';
      // No precision check: truncate[W] may round -999 of a decimal(3, 0) down to -1000, as Java
      // does, and that partition value must still encode and format. Parsers check precision.
      return value.scale === type.scale ? undefined : `expected scale ${type.scale}, got ${value.scale}`;
    case 'string':
      return typeof value === 'string' && value.isWellFormed() ? undefined : 'expected a well-formed Unicode string';
    case 'uuid':
      return typeof value === 'string' && UUID_TEXT.test(value) ? undefined : 'expected a lowercase 8-4-4-4-12 uuid string';
    case 'fixed':
      if (!(value instanceof Uint8Array)) return 'expected bytes';
      return value.byteLength === type.length ? undefined : `expected ${type.length} bytes, got ${value.byteLength}`;
    case 'binary':
      return value instanceof Uint8Array ? undefined : 'expected bytes';
  }
}
