/**
 * Strict projection of one predicate onto one partition field (each Java transform's
 * `projectStrict`): a predicate on the partition value that, when true, makes the row predicate
 * true for every row of the partition. The residual uses it to drop predicates a partition already
 * guarantees (`ts >= '2020-01-01'` on a day partition of 2020-03-01 is true).
 *
 * - identity: the predicate itself (the residual handles it exactly instead).
 * - bucket[N]: `not-eq` and `not-in` on the buckets (a different bucket is a different value).
 * - truncate[W] of numbers and year/month/day/hour: whole units on the right side of the boundary
 *   (`x < v` holds on every row of a unit below v's unit; `x > v` on every unit above it);
 *   `not-eq`/`not-in` on the units. For int/long truncate, units Java's arithmetic wrapped (rows
 *   within W of the minimum land near the maximum) never confirm a `>`.
 * - truncate[W] of strings: `<`, `>`, `not-eq` on the truncated value; `starts-with` when the prefix
 *   fits in W; `not-starts-with` on the truncated prefix.
 * - void and unknown transforms: nothing.
 *
 * Java also "fixes" strict time projections for files of Iceberg <= 0.10; the residual instead
 * evaluates this projection on both units such a partition value may stand for.
 */
import { MAX_LONG } from '../../metadata/long.js';
import { and, type BoundExpression, type BoundPredicate, type BoundReference } from '../expressions/index.js';
import { transformFor, valueKey, type Value, type ValueTransform, type ValueType } from '../values/index.js';
import { MAX_INT } from '../values/value-check.js';
import type { PartitionFieldInfo } from './partition-fields.js';
import { partitionReference, retarget, step, wrapped } from './project-inclusive.js';

export function projectStrict(predicate: BoundPredicate, field: PartitionFieldInfo): BoundExpression | undefined {
  const { resultType, sourceType, transform } = field;
  const term = predicate.term;
  if (resultType === undefined || sourceType === undefined || term.kind !== 'reference' || term.fieldId !== field.sourceId) return undefined;
  const target = partitionReference(field, resultType);
  if (transform.kind === 'identity') return retarget(predicate, target);
  const apply = transformFor(transform, sourceType);
  if (apply === undefined || transform.kind === 'void' || transform.kind === 'unknown') return undefined;
  if (predicate.type === 'is-null' || predicate.type === 'not-null') return { type: predicate.type, term: target };
  if (predicate.type === 'not-eq') return defined(apply(predicate.literal), (unit) => ({ type: 'not-eq', term: target, literal: unit }));
  if (predicate.type === 'not-in') return notInSet(target, predicate.literals.map(apply));
  if (transform.kind === 'bucket') return undefined;
  if (transform.kind === 'truncate' && (sourceType.kind === 'string' || sourceType.kind === 'binary')) {
    return strictTruncateText(predicate, target, apply, transform.width);
  }
  return strictOrdered(predicate, target, apply, sourceType, transform.kind === 'truncate' ? transform.width : undefined);
}

/** Numbers and times: `unit < unit(v)` confirms `x < v`, `unit > unit(v)` confirms `x > v`. */
function strictOrdered(
  predicate: BoundPredicate,
  target: BoundReference,
  apply: ValueTransform,
  sourceType: ValueType,
  truncateWidth: number | undefined,
): BoundExpression | undefined {
  const unit = (value: Value): Value | null => {
    const result = apply(value);
    return result !== null && wrapped(value, result) ? null : result;
  };
  const below = (value: Value): BoundExpression | undefined => defined(unit(value), (literal) => ({ type: 'lt', term: target, literal }));
  const above = (value: Value): BoundExpression | undefined => {
    const strict = defined(unit(value), (literal): BoundExpression => ({ type: 'gt', term: target, literal }));
    if (strict === undefined || truncateWidth === undefined || truncateWidth <= 1) return strict;
    // A wrapped unit sits near the maximum but holds rows near the minimum.
    if (sourceType.kind === 'int') return and(strict, { type: 'lt-eq', term: target, literal: MAX_INT - truncateWidth });
    if (sourceType.kind === 'long') return and(strict, { type: 'lt-eq', term: target, literal: MAX_LONG - BigInt(truncateWidth) });
    return strict;
  };
  switch (predicate.type) {
    case 'lt':
      return below(predicate.literal);
    case 'lt-eq': {
      const next = step(predicate.literal, 1);
      return next === predicate.literal ? undefined : below(next);
    }
    case 'gt':
      return above(predicate.literal);
    case 'gt-eq': {
      const previous = step(predicate.literal, -1);
      return previous === predicate.literal ? undefined : above(previous);
    }
    default:
      return undefined;
  }
}

function strictTruncateText(predicate: BoundPredicate, target: BoundReference, apply: ValueTransform, width: number): BoundExpression | undefined {
  switch (predicate.type) {
    case 'lt':
    case 'lt-eq':
      return defined(apply(predicate.literal), (literal) => ({ type: 'lt', term: target, literal }));
    case 'gt':
    case 'gt-eq':
      return defined(apply(predicate.literal), (literal) => ({ type: 'gt', term: target, literal }));
    case 'starts-with':
      // The partition value is the row's first W code points: it confirms a prefix no longer than W.
      return typeof predicate.literal === 'string' && [...predicate.literal].length <= width
        ? { type: 'starts-with', term: target, literal: predicate.literal }
        : undefined;
    case 'not-starts-with':
      return defined(apply(predicate.literal), (literal) => ({ type: 'not-starts-with', term: target, literal }));
    default:
      return undefined;
  }
}

function defined(value: Value | null, make: (value: Value) => BoundExpression): BoundExpression | undefined {
  return value === null ? undefined : make(value);
}

function notInSet(term: BoundReference, values: readonly (Value | null)[]): BoundExpression | undefined {
  const members = new Map<string, Value>();
  for (const value of values) {
    if (value === null) return undefined;
    members.set(valueKey(value), value);
  }
  const distinct = [...members.values()];
  const [first] = distinct;
  if (first === undefined) return undefined;
  return distinct.length === 1 ? { type: 'not-eq', term, literal: first } : { type: 'not-in', term, literals: distinct };
}
