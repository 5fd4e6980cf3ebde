/**
 * Evaluates a bound filter against one row of values: a partition tuple, or a record when checking
 * a residual. The caller reads each term's value (`readTerm`), because only it knows the row's
 * layout: a partition tuple holds `bucket[16](id)` as a partition field, a data row holds `id` and
 * applies the transform (`recordReader`).
 *
 * Null semantics follow Java's Evaluator: a null value fails every positive predicate (`lt`, `eq`,
 * `in`, `starts-with`, `is-nan`), and each negated one (`not-eq`, `not-in`, `not-starts-with`,
 * `not-nan`) is its exact complement, so null passes those. Pruning with this never drops a row a
 * client evaluating the same filter would keep.
 */
import type { Value } from '../values/value.js';
import type { BoundExpression, BoundTerm } from './bound-expression.js';
import type { PrimitiveType } from '../../metadata/types.js';
import { compareSameType, transformFor, valueKey } from '../values/index.js';

export type TermReader = (term: BoundTerm) => Value | null;

/**
 * The TermReader of a data row (a record, not a partition tuple): reads the column by field id and
 * applies a transform term's transform to it, as Java's BoundTransform.eval does.
 */
export function recordReader(readField: (fieldId: number) => Value | null): TermReader {
  return (term) => {
    if (term.kind === 'reference') return readField(term.fieldId);
    const apply = transformFor(term.transform, term.reference.type as PrimitiveType);
    // Binding checked that the transform applies to the column's type.
    if (apply === undefined) throw new TypeError(`transform ${term.transform.kind} does not apply to ${term.reference.name}`);
    return apply(readField(term.reference.fieldId));
  };
}

export function evaluateRow(expression: BoundExpression, readTerm: TermReader): boolean {
  switch (expression.type) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'and':
      return evaluateRow(expression.left, readTerm) && evaluateRow(expression.right, readTerm);
    case 'or':
      return evaluateRow(expression.left, readTerm) || evaluateRow(expression.right, readTerm);
    case 'is-null':
      return readTerm(expression.term) === null;
    case 'not-null':
      return readTerm(expression.term) !== null;
    case 'is-nan':
      return isNaNValue(readTerm(expression.term));
    case 'not-nan':
      return !isNaNValue(readTerm(expression.term));
    case 'in':
    case 'not-in': {
      const value = readTerm(expression.term);
      const found = value !== null && memberKeys(expression.literals).has(valueKey(value));
      return expression.type === 'in' ? found : !found;
    }
    case 'starts-with':
    case 'not-starts-with': {
      const value = readTerm(expression.term);
      const found = typeof value === 'string' && typeof expression.literal === 'string' && value.startsWith(expression.literal);
      return expression.type === 'starts-with' ? found : !found;
    }
    case 'eq':
    case 'not-eq': {
      const value = readTerm(expression.term);
      const equal = value !== null && compareSameType(value, expression.literal) === 0;
      return expression.type === 'eq' ? equal : !equal;
    }
    case 'lt':
    case 'lt-eq':
    case 'gt':
    case 'gt-eq': {
      const value = readTerm(expression.term);
      if (value === null) return false;
      const order = compareSameType(value, expression.literal);
      if (expression.type === 'lt') return order < 0;
      if (expression.type === 'lt-eq') return order <= 0;
      if (expression.type === 'gt') return order > 0;
      return order >= 0;
    }
  }
}

/**
 * A set's members as keys, built once per bound set: partition pruning evaluates one filter against
 * thousands of tuples, and a set may hold 10,000 members. Keys are equal exactly when values are,
 * as a set's members and the row's value share the term's type.
 */
const MEMBER_KEYS = new WeakMap<readonly Value[], ReadonlySet<string>>();

function memberKeys(literals: readonly Value[]): ReadonlySet<string> {
  let keys = MEMBER_KEYS.get(literals);
  if (keys === undefined) {
    keys = new Set(literals.map(valueKey));
    MEMBER_KEYS.set(literals, keys);
  }
  return keys;
}

function isNaNValue(value: Value | null): boolean {
  return typeof value === 'number' && Number.isNaN(value);
}
