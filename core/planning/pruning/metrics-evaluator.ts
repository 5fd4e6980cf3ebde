/**
 * May a data file hold rows matching a row filter? (Java's InclusiveMetricsEvaluator.) Decided from
 * the file's column metrics in its manifest entry: value, null and NaN counts and lower/upper
 * bounds, keyed by field id.
 *
 * Rows-might-match semantics: `false` only when the metrics prove no row matches. A missing count
 * or bound, a bound that does not decode as the column's type (decodeSingleValue also reads the
 * narrower forms type promotion left behind), a column that has no order: all "might match".
 * - A file with 0 records matches nothing; a negative count (imported Avro files in Java) says
 *   nothing.
 * - Bounds exclude NaN; "all values are NaN" comes from the NaN count equal to the value count.
 * - Truncated string and binary bounds stay bounds (a prefix of the minimum; an incremented prefix
 *   of the maximum), so comparisons against them remain sound (bounds-check.ts).
 * - A transform term (`day(ts) = ...`) is checked on transformed bounds when the transform keeps
 *   order (identity, truncate, year/month/day/hour), as Java does; bucket and void say nothing.
 */
import type { DataFile } from '../../avro/iceberg-manifest-types.js';
import { isPrimitive } from '../../metadata/primitive-types.js';
import type { BoundExpression, BoundPredicate, BoundTerm } from '../expressions/index.js';
import { decodeSingleValue, toValueType, transformFor, type Value, type ValueType } from '../values/index.js';
import { boundsRuleOut, type Bounds } from './bounds-check.js';
import { mightMatch } from './manifest-evaluator.js';
import { wrapped } from './project-inclusive.js';

/** What the evaluator reads of a DataFile: its record count and metrics. */
export type FileMetrics = Pick<
  DataFile,
  'record_count' | 'value_counts' | 'null_value_counts' | 'nan_value_counts' | 'lower_bounds' | 'upper_bounds'
>;

export function fileMightMatch(filter: BoundExpression, file: FileMetrics): boolean {
  if (file.record_count === 0n) return false;
  if (file.record_count < 0n) return true;
  try {
    return mightMatch(filter, (predicate) => predicateMightMatch(predicate, file));
  } catch {
    // Metrics are checked value by value; this only guards against a filter whose literals do not
    // fit its own types, where "might match" is still the safe answer.
    return true;
  }
}

const ORDER_PRESERVING: ReadonlySet<string> = new Set(['identity', 'truncate', 'year', 'month', 'day', 'hour']);
/** hour(ts) narrows to an int like Java; beyond about ±245,000 years the count wraps and loses order. */
const MAX_HOUR_MICROS = 2n ** 31n * 3_600_000_000n;

function predicateMightMatch(predicate: BoundPredicate, file: FileMetrics): boolean {
  const term = predicate.term;
  const reference = term.kind === 'reference' ? term : term.reference;
  const id = reference.fieldId;
  if (term.kind === 'transform' && term.transform.kind === 'void') return true;
  const valueCount = file.value_counts?.get(id);
  const nullCount = file.null_value_counts?.get(id);
  const nanCount = file.nan_value_counts?.get(id);
  const onlyNulls = valueCount !== undefined && nullCount !== undefined && valueCount === nullCount;
  const onlyNaNs = valueCount !== undefined && nanCount !== undefined && valueCount === nanCount;
  const mayHaveNull = nullCount === undefined || nullCount !== 0n;
  switch (predicate.type) {
    case 'is-null':
      return nullCount !== 0n;
    case 'not-null':
      return !onlyNulls;
    case 'is-nan':
      return nanCount !== 0n && !onlyNulls;
    case 'not-nan':
      return !onlyNaNs;
    case 'not-eq':
    case 'not-in':
      return true;
    case 'not-starts-with':
      if (mayHaveNull) return true;
      return !ruledOutByBounds(predicate, term, file);
    default:
      if (onlyNulls || onlyNaNs) return false;
      return !ruledOutByBounds(predicate, term, file);
  }
}

function ruledOutByBounds(predicate: BoundPredicate, term: BoundTerm, file: FileMetrics): boolean {
  const reference = term.kind === 'reference' ? term : term.reference;
  if (!isPrimitive(reference.type)) return false;
  const columnType = toValueType(reference.type);
  if (columnType === undefined) return false;
  const lower = decodeBound(columnType, file.lower_bounds?.get(reference.fieldId));
  const upper = decodeBound(columnType, file.upper_bounds?.get(reference.fieldId));
  if (term.kind === 'reference') return boundsRuleOut(predicate, columnType, { lower, upper });
  const transformed = transformBounds(term, columnType, { lower, upper });
  return transformed !== undefined && boundsRuleOut(predicate, transformed.type, transformed.bounds);
}

function decodeBound(type: ValueType, bytes: Uint8Array | undefined): Value | undefined {
  if (bytes === undefined) return undefined;
  const decoded = decodeSingleValue(type, bytes);
  return decoded.ok ? decoded.value : undefined;
}

/**
 * Bounds of the transformed column, when the transform keeps order: t(lower) <= t(v) <= t(upper).
 * Where Java's integer arithmetic wraps (truncate near the type's minimum, hour of timestamps
 * beyond ±245,000 years) the order breaks, so those bounds are dropped.
 */
function transformBounds(term: Extract<BoundTerm, { kind: 'transform' }>, columnType: ValueType, bounds: Bounds):
  { readonly type: ValueType; readonly bounds: Bounds } | undefined {
  if (!ORDER_PRESERVING.has(term.transform.kind)) return undefined;
  const apply = transformFor(term.transform, columnType);
  const resultType = toValueType(term.type);
  if (apply === undefined || resultType === undefined) return undefined;
  const map = (bound: Value | undefined): Value | undefined => {
    if (bound === undefined || (typeof bound === 'number' && Number.isNaN(bound))) return undefined;
    if (term.transform.kind === 'hour' && typeof bound === 'bigint' && (bound >= MAX_HOUR_MICROS || bound <= -MAX_HOUR_MICROS)) return undefined;
    const result = apply(bound);
    if (result === null) return undefined;
    if (term.transform.kind === 'truncate' && wrapped(bound, result)) return undefined;
    return result;
  };
  return { type: resultType, bounds: { lower: map(bounds.lower), upper: map(bounds.upper) } };
}
