/**
 * Inclusive projection (Java's Projections.inclusive and each transform's `project`): turns a row
 * filter into a filter on partition values that every partition holding a matching row satisfies.
 * It may keep partitions without matches, never drop one with a match, so manifests and files are
 * pruned with it safely.
 *
 * The bound row filter has `not` pushed down (bound-expression.ts), so replacing a predicate that
 * cannot be projected with `true` only ever widens the result. A predicate on a column that several
 * partition fields are derived from becomes the `and` of its projections.
 *
 * Per transform, as in Java:
 * - identity: every predicate carries over unchanged.
 * - bucket[N]: only null checks, `eq` and `in` (the hash keeps no order).
 * - truncate[W]: order predicates on the rounded boundary (`x < 15` on truncate[10] is `p <= 10`),
 *   `starts-with` on the truncated prefix, `not-starts-with` only when the prefix fits in W. Java's
 *   int and long arithmetic wraps for values within W of the minimum (core/planning/values'
 *   transforms.ts); unlike Java, the projection keeps those rows (see projectTruncate).
 * - year, month, day, hour: order predicates and `eq`/`in` on the rounded value; then Java's
 *   fix-up for files written by Iceberg 0.10 and earlier, whose transforms rounded pre-1970 values
 *   toward zero (one unit too high): a negative boundary also admits the unit above it. Java skips
 *   the fix-up for day of a date, and so does this.
 * - void and unknown transforms: nothing (true).
 * A transform term equal to the partition field's transform (`bucket[16](id) = 3` on a bucket[16]
 * field) carries over unchanged, as Java's projectTransformPredicate does.
 */
import { MAX_LONG, MIN_LONG } from '../../metadata/long.js';
import {
  ALWAYS_FALSE,
  ALWAYS_TRUE,
  and,
  or,
  type BoundExpression,
  type BoundPredicate,
  type BoundReference,
} from '../expressions/index.js';
import { transformFor, valueKey, valueTypeToString, type Value, type ValueTransform, type ValueType } from '../values/index.js';
import { MAX_INT, MIN_INT } from '../values/value-check.js';
import { sameTransform, type PartitionFieldInfo } from './partition-fields.js';

export function projectInclusive(filter: BoundExpression, fields: readonly PartitionFieldInfo[]): BoundExpression {
  switch (filter.type) {
    case 'true':
    case 'false':
      return filter;
    case 'and':
      return and(projectInclusive(filter.left, fields), projectInclusive(filter.right, fields));
    case 'or':
      return or(projectInclusive(filter.left, fields), projectInclusive(filter.right, fields));
    default: {
      let result = ALWAYS_TRUE;
      for (const field of fields) {
        const projected = projectPredicate(filter, field);
        if (projected !== undefined) result = and(result, projected);
      }
      return result;
    }
  }
}

/** The reference to a partition field in a projected filter: the partition struct's field. */
export function partitionReference(field: PartitionFieldInfo, resultType: ValueType): BoundReference {
  return { kind: 'reference', fieldId: field.fieldId, name: field.name, type: valueTypeToString(resultType), required: false };
}

/** The same predicate on another term (the operation and literals unchanged). */
export function retarget(predicate: BoundPredicate, term: BoundReference): BoundPredicate {
  return { ...predicate, term };
}

/**
 * The inclusive projection of one predicate onto one partition field, or undefined when the field
 * says nothing about it. Exported for the residual, which evaluates it per partition.
 */
export function projectPredicate(predicate: BoundPredicate, field: PartitionFieldInfo): BoundExpression | undefined {
  const { resultType, sourceType } = field;
  if (resultType === undefined || sourceType === undefined) return undefined;
  const term = predicate.term;
  const target = partitionReference(field, resultType);
  if (term.kind === 'transform') {
    const matches = term.reference.fieldId === field.sourceId && sameTransform(term.transform, field.transform);
    if (!matches) return undefined;
    // The partition value of a legacy file may be one unit above the term's value, as below.
    return hasPreEpochBug(field) ? fixPreEpoch(retarget(predicate, target)) : retarget(predicate, target);
  }
  if (term.fieldId !== field.sourceId) return undefined;
  const transform = field.transform;
  if (transform.kind === 'identity') return retarget(predicate, target);
  const apply = transformFor(transform, sourceType);
  if (apply === undefined || transform.kind === 'void' || transform.kind === 'unknown') return undefined;
  if (predicate.type === 'is-null' || predicate.type === 'not-null') return { type: predicate.type, term: target };
  switch (transform.kind) {
    case 'bucket':
      return projectBucket(predicate, target, apply);
    case 'truncate':
      return projectTruncate(predicate, target, apply, sourceType, transform.width);
    default:
      return hasPreEpochBug(field) ? fixPreEpoch(projectTime(predicate, target, apply)) : projectTime(predicate, target, apply);
  }
}

function projectBucket(predicate: BoundPredicate, target: BoundReference, apply: ValueTransform): BoundExpression | undefined {
  if (predicate.type === 'eq') return comparison('eq', target, apply(predicate.literal));
  if (predicate.type === 'in') return inSet(target, predicate.literals.map(apply));
  return undefined;
}

function projectTruncate(
  predicate: BoundPredicate,
  target: BoundReference,
  apply: ValueTransform,
  sourceType: ValueType,
  width: number,
): BoundExpression | undefined {
  const ordered = sourceType.kind === 'int' || sourceType.kind === 'long' || sourceType.kind === 'decimal';
  // Java's int and long truncate wraps within W of the type's minimum (transforms.ts): the rounded
  // boundary then lands near the maximum and no longer bounds anything. `eq` and `in` stay right,
  // since rows were partitioned with that same arithmetic.
  const bound = (value: Value): Value | null => {
    const rounded = apply(value);
    return rounded !== null && wrapped(value, rounded) ? null : rounded;
  };
  // Rows within W of the minimum were partitioned under a wrapped value near the maximum too: an
  // upper boundary must let those through (they satisfy every `x < v`).
  const orWrapped = (projected: BoundExpression): BoundExpression => {
    if (sourceType.kind === 'int' && width > 1) return or(projected, { type: 'gt', term: target, literal: MAX_INT - width });
    if (sourceType.kind === 'long' && width > 1) return or(projected, { type: 'gt', term: target, literal: MAX_LONG - BigInt(width) });
    return projected;
  };
  switch (predicate.type) {
    case 'lt':
      // On numbers `x < v` is `x <= v - 1`; on strings and bytes there is no predecessor.
      return orWrapped(comparison('lt-eq', target, bound(ordered ? step(predicate.literal, -1) : predicate.literal)));
    case 'lt-eq':
      return orWrapped(comparison('lt-eq', target, bound(predicate.literal)));
    case 'gt':
      return comparison('gt-eq', target, bound(ordered ? step(predicate.literal, 1) : predicate.literal));
    case 'gt-eq':
      return comparison('gt-eq', target, bound(predicate.literal));
    case 'eq':
      return comparison('eq', target, apply(predicate.literal));
    case 'in':
      return inSet(target, predicate.literals.map(apply));
    case 'starts-with':
      return comparison('starts-with', target, apply(predicate.literal));
    case 'not-starts-with': {
      // A value not starting with a prefix shorter than W keeps not starting with it once truncated;
      // a prefix of exactly W code points is the whole truncated value.
      if (typeof predicate.literal !== 'string') return undefined;
      const length = codePointLength(predicate.literal);
      if (length < width) return comparison('not-starts-with', target, predicate.literal);
      if (length === width) return comparison('not-eq', target, predicate.literal);
      return undefined;
    }
    default:
      return undefined;
  }
}

function projectTime(predicate: BoundPredicate, target: BoundReference, apply: ValueTransform): BoundExpression | undefined {
  let projected: BoundExpression;
  switch (predicate.type) {
    case 'lt':
      projected = comparison('lt-eq', target, apply(step(predicate.literal, -1)));
      break;
    case 'lt-eq':
      projected = comparison('lt-eq', target, apply(predicate.literal));
      break;
    case 'gt':
      projected = comparison('gt-eq', target, apply(step(predicate.literal, 1)));
      break;
    case 'gt-eq':
      projected = comparison('gt-eq', target, apply(predicate.literal));
      break;
    case 'eq':
      projected = comparison('eq', target, apply(predicate.literal));
      break;
    case 'in':
      projected = inSet(target, predicate.literals.map(apply));
      break;
    default:
      return undefined;
  }
  return projected;
}

/**
 * Whether files of Iceberg <= 0.10 may hold this field's pre-1970 values one unit too high: every
 * year/month/day/hour field except day of a date (Java skips that fix-up, and so does this).
 */
export function hasPreEpochBug(field: PartitionFieldInfo): boolean {
  const { transform, sourceType } = field;
  if (transform.kind === 'day') return sourceType?.kind !== 'date';
  return transform.kind === 'year' || transform.kind === 'month' || transform.kind === 'hour';
}

/**
 * Java's ProjectionUtil.fixInclusiveTimeProjection: before 0.10.1, year/month/day/hour rounded
 * negative values toward zero, so a pre-1970 row may sit in the partition one above the correct
 * one. An upper boundary below zero moves up by one; `eq`/`in` of a negative unit also admit the
 * unit above. Lower boundaries need nothing: the wrong value is only ever higher. Java applies this
 * to projected source predicates only; it is applied here to an equal transform term as well
 * (`day(ts) = -2` must keep a legacy partition -1), where Java would drop the file.
 */
function fixPreEpoch(projected: BoundExpression | undefined): BoundExpression | undefined {
  if (projected === undefined) return undefined;
  switch (projected.type) {
    case 'not-eq':
    case 'not-in':
      // Only reachable through an equal transform term: a wrong unit proves nothing about the row.
      return undefined;
    case 'lt':
      // Only reachable through an equal transform term. A legacy unit p may hold p - 1 when p <= 0,
      // so `t < 0` must admit p = 0 (Java's rule, for a negative literal only, would not).
      return isNegative(projected.literal) || projected.literal === 0 ? { ...projected, literal: (projected.literal as number) + 1 } : projected;
    case 'lt-eq':
      return isNegative(projected.literal) ? { ...projected, literal: (projected.literal as number) + 1 } : projected;
    case 'eq':
      return isNegative(projected.literal) ? inSet(projected.term as BoundReference, [projected.literal, (projected.literal as number) + 1]) : projected;
    case 'in': {
      const above = projected.literals.filter(isNegative).map((value) => (value as number) + 1);
      return above.length === 0 ? projected : inSet(projected.term as BoundReference, [...projected.literals, ...above]);
    }
    default:
      return projected;
  }
}

function isNegative(value: Value): boolean {
  return typeof value === 'number' && value < 0;
}

type ProjectedComparison = 'lt-eq' | 'gt-eq' | 'eq' | 'not-eq' | 'starts-with' | 'not-starts-with';

/** A transform of a non-null literal is non-null except for void; null means "no boundary" here. */
function comparison(type: ProjectedComparison, term: BoundReference, literal: Value | null): BoundExpression {
  if (literal === null) return ALWAYS_TRUE;
  return { type, term, literal };
}

/** `in` over distinct members; one member is `eq`, as binding writes it. */
function inSet(term: BoundReference, values: readonly (Value | null)[]): BoundExpression {
  const members = new Map<string, Value>();
  for (const value of values) {
    if (value === null) return ALWAYS_TRUE;
    members.set(valueKey(value), value);
  }
  const distinct = [...members.values()];
  const [first] = distinct;
  if (first === undefined) return ALWAYS_FALSE;
  return distinct.length === 1 ? { type: 'eq', term, literal: first } : { type: 'in', term, literals: distinct };
}

/**
 * `value + delta` for the integer-like types truncate and the time transforms order (int and date
 * numbers, long and timestamp bigints, decimals). At the type's edge it returns the value itself:
 * `x < MIN` matches nothing anyway, and `x <= MIN` is still a superset.
 */
export function step(value: Value, delta: 1 | -1): Value {
  if (typeof value === 'number') {
    const next = value + delta;
    return next < MIN_INT || next > MAX_INT ? value : next;
  }
  if (typeof value === 'bigint') {
    const next = value + BigInt(delta);
    return next < MIN_LONG || next > MAX_LONG ? value : next;
  }
  if (typeof value === 'object' && !(value instanceof Uint8Array)) return { unscaled: value.unscaled + BigInt(delta), scale: value.scale };
  return value;
}

/** truncate never rounds a number up: a result above its input wrapped around. */
export function wrapped(value: Value, rounded: Value): boolean {
  if (typeof value === 'number' && typeof rounded === 'number') return rounded > value;
  if (typeof value === 'bigint' && typeof rounded === 'bigint') return rounded > value;
  return false;
}

function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length += 1;
  return length;
}
