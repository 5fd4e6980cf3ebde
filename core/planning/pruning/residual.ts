/**
 * The residual of a row filter for one partition (Java's ResidualEvaluator): what a reader still
 * has to check on each row of a file once its partition values are known. It is written back as
 * the plan's `residual-filter`. For every row of the partition, the residual and the filter agree.
 *
 * Per predicate and partition field derived from its column:
 * - identity (or a transform term equal to the field's transform): the partition value is the
 *   term's value on every row, so the predicate evaluates to `true` or `false` exactly (for a
 *   time transform at or before 1970, only when the unit below gives the same answer: files of
 *   Iceberg <= 0.10 wrote those one unit too high);
 * - any other transform: if the strict projection (project-strict.ts) holds for this partition,
 *   every row matches and the predicate is `true` (`ts >= '2020-01-01'` on day 2020-03-01); if
 *   the inclusive projection fails, no row matches and it is `false`;
 * - otherwise the predicate stays.
 *
 * Partition values that cannot be read leave their predicates in place.
 */
import type { AvroRecord } from '../../avro/datum-reader.js';
import { ALWAYS_FALSE, ALWAYS_TRUE, and, evaluateRow, or, type BoundExpression, type BoundPredicate } from '../expressions/index.js';
import { sameTransform, type PartitionFieldInfo } from './partition-fields.js';
import { readPartitionTuple, type PartitionValue } from './partition-values.js';
import { hasPreEpochBug, partitionReference, projectPredicate, retarget } from './project-inclusive.js';
import { projectStrict } from './project-strict.js';
import type { Value } from '../values/index.js';

export function residualFor(filter: BoundExpression, fields: readonly PartitionFieldInfo[], partition: AvroRecord): BoundExpression {
  const tuple = readPartitionTuple(fields, partition);
  return residualOf(filter, fields, tuple);
}

function residualOf(expression: BoundExpression, fields: readonly PartitionFieldInfo[], tuple: ReadonlyMap<number, PartitionValue>): BoundExpression {
  switch (expression.type) {
    case 'true':
    case 'false':
      return expression;
    case 'and':
      return and(residualOf(expression.left, fields, tuple), residualOf(expression.right, fields, tuple));
    case 'or':
      return or(residualOf(expression.left, fields, tuple), residualOf(expression.right, fields, tuple));
    default:
      return predicateResidual(expression, fields, tuple);
  }
}

function predicateResidual(predicate: BoundPredicate, fields: readonly PartitionFieldInfo[], tuple: ReadonlyMap<number, PartitionValue>): BoundExpression {
  for (const field of fields) {
    const known = tuple.get(field.fieldId);
    if (known?.known !== true || field.resultType === undefined) continue;
    const read = (): typeof known.value => known.value;
    try {
      if (isExact(predicate, field)) {
        const onPartition = retarget(predicate, partitionReference(field, field.resultType));
        const outcomes = termValues(field, known.value).map((value) => evaluateRow(onPartition, () => value));
        if (outcomes.every((outcome) => outcome)) return ALWAYS_TRUE;
        if (outcomes.every((outcome) => !outcome)) return ALWAYS_FALSE;
        continue;
      }
      const strict = projectStrict(predicate, field);
      if (strict !== undefined && termValues(field, known.value).every((value) => evaluateRow(strict, () => value))) return ALWAYS_TRUE;
      const projected = projectPredicate(predicate, field);
      if (projected !== undefined && !evaluateRow(projected, read)) return ALWAYS_FALSE;
    } catch {
      // A literal that disagrees with the partition value's type: decide nothing from this field.
    }
  }
  return predicate;
}

/**
 * The values the predicate's term may have on the partition's rows. One, the partition value,
 * except where Iceberg <= 0.10 wrote pre-1970 time units one too high (project-inclusive.ts): a
 * unit of 0 or below may then stand for itself or the unit below.
 */
function termValues(field: PartitionFieldInfo, value: Value | null): readonly (Value | null)[] {
  if (hasPreEpochBug(field) && typeof value === 'number' && value <= 0) return [value, value - 1];
  return [value];
}

/** The partition value equals the predicate's term on every row of the partition (up to termValues). */
function isExact(predicate: BoundPredicate, field: PartitionFieldInfo): boolean {
  const term = predicate.term;
  if (term.kind === 'reference') return term.fieldId === field.sourceId && field.transform.kind === 'identity';
  return term.reference.fieldId === field.sourceId && sameTransform(term.transform, field.transform);
}
