/**
 * Whether a predicate can match no value between a lower and an upper bound: the check that the
 * manifest evaluator (partition summaries) and the metrics evaluator (column bounds) share.
 * "True" means the predicate is false for every value in [lower, upper]; anything unsure is false.
 *
 * - A missing bound (undefined) says nothing. So does a NaN bound, which only writers before NaN
 *   counts wrote: new writers keep NaN out of bounds.
 * - Bounds compare in Iceberg's order (core/planning/values/compare.ts), the order the filter is
 *   evaluated in. A uuid bound may have been written in that (unsigned) order or in Java's legacy
 *   signed one (two signed longs): see uuidHull for how both are honoured.
 * - `starts-with` compares UTF-8 bytes of the bound cut to the prefix's length, as Java does, so a
 *   truncated lower bound (a prefix of the true minimum) or a truncated and incremented upper bound
 *   remains usable.
 * - `in` with more than IN_PREDICATE_LIMIT members is not checked, as in Java: the check costs more
 *   than the occasional skipped file saves.
 * `not-eq` and `not-in` never rule anything out from bounds alone.
 */
import type { BoundPredicate } from '../expressions/index.js';
import { comparatorFor, type Comparator, type Value, type ValueType } from '../values/index.js';

export const IN_PREDICATE_LIMIT = 200;

export interface Bounds {
  readonly lower: Value | undefined;
  readonly upper: Value | undefined;
}

const utf8 = new TextEncoder();
const compareBytes = comparatorFor({ kind: 'binary' }) as Comparator;

/**
 * Bounds that hold whichever order a writer used for uuid bounds. Under the signed order, the
 * values between two bounds whose high halves have the same sign bit have high halves between
 * theirs in the unsigned order too, with any low half; bounds whose high halves differ in sign
 * bit span values at both ends of the unsigned order, so they bound nothing. The widened bounds
 * (low half all zeros below, all ones above) also contain the unsigned interval.
 */
function uuidHull(lower: Value | undefined, upper: Value | undefined): Bounds {
  if (typeof lower !== 'string' || typeof upper !== 'string' || lower.length !== UUID_TEXT_LENGTH || upper.length !== UUID_TEXT_LENGTH) {
    return { lower: undefined, upper: undefined };
  }
  const negative = (uuid: string): boolean => (uuid[0] ?? '0') >= '8';
  if (negative(lower) !== negative(upper)) return { lower: undefined, upper: undefined };
  return { lower: `${lower.slice(0, HIGH_HALF_TEXT)}0000-000000000000`, upper: `${upper.slice(0, HIGH_HALF_TEXT)}ffff-ffffffffffff` };
}

/** `xxxxxxxx-xxxx-xxxx-`: the 16 hex digits of the high 64 bits and their dashes. */
const HIGH_HALF_TEXT = 19;
const UUID_TEXT_LENGTH = 36;

function usable(bound: Value | undefined): Value | undefined {
  return typeof bound === 'number' && Number.isNaN(bound) ? undefined : bound;
}

/** True when no value in `bounds` satisfies `predicate` (whose literals are of `type`). */
export function boundsRuleOut(predicate: BoundPredicate, type: ValueType, bounds: Bounds): boolean {
  let lower = usable(bounds.lower);
  let upper = usable(bounds.upper);
  if (type.kind === 'uuid') ({ lower, upper } = uuidHull(lower, upper));
  if (lower === undefined && upper === undefined) return false;
  if (predicate.type === 'starts-with' || predicate.type === 'not-starts-with') {
    return prefixRulesOut(predicate.type, predicate.literal, lower, upper);
  }
  const compare = comparatorFor(type);
  return compare !== undefined && ruledOutUnder(predicate, compare, lower, upper);
}

function ruledOutUnder(predicate: BoundPredicate, compare: Comparator, lower: Value | undefined, upper: Value | undefined): boolean {
  switch (predicate.type) {
    case 'lt':
      return lower !== undefined && compare(lower, predicate.literal) >= 0;
    case 'lt-eq':
      return lower !== undefined && compare(lower, predicate.literal) > 0;
    case 'gt':
      return upper !== undefined && compare(upper, predicate.literal) <= 0;
    case 'gt-eq':
      return upper !== undefined && compare(upper, predicate.literal) < 0;
    case 'eq':
      return outside(predicate.literal, compare, lower, upper);
    case 'in':
      if (predicate.literals.length > IN_PREDICATE_LIMIT) return false;
      return predicate.literals.every((literal) => outside(literal, compare, lower, upper));
    default:
      return false;
  }
}

function outside(literal: Value, compare: Comparator, lower: Value | undefined, upper: Value | undefined): boolean {
  return (lower !== undefined && compare(lower, literal) > 0) || (upper !== undefined && compare(upper, literal) < 0);
}

function prefixRulesOut(
  type: 'starts-with' | 'not-starts-with',
  prefix: Value,
  lower: Value | undefined,
  upper: Value | undefined,
): boolean {
  if (typeof prefix !== 'string') return false;
  const prefixBytes = utf8.encode(prefix);
  const lowerBytes = typeof lower === 'string' ? utf8.encode(lower) : undefined;
  const upperBytes = typeof upper === 'string' ? utf8.encode(upper) : undefined;
  const cut = (bytes: Uint8Array): Uint8Array => bytes.subarray(0, Math.min(bytes.byteLength, prefixBytes.byteLength));
  if (type === 'starts-with') {
    if (lowerBytes !== undefined && compareBytes(cut(lowerBytes), prefixBytes) > 0) return true;
    return upperBytes !== undefined && compareBytes(cut(upperBytes), prefixBytes) < 0;
  }
  // Strings starting with a prefix form one interval: if both bounds start with it, every value
  // between them does too. (The caller has already ruled out nulls, which match not-starts-with.)
  if (lowerBytes === undefined || upperBytes === undefined) return false;
  const startsWith = (bytes: Uint8Array): boolean =>
    bytes.byteLength >= prefixBytes.byteLength && compareBytes(cut(bytes), prefixBytes) === 0;
  return startsWith(lowerBytes) && startsWith(upperBytes);
}
