/**
 * May a manifest hold rows matching a filter? (Java's ManifestEvaluator.) The filter is the inclusive
 * projection of the row filter onto the manifest's partition spec (project-inclusive.ts); each of
 * its predicates is checked against the partition field's summary in the manifest-list entry.
 *
 * Rows-might-match semantics: `false` only when the summaries prove that no partition in the
 * manifest satisfies the filter. Whatever is missing or unreadable counts as "might match": a
 * manifest without summaries, fewer summaries than the spec has fields, a bound that does not
 * decode as the field's type.
 *
 * One deviation from Java, which reads a missing lower (or upper) bound as "all values are null or
 * NaN": here that holds only when both bounds are missing and the summary says it saw a null or a
 * NaN. A summary claiming neither, with no bounds, comes from a writer that kept no bounds, and
 * proves nothing.
 */
import type { FieldSummary } from '../../avro/iceberg-manifest-types.js';
import type { BoundExpression, BoundPredicate } from '../expressions/index.js';
import { decodeSingleValue, type Value, type ValueType } from '../values/index.js';
import { boundsRuleOut } from './bounds-check.js';
import type { PartitionFieldInfo } from './partition-fields.js';

export function manifestMightMatch(
  partitionFilter: BoundExpression,
  fields: readonly PartitionFieldInfo[],
  partitions: readonly FieldSummary[] | null,
): boolean {
  if (partitions === null) return true;
  const byFieldId = new Map(fields.map((field) => [field.fieldId, field]));
  try {
    return mightMatch(partitionFilter, (predicate) => {
      if (predicate.term.kind !== 'reference') return true;
      const field = byFieldId.get(predicate.term.fieldId);
      const summary = field === undefined ? undefined : partitions[field.position];
      if (field?.resultType === undefined || summary === undefined) return true;
      return predicateMightMatch(predicate, field.resultType, summary);
    });
  } catch {
    // Hostile summaries are caught field by field above; this only guards against a filter and
    // spec that disagree on types, where "might match" is still the safe answer.
    return true;
  }
}

/** Walks and/or; the filter has `not` pushed down, so each predicate is decided on its own. */
export function mightMatch(expression: BoundExpression, predicate: (predicate: BoundPredicate) => boolean): boolean {
  switch (expression.type) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'and':
      return mightMatch(expression.left, predicate) && mightMatch(expression.right, predicate);
    case 'or':
      return mightMatch(expression.left, predicate) || mightMatch(expression.right, predicate);
    default:
      return predicate(expression);
  }
}

type Decoded = { readonly present: false } | { readonly present: true; readonly value: Value | undefined };

/** A bound that is absent, or present and decoded (undefined when it does not decode). */
function decodeBound(type: ValueType, bytes: Uint8Array | null): Decoded {
  if (bytes === null) return { present: false };
  const decoded = decodeSingleValue(type, bytes);
  return { present: true, value: decoded.ok ? decoded.value : undefined };
}

function predicateMightMatch(predicate: BoundPredicate, type: ValueType, summary: FieldSummary): boolean {
  const containsNull = summary.contains_null === true;
  const containsNaN = summary.contains_nan;
  const floating = type.kind === 'float' || type.kind === 'double';
  const lower = decodeBound(type, summary.lower_bound);
  const upper = decodeBound(type, summary.upper_bound);
  const noBounds = !lower.present && !upper.present;
  // Every value is null (or NaN): Java's allValuesAreNull, with the deviation described above.
  const onlyNullsOrNaNs = noBounds && (containsNull || containsNaN === true);
  const onlyNulls = onlyNullsOrNaNs && (!floating || containsNaN === false);
  const onlyNaNs = noBounds && !containsNull && containsNaN === true;
  switch (predicate.type) {
    case 'is-null':
      return summary.contains_null !== false;
    case 'not-null':
      return !onlyNulls;
    case 'is-nan':
      return containsNaN !== false && !onlyNulls;
    case 'not-nan':
      return !onlyNaNs;
    case 'not-eq':
    case 'not-in':
      return true;
    case 'not-starts-with':
      if (containsNull) return true;
      return !boundsRuleOut(predicate, type, { lower: valueOf(lower), upper: valueOf(upper) });
    default:
      if (onlyNullsOrNaNs) return false;
      return !boundsRuleOut(predicate, type, { lower: valueOf(lower), upper: valueOf(upper) });
  }
}

function valueOf(decoded: Decoded): Value | undefined {
  return decoded.present ? decoded.value : undefined;
}
