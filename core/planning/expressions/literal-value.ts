/**
 * A filter literal's JSON value converted to a Value of a column's type. Strings and booleans are
 * the spec's single-value JSON (`*TypeValue`: ISO dates and timestamps, decimal strings of the
 * column's scale, uuid text, hex bytes), parsed by core/planning/values. JSON numbers follow Java's
 * `Literals` conversions: an integer for an int, long, date, time or timestamp column, any number
 * for a float, double or decimal one.
 *
 * A number outside the column type's range is not an error: as in Java's binder, `x < 3000000000`
 * on an int column is always true, so the converter answers `above-max` / `below-min` and the
 * binder folds the predicate.
 */
import { primitiveBaseName } from '../../metadata/primitive-types.js';
import type { PrimitiveType } from '../../metadata/types.js';
import { InvalidValueError, parseJsonSingleValue, type Value } from '../values/index.js';
import type { LiteralJson } from './expression.js';

export type LiteralConversion =
  | { readonly ok: true; readonly value: Value }
  | { readonly ok: 'above-max' }
  | { readonly ok: 'below-min' }
  | { readonly ok: false; readonly problem: string };

const MAX_INT = 2 ** 31 - 1;
const MIN_INT = -(2 ** 31);
const MAX_LONG = 2n ** 63n - 1n;
const MIN_LONG = -(2n ** 63n);
const MAX_FLOAT = 3.4028234663852886e38;
const MICROS_PER_DAY = 86_400_000_000n;
const ABOVE: LiteralConversion = { ok: 'above-max' };
const BELOW: LiteralConversion = { ok: 'below-min' };

/** Converts `json` (typed as `dataType` when the client said so) to a Value of `type`. */
export function convertLiteral(json: LiteralJson, type: PrimitiveType, dataType?: PrimitiveType): LiteralConversion {
  if (dataType === undefined || dataType === type) return parseTyped(json, type);
  if (!canPromote(dataType, type)) {
    return { ok: false, problem: `a ${dataType} literal cannot be compared with a ${type} value` };
  }
  const typed = parseTyped(json, dataType);
  if (typed.ok !== true) return typed;
  return promote(typed.value, type);
}

/** A value of a promotable data-type (see canPromote) as a value of `type`. */
function promote(value: Value, type: PrimitiveType): LiteralConversion {
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (!primitiveBaseName(type).startsWith('timestamp')) return parseTyped(value, type);
    const perDay = type.endsWith('_ns') ? MICROS_PER_DAY * 1000n : MICROS_PER_DAY;
    return ok(BigInt(value) * perDay);
  }
  if (typeof value === 'object' && !(value instanceof Uint8Array)) return parseTyped(decimalText(value), type);
  return { ok: false, problem: `cannot convert a literal to ${type}` };
}

function decimalText(value: { unscaled: bigint; scale: number }): string {
  const negative = value.unscaled < 0n;
  const digits = (negative ? -value.unscaled : value.unscaled).toString().padStart(value.scale + 1, '0');
  const whole = digits.slice(0, digits.length - value.scale);
  const fraction = digits.slice(digits.length - value.scale);
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/**
 * Typed literals are converted only where no meaning changes: the widenings Iceberg's schema
 * evolution allows, plus int/long → float/double (exact for the values JSON carries here).
 */
function canPromote(from: PrimitiveType, to: PrimitiveType): boolean {
  const source = primitiveBaseName(from);
  const target = primitiveBaseName(to);
  if (source === 'int') return target === 'long' || target === 'float' || target === 'double';
  if (source === 'long') return target === 'int' || target === 'float' || target === 'double';
  if (source === 'float') return target === 'double';
  if (source === 'double') return target === 'float';
  if (source === 'decimal') return target === 'decimal' && DECIMAL_TYPE.exec(from)?.[2] === DECIMAL_TYPE.exec(to)?.[2];
  if (source === 'date') return target === 'timestamp' || target === 'timestamptz' || target === 'timestamp_ns' || target === 'timestamptz_ns';
  return false;
}

/**
 * JSON numbers get Java's Literals conversions (an integer for a long, date, time or timestamp
 * column; any number for a float, double or decimal), with out-of-range values folded. Everything
 * else is the spec's single-value JSON of the column type, parsed by core/planning/values.
 */
function parseTyped(json: LiteralJson, type: PrimitiveType): LiteralConversion {
  if (typeof json === 'number' || typeof json === 'bigint') {
    const converted = fromNumber(json, type);
    if (converted !== undefined) return converted;
  }
  let value: Value | null;
  try {
    value = parseJsonSingleValue(type, json);
  } catch (error) {
    if (error instanceof InvalidValueError) return { ok: false, problem: error.message };
    throw error;
  }
  if (value === null) return { ok: false, problem: 'a literal must not be null' };
  // Java refuses NaN literals: NaN equals nothing, so is-nan / not-nan are the only NaN tests.
  if (typeof value === 'number' && Number.isNaN(value)) return { ok: false, problem: 'a NaN literal compares with nothing; use is-nan or not-nan' };
  return ok(value);
}

/** A number converted to a numeric or temporal type; undefined for other types. */
function fromNumber(json: number | bigint, type: PrimitiveType): LiteralConversion | undefined {
  const base = primitiveBaseName(type);
  switch (base) {
    case 'int':
    case 'date':
      return integer(json, type, BigInt(MIN_INT), BigInt(MAX_INT), (value) => Number(value));
    case 'long':
    case 'timestamp':
    case 'timestamptz':
    case 'timestamp_ns':
    case 'timestamptz_ns':
      return integer(json, type, MIN_LONG, MAX_LONG, (value) => value);
    case 'time':
      return integer(json, type, 0n, MICROS_PER_DAY - 1n, (value) => value);
    case 'float':
    case 'double':
      return floating(json, base === 'float');
    case 'decimal':
      return decimal(json, type);
    default:
      return undefined;
  }
}

function integer(json: number | bigint, type: PrimitiveType, min: bigint, max: bigint, wrap: (value: bigint) => Value): LiteralConversion {
  let value: bigint;
  if (typeof json === 'bigint') value = json;
  else if (Number.isInteger(json)) value = BigInt(json);
  else return { ok: false, problem: `cannot convert ${json} to ${type}: not an integer` };
  if (value > max) return ABOVE;
  if (value < min) return BELOW;
  return ok(wrap(value));
}

function floating(json: number | bigint, single: boolean): LiteralConversion {
  const value = Number(json);
  if (!single) return ok(value);
  if (value > MAX_FLOAT) return ABOVE;
  if (value < -MAX_FLOAT) return BELOW;
  return ok(Math.fround(value));
}

const DECIMAL_TYPE = /^decimal\((\d+), (\d+)\)$/;
const NUMBER_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/;

/**
 * A JSON number for a decimal column is rounded half-up to the column's scale, as Java's numeric
 * literal conversion (BigDecimal.valueOf(double).setScale) does; beyond the precision it folds.
 * (A decimal string must have the column's exact scale, as the single-value encoding says.)
 */
function decimal(json: number | bigint, type: PrimitiveType): LiteralConversion {
  const match = DECIMAL_TYPE.exec(type);
  const parts = NUMBER_TEXT.exec(String(json));
  if (match === null || parts === null) return { ok: false, problem: `cannot convert ${String(json)} to ${type}` };
  const precision = Number(match[1]);
  const scale = Number(match[2]);
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = parts;
  let digits = BigInt(whole + fraction);
  const valueScale = fraction.length - Number(exponent);
  if (valueScale > scale) {
    const divisor = 10n ** BigInt(valueScale - scale);
    const quotient = digits / divisor;
    digits = (digits % divisor) * 2n >= divisor ? quotient + 1n : quotient;
  } else if (valueScale < scale) {
    digits *= 10n ** BigInt(scale - valueScale);
  }
  if (digits >= 10n ** BigInt(precision)) return sign === '-' ? BELOW : ABOVE;
  return ok({ unscaled: sign === '-' ? -digits : digits, scale });
}

function ok(value: Value): LiteralConversion {
  return { ok: true, value };
}
