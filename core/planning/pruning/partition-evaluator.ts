/**
 * May a data file hold matching rows, judging by its partition tuple alone? Evaluates the inclusive
 * projection of the row filter (project-inclusive.ts, for the file's own spec) against the tuple,
 * with the same null semantics as rows (evaluateRow).
 *
 * A partition value that cannot be read as its field's type, or is missing from the record, is
 * unknown: each predicate on it counts as "might match". The filter has `not` pushed down, so
 * replacing those predicates with `true` only widens it.
 */
import type { AvroRecord } from '../../avro/datum-reader.js';
import { ALWAYS_TRUE, and, evaluateRow, or, type BoundExpression } from '../expressions/index.js';
import type { PartitionFieldInfo } from './partition-fields.js';
import { readPartitionTuple, type PartitionValue } from './partition-values.js';

export function partitionMightMatch(partitionFilter: BoundExpression, fields: readonly PartitionFieldInfo[], partition: AvroRecord): boolean {
  const tuple = readPartitionTuple(fields, partition);
  const known = withoutUnknown(partitionFilter, tuple);
  try {
    return evaluateRow(known, (term) => {
      const value = term.kind === 'reference' ? tuple.get(term.fieldId) : undefined;
      return value?.known === true ? value.value : null;
    });
  } catch {
    // A filter whose literals disagree with the tuple's types: unsure, so keep the file.
    return true;
  }
}

/** The filter with every predicate on an unknown (or absent) partition value replaced by `true`. */
export function withoutUnknown(expression: BoundExpression, tuple: ReadonlyMap<number, PartitionValue>): BoundExpression {
  switch (expression.type) {
    case 'true':
    case 'false':
      return expression;
    case 'and':
      return and(withoutUnknown(expression.left, tuple), withoutUnknown(expression.right, tuple));
    case 'or':
      return or(withoutUnknown(expression.left, tuple), withoutUnknown(expression.right, tuple));
    default: {
      const term = expression.term;
      if (term.kind !== 'reference') return ALWAYS_TRUE;
      return tuple.get(term.fieldId)?.known === true ? expression : ALWAYS_TRUE;
    }
  }
}
