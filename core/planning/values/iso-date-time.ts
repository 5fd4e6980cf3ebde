/**
 * The ISO-8601 text of dates, times and timestamps in the JSON single-value serialisation (spec
 * Appendix D): what java.time's ISO_LOCAL_DATE, ISO_LOCAL_TIME and ISO_DATE_TIME parse, which Java
 * clients send (seconds may be omitted, 0 to 9 fraction digits, years beyond 9999 need a sign).
 * Formatting always writes seconds and the type's full precision (6 or 9 digits), like the spec's
 * examples; Java trims trailing zeros, and both forms parse everywhere.
 */
import { civilFromDays, daysFromCivil, daysInMonth, floorDiv, floorMod } from './calendar.js';

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

export const NANOS_PER_MICRO = 1000n;
export const NANOS_PER_SECOND = 1_000_000_000n;
export const NANOS_PER_DAY = 86_400n * NANOS_PER_SECOND;

const DATE = /^([+-]?)(\d{4,9})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const OFFSET = /(?:[zZ]|([+-])(\d{2}):(\d{2})(?::(\d{2}))?)$/;

function fail<T>(problem: string): Parsed<T> {
  return { ok: false, problem };
}

/** Days from 1970-01-01 of `yyyy-mm-dd`; rejects dates that do not exist (2017-02-29). */
export function parseIsoDate(text: string): Parsed<number> {
  const match = DATE.exec(text);
  if (!match) return fail(`"${text}" is not an ISO date (yyyy-mm-dd)`);
  const [, sign = '', yearDigits = '', monthText = '', dayText = ''] = match;
  // java.time: more than 4 year digits need a sign, and '+' is only for them.
  if ((yearDigits.length > 4 && sign === '') || (yearDigits.length <= 4 && sign === '+')) {
    return fail(`"${text}" has a malformed year`);
  }
  const year = (sign === '-' ? -1 : 1) * Number(yearDigits);
  const month = Number(monthText);
  const day = Number(dayText);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return fail(`"${text}" is not a valid date`);
  return { ok: true, value: daysFromCivil(year, month, day) };
}

/** Nanoseconds from midnight of `hh:mm[:ss[.fffffffff]]`. */
export function parseIsoTime(text: string): Parsed<bigint> {
  const match = TIME.exec(text);
  if (!match) return fail(`"${text}" is not an ISO time (hh:mm:ss.ffffff)`);
  const [, hourText = '', minuteText = '', secondText = '0', fraction = ''] = match;
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText);
  if (hour > 23 || minute > 59 || second > 59) return fail(`"${text}" is not a valid time of day`);
  const nanos = BigInt(fraction.padEnd(9, '0'));
  return { ok: true, value: BigInt((hour * 60 + minute) * 60 + second) * NANOS_PER_SECOND + nanos };
}

export interface ParsedTimestamp {
  /** Nanoseconds from 1970-01-01T00:00 of the local date-time, the offset not applied. */
  readonly localNanos: bigint;
  /** Offset in seconds, or undefined when the text has none. */
  readonly offsetSeconds: number | undefined;
}

/** `date 'T' time [offset]`, the offset being `Z` or `±hh:mm[:ss]`. */
export function parseIsoTimestamp(text: string): Parsed<ParsedTimestamp> {
  const separator = text.search(/[tT]/);
  if (separator < 0) return fail(`"${text}" is not an ISO timestamp (yyyy-mm-ddThh:mm:ss.ffffff)`);
  const date = parseIsoDate(text.slice(0, separator));
  if (!date.ok) return fail(`"${text}" is not a valid ISO timestamp: ${date.problem}`);
  let rest = text.slice(separator + 1);
  let offsetSeconds: number | undefined;
  const offset = OFFSET.exec(rest);
  if (offset) {
    const [whole, sign, hours = '0', minutes = '0', seconds = '0'] = offset;
    if (Number(hours) > 18 || Number(minutes) > 59 || Number(seconds) > 59) return fail(`"${text}" has an invalid zone offset`);
    offsetSeconds = (sign === '-' ? -1 : 1) * (Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds));
    rest = rest.slice(0, rest.length - whole.length);
  }
  const time = parseIsoTime(rest);
  if (!time.ok) return fail(`"${text}" is not a valid ISO timestamp: ${time.problem}`);
  return { ok: true, value: { localNanos: BigInt(date.value) * NANOS_PER_DAY + time.value, offsetSeconds } };
}

function pad(value: number | bigint, width: number): string {
  return value.toString().padStart(width, '0');
}

export function formatIsoDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  let yearText: string;
  if (year < 0) yearText = `-${pad(-year, 4)}`;
  else if (year > 9999) yearText = `+${year}`;
  else yearText = pad(year, 4);
  return `${yearText}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** `fractionDigits` is 6 for microsecond types, 9 for nanosecond ones. */
export function formatIsoTime(nanosOfDay: bigint, fractionDigits: 6 | 9): string {
  const seconds = nanosOfDay / NANOS_PER_SECOND;
  const fraction = nanosOfDay % NANOS_PER_SECOND;
  const hour = seconds / 3600n;
  const minute = (seconds / 60n) % 60n;
  const second = seconds % 60n;
  const fractionText = pad(fraction, 9).slice(0, fractionDigits);
  return `${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${fractionText}`;
}

export function formatIsoTimestamp(epochNanos: bigint, fractionDigits: 6 | 9): string {
  const days = floorDiv(epochNanos, NANOS_PER_DAY);
  const nanosOfDay = floorMod(epochNanos, NANOS_PER_DAY);
  return `${formatIsoDate(Number(days))}T${formatIsoTime(nanosOfDay, fractionDigits)}`;
}
