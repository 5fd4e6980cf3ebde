/**
 * A filter literal's JSON value converted to a Value of a column's type, following Java's
 * `Literals` conversions and the spec's `*TypeValue` encodings (dates, times and timestamps as ISO
 * strings, decimals as strings, uuid as text, fixed and binary as hex).
 *
 * TODO(issue 13): private stand-in until core/planning/values/ has its JSON single-value parser;
 * then `parseTyped` should delegate there. The conversions between types (an integer for a long
 * column, a JSON number for a decimal, out-of-range as above-max / below-min) stay here.
 *
 * A value outside the column type's range is not an error: as in Java's binder, `x < 3000000000` on
 * an int column is always true, so the converter answers `above-max` / `below-min` and the binder
 * folds the predicate.
 */
import { primitiveBaseName } from '../../metadata/primitive-types.js';
import type { PrimitiveType } from '../../metadata/types.js';
import type { Value } from '../values/value.js';
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

function parseTyped(json: LiteralJson, type: PrimitiveType): LiteralConversion {
  const base = primitiveBaseName(type);
  switch (base) {
    case 'boolean':
      return typeof json === 'boolean' ? ok(json) : mismatch(json, type);
    case 'int':
      return integer(json, type, BigInt(MIN_INT), BigInt(MAX_INT), (value) => Number(value));
    case 'long':
      return integer(json, type, MIN_LONG, MAX_LONG, (value) => value);
    case 'float':
    case 'double':
      return floating(json, type, base === 'float');
    case 'decimal':
      return decimal(json, type);
    case 'string':
      return typeof json === 'string' ? ok(json) : mismatch(json, type);
    case 'uuid':
      return typeof json === 'string' && UUID.test(json) ? ok(json.toLowerCase()) : invalid(json, type);
    case 'date':
      return typeof json === 'string' ? fromText(parseDate(json), json, type) : integer(json, type, BigInt(MIN_INT), BigInt(MAX_INT), (value) => Number(value));
    case 'time':
      return typeof json === 'string' ? fromText(parseTime(json), json, type) : integer(json, type, 0n, 86_400_000_000n - 1n, (value) => value);
    case 'timestamp':
    case 'timestamptz':
    case 'timestamp_ns':
    case 'timestamptz_ns':
      return typeof json === 'string'
        ? fromText(parseTimestamp(json, base.endsWith('tz') || base.endsWith('tz_ns'), base.endsWith('_ns')), json, type)
        : integer(json, type, MIN_LONG, MAX_LONG, (value) => value);
    case 'fixed':
    case 'binary':
      return bytes(json, type);
    default:
      return { ok: false, problem: `a ${type} column has no literal values` };
  }
}

function integer(json: LiteralJson, type: PrimitiveType, min: bigint, max: bigint, wrap: (value: bigint) => Value): LiteralConversion {
  let value: bigint;
  if (typeof json === 'bigint') value = json;
  else if (typeof json === 'number' && Number.isInteger(json)) value = BigInt(json);
  else return mismatch(json, type);
  if (value > max) return ABOVE;
  if (value < min) return BELOW;
  return ok(wrap(value));
}

function floating(json: LiteralJson, type: PrimitiveType, single: boolean): LiteralConversion {
  if (typeof json !== 'number' && typeof json !== 'bigint') return mismatch(json, type);
  const value = Number(json);
  if (!single) return ok(value);
  if (value > MAX_FLOAT) return ABOVE;
  if (value < -MAX_FLOAT) return BELOW;
  return ok(Math.fround(value));
}

const DECIMAL_TYPE = /^decimal\((\d+), (\d+)\)$/;
const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d{1,4}))?$/;

/**
 * A decimal string must not need rounding (Java refuses a string whose scale differs; a shorter
 * scale is padded here, as it is exact). A JSON number is rounded half-up to the column's scale,
 * as Java's numeric literal conversion does. Beyond the precision is above-max / below-min.
 */
function decimal(json: LiteralJson, type: PrimitiveType): LiteralConversion {
  const match = DECIMAL_TYPE.exec(type);
  if (match === null) return { ok: false, problem: `unexpected decimal type ${type}` };
  const precision = Number(match[1]);
  const scale = Number(match[2]);
  if (typeof json === 'boolean') return mismatch(json, type);
  const text = typeof json === 'string' ? json : String(json);
  const parts = DECIMAL_TEXT.exec(text);
  if (parts === null) return invalid(json, type);
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = parts;
  let digits = BigInt(whole + fraction);
  let valueScale = fraction.length - Number(exponent);
  if (valueScale > scale) {
    if (typeof json === 'string') return { ok: false, problem: `"${short(text)}" has more fractional digits than ${type} keeps` };
    const divisor = 10n ** BigInt(valueScale - scale);
    const quotient = digits / divisor;
    digits = (digits % divisor) * 2n >= divisor ? quotient + 1n : quotient;
    valueScale = scale;
  }
  if (valueScale < scale) digits *= 10n ** BigInt(scale - valueScale);
  if (digits >= 10n ** BigInt(precision)) return sign === '-' ? BELOW : ABOVE;
  return ok({ unscaled: sign === '-' ? -digits : digits, scale });
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

function bytes(json: LiteralJson, type: PrimitiveType): LiteralConversion {
  if (typeof json !== 'string' || !HEX.test(json)) return { ok: false, problem: `expected a hexadecimal string for ${type}, got ${shown(json)}` };
  const result = new Uint8Array(json.length / 2);
  for (let index = 0; index < result.length; index += 1) result[index] = parseInt(json.slice(index * 2, index * 2 + 2), 16);
  if (type.startsWith('fixed[')) {
    const length = Number(type.slice(6, -1));
    if (result.length !== length) return { ok: false, problem: `expected ${length} bytes for ${type}, got ${result.length}` };
  }
  return ok(result);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:\d{2})?$/;
const MICROS_PER_DAY = 86_400_000_000n;

/** Days from 1970-01-01, or undefined for an impossible date (2024-02-30). */
function parseDate(text: string): number | undefined {
  const match = DATE.exec(text);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return Math.floor(date.getTime() / 86_400_000);
}

/** Units (µs, or ns when `nanos`) from midnight; more fractional digits than the unit holds is refused. */
function parseTime(text: string, nanos = false): bigint | undefined {
  const match = TIME.exec(text);
  if (match === null) return undefined;
  const [hour, minute, second] = [Number(match[1]), Number(match[2]), Number(match[3] ?? '0')];
  const fraction = match[4] ?? '';
  const digits = nanos ? 9 : 6;
  if (hour > 23 || minute > 59 || second > 59 || fraction.length > digits) return undefined;
  const perSecond = nanos ? 1_000_000_000n : 1_000_000n;
  return BigInt(hour * 3600 + minute * 60 + second) * perSecond + BigInt(fraction.padEnd(digits, '0') || '0');
}

/** Java parses timestamptz only with an offset and timestamp only without one; so does this. */
function parseTimestamp(text: string, withZone: boolean, nanos: boolean): bigint | undefined {
  const match = TIMESTAMP.exec(text);
  if (match === null) return undefined;
  const [, datePart = '', timePart = '', offset] = match;
  if ((offset !== undefined) !== withZone) return undefined;
  const days = parseDate(datePart);
  const time = parseTime(timePart, nanos);
  if (days === undefined || time === undefined) return undefined;
  const perDay = nanos ? MICROS_PER_DAY * 1000n : MICROS_PER_DAY;
  let value = BigInt(days) * perDay + time;
  if (offset !== undefined && offset !== 'Z') {
    const offsetHours = Number(offset.slice(1, 3));
    const offsetMinutes = Number(offset.slice(4, 6));
    if (offsetHours > 18 || offsetMinutes > 59) return undefined;
    const offsetUnits = BigInt(offsetHours * 60 + offsetMinutes) * 60n * (nanos ? 1_000_000_000n : 1_000_000n);
    value = offset.startsWith('+') ? value - offsetUnits : value + offsetUnits;
  }
  return value;
}

function fromText(parsed: number | bigint | undefined, json: string, type: PrimitiveType): LiteralConversion {
  return parsed === undefined ? invalid(json, type) : ok(parsed);
}

function ok(value: Value): LiteralConversion {
  return { ok: true, value };
}

function mismatch(json: LiteralJson, type: PrimitiveType): LiteralConversion {
  return { ok: false, problem: `cannot convert ${shown(json)} to ${type}` };
}

function invalid(json: LiteralJson, type: PrimitiveType): LiteralConversion {
  return { ok: false, problem: `invalid ${type} value ${shown(json)}` };
}

function shown(json: LiteralJson): string {
  return typeof json === 'string' ? `"${short(json)}"` : String(json);
}

function short(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}...` : text;
}
