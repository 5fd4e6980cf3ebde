/**
 * Iceberg's JSON single-value serialisation (spec Appendix D) for primitive types: how filter
 * literals, default values and plan responses carry a value. Parsing follows Java's
 * SingleValueParser, which every Java client's output passes:
 * - int and long are JSON integers; a long beyond 2^53 arrives as a bigint from
 *   `core/json/lossless-json.ts`, and an inexact one (a float like 1e20) is refused.
 * - float and double are JSON numbers. Jackson writes NaN and the infinities as the strings "NaN",
 *   "Infinity" and "-Infinity", so those strings are read too and written back the same way.
 *   A number beyond the type's range (1e39 for a float) is refused instead of becoming infinity.
 * - decimal is a string in Java BigDecimal syntax (`"14.20"`, `"1.42E+1"`) whose scale must equal
 *   the type's; a value with more digits than the precision is refused.
 * - date/time/timestamp text is ISO-8601 (iso-date-time.ts); timestamptz needs a zero offset
 *   (`+00:00`, `Z`), timestamp must have none. A microsecond type refuses non-zero nanoseconds
 *   rather than rounding them away, which would change a filter's meaning.
 * - uuid is 8-4-4-4-12 hex in either case; fixed and binary are hex strings.
 * Every bad input is an InvalidValueError (a 400); nothing else is thrown for input.
 */
import type { JsonValue } from '../../json/lossless-json.js';
import { isLongInRange, longToJson } from '../../metadata/long.js';
import { bytesFromHex, bytesToHex } from './hex.js';
import { InvalidValueError } from './invalid-value-error.js';
import {
  formatIsoDate,
  formatIsoTime,
  formatIsoTimestamp,
  NANOS_PER_MICRO,
  parseIsoDate,
  parseIsoTime,
  parseIsoTimestamp,
  type Parsed,
} from './iso-date-time.js';
import type { DecimalValue, Value } from './value.js';
import { fitsDecimalPrecision, isInt, valueProblem } from './value-check.js';
import { toValueType, valueTypeToString, type TypeInput, type ValueType } from './value-type.js';
import { uuidBytesFromText } from './uuid-bytes.js';

const NON_FINITE: ReadonlyMap<string, number> = new Map([
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
]);
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,9}))?$/;
/** Longer than any decimal(38, S) text in any notation; refuses megabyte strings before BigInt. */
const MAX_DECIMAL_TEXT = 128;
const MAX_SHOWN_INPUT = 80;

function describe(json: JsonValue): string {
  const text = JSON.stringify(json, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)) ?? String(json);
  return text.length > MAX_SHOWN_INPUT ? `${text.slice(0, MAX_SHOWN_INPUT)}...` : text;
}

function invalid(type: ValueType, json: JsonValue, problem: string): InvalidValueError {
  return new InvalidValueError(`Cannot parse ${describe(json)} as a ${valueTypeToString(type)} value: ${problem}`);
}

function parseLong(json: JsonValue): bigint | undefined {
  if (typeof json === 'bigint') return isLongInRange(json) ? json : undefined;
  if (typeof json === 'number' && Number.isSafeInteger(json)) return BigInt(json);
  return undefined;
}

function parseFloating(type: ValueType, json: JsonValue): number {
  if (typeof json === 'string') {
    const special = NON_FINITE.get(json);
    if (special === undefined) throw invalid(type, json, 'expected a JSON number (or "NaN", "Infinity", "-Infinity")');
    return special;
  }
  const number = typeof json === 'bigint' ? Number(json) : json;
  if (typeof number !== 'number') throw invalid(type, json, 'expected a JSON number');
  const value = type.kind === 'float' ? Math.fround(number) : number;
  if (!Number.isFinite(value)) throw invalid(type, json, `out of the ${type.kind} range`);
  return value;
}

function parseDecimal(type: ValueType & { kind: 'decimal' }, json: JsonValue): DecimalValue {
  if (typeof json !== 'string') throw invalid(type, json, 'expected a JSON string such as "14.20"');
  const match = json.length <= MAX_DECIMAL_TEXT ? DECIMAL_TEXT.exec(json) : null;
  const [, sign = '', integerDigits = '', fractionDigits = '', exponent = '0'] = match ?? [];
  if (!match || integerDigits.length + fractionDigits.length === 0) throw invalid(type, json, 'not a decimal number');
  const scale = fractionDigits.length - Number(exponent);
  if (scale !== type.scale) throw invalid(type, json, `the scale is ${scale}, the type's is ${type.scale}`);
  const magnitude = BigInt(integerDigits + fractionDigits);
  const unscaled = sign === '-' ? -magnitude : magnitude;
  if (!fitsDecimalPrecision(unscaled, type.precision)) throw invalid(type, json, `more than ${type.precision} digits`);
  return { unscaled, scale };
}

function unwrap<T>(type: ValueType, json: JsonValue, parsed: Parsed<T>): T {
  if (!parsed.ok) throw invalid(type, json, parsed.problem);
  return parsed.value;
}

/** Nanoseconds to a microsecond type's value, refusing digits the type cannot hold. */
function toMicros(type: ValueType, json: JsonValue, nanos: bigint): bigint {
  if (nanos % NANOS_PER_MICRO !== 0n) throw invalid(type, json, 'more precise than microseconds');
  return nanos / NANOS_PER_MICRO;
}

function parseTimestamp(type: ValueType, json: JsonValue): bigint {
  if (typeof json !== 'string') throw invalid(type, json, 'expected an ISO-8601 timestamp string');
  const { localNanos, offsetSeconds } = unwrap(type, json, parseIsoTimestamp(json));
  const withZone = type.kind === 'timestamptz' || type.kind === 'timestamptz_ns';
  if (withZone && offsetSeconds !== 0) {
    throw invalid(type, json, offsetSeconds === undefined ? 'needs the zone offset +00:00' : 'the zone offset must be +00:00');
  }
  if (!withZone && offsetSeconds !== undefined) throw invalid(type, json, 'a timestamp without zone must not have an offset');
  const nanos = type.kind === 'timestamp_ns' || type.kind === 'timestamptz_ns';
  const value = nanos ? localNanos : toMicros(type, json, localNanos);
  if (!isLongInRange(value)) throw invalid(type, json, `out of the ${type.kind} range`);
  return value;
}

function requireString(type: ValueType, json: JsonValue): string {
  if (typeof json !== 'string') throw invalid(type, json, 'expected a JSON string');
  return json;
}

/** Parses one value of `type`; JSON null is the absent value. Throws InvalidValueError. */
export function parseJsonSingleValue(typeInput: TypeInput, json: JsonValue): Value | null {
  const type = toValueType(typeInput);
  if (type === undefined) {
    throw new InvalidValueError(`Cannot parse a value of type ${String(typeInput)}: planning has no values of that type`);
  }
  if (json === null) return null;
  switch (type.kind) {
    case 'boolean':
      if (typeof json !== 'boolean') throw invalid(type, json, 'expected true or false');
      return json;
    case 'int':
      if (!isInt(json)) throw invalid(type, json, 'expected a JSON integer in the 32-bit range');
      return json;
    case 'long': {
      const value = parseLong(json);
      if (value === undefined) throw invalid(type, json, 'expected a JSON integer in the 64-bit range');
      return value;
    }
    case 'float':
    case 'double':
      return parseFloating(type, json);
    case 'decimal':
      return parseDecimal(type, json);
    case 'date': {
      const days = unwrap(type, json, parseIsoDate(requireString(type, json)));
      if (!isInt(days)) throw invalid(type, json, 'out of the date range');
      return days;
    }
    case 'time':
      return toMicros(type, json, unwrap(type, json, parseIsoTime(requireString(type, json))));
    case 'timestamp':
    case 'timestamptz':
    case 'timestamp_ns':
    case 'timestamptz_ns':
      return parseTimestamp(type, json);
    case 'string': {
      const text = requireString(type, json);
      if (!text.isWellFormed()) throw invalid(type, json, 'contains an unpaired surrogate');
      return text;
    }
    case 'uuid': {
      const text = requireString(type, json);
      if (uuidBytesFromText(text) === undefined) throw invalid(type, json, 'expected 8-4-4-4-12 hex digits');
      return text.toLowerCase();
    }
    case 'fixed':
    case 'binary': {
      const bytes = bytesFromHex(requireString(type, json));
      if (bytes === undefined) throw invalid(type, json, 'expected a hex string');
      if (type.kind === 'fixed' && bytes.byteLength !== type.length) {
        throw invalid(type, json, `expected ${type.length} bytes, got ${bytes.byteLength}`);
      }
      return bytes;
    }
  }
}

/** The shortest decimal that reads back as the same float, as Java's Float.toString writes it. */
function shortestFloat(value: number): number {
  for (let digits = 1; digits < 17; digits += 1) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

function formatFloating(value: number, kind: 'float' | 'double'): JsonValue {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  // JSON.stringify writes -0 as 0: the sign of a zero does not survive JSON here.
  return kind === 'float' ? shortestFloat(value) : value;
}

function formatDecimal({ unscaled, scale }: DecimalValue): string {
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString();
  const sign = unscaled < 0n ? '-' : '';
  if (scale === 0) return `${sign}${digits}`;
  const padded = digits.padStart(scale + 1, '0');
  return `${sign}${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
}

/**
 * The JSON of one value (null for the absent value). Throws a TypeError for a value that is not of
 * `type`: values reach here from this folder's parsers and decoders, so a mismatch is a bug.
 */
export function formatJsonSingleValue(typeInput: TypeInput, value: Value | null): JsonValue {
  const type = toValueType(typeInput);
  if (type === undefined) throw new TypeError(`type ${String(typeInput)} has no JSON single-value form here`);
  if (value === null) return null;
  const problem = valueProblem(type, value);
  if (problem !== undefined) throw new TypeError(`cannot format a ${valueTypeToString(type)} value: ${problem}`);
  switch (type.kind) {
    case 'boolean':
    case 'int':
    case 'string':
    case 'uuid':
      return value as boolean | number | string;
    case 'long':
      return longToJson(value as bigint);
    case 'float':
    case 'double':
      return formatFloating(value as number, type.kind);
    case 'decimal':
      return formatDecimal(value as DecimalValue);
    case 'date':
      return formatIsoDate(value as number);
    case 'time':
      return formatIsoTime((value as bigint) * NANOS_PER_MICRO, 6);
    case 'timestamp':
      return formatIsoTimestamp((value as bigint) * NANOS_PER_MICRO, 6);
    case 'timestamptz':
      return `${formatIsoTimestamp((value as bigint) * NANOS_PER_MICRO, 6)}+00:00`;
    case 'timestamp_ns':
      return formatIsoTimestamp(value as bigint, 9);
    case 'timestamptz_ns':
      return `${formatIsoTimestamp(value as bigint, 9)}+00:00`;
    case 'fixed':
    case 'binary':
      return bytesToHex(value as Uint8Array);
  }
}
