/**
 * The operation that holds exactly when the given one does not (De Morgan's rewrite of `not`, as
 * Java's RewriteNot), and the operation that holds after swapping a comparison's operands.
 */
import type { ComparisonOperation, SetOperation, UnaryOperation } from './expression.js';

type PredicateOperation = UnaryOperation | ComparisonOperation | SetOperation;

const NEGATIONS: { readonly [Operation in PredicateOperation]: PredicateOperation } = {
  'is-null': 'not-null',
  'not-null': 'is-null',
  'is-nan': 'not-nan',
  'not-nan': 'is-nan',
  lt: 'gt-eq',
  'lt-eq': 'gt',
  gt: 'lt-eq',
  'gt-eq': 'lt',
  eq: 'not-eq',
  'not-eq': 'eq',
  'starts-with': 'not-starts-with',
  'not-starts-with': 'starts-with',
  in: 'not-in',
  'not-in': 'in',
};

export function negateOperation<Operation extends PredicateOperation>(operation: Operation): Operation {
  // Each table entry stays within its own group (unary, comparison, set), so the cast holds.
  return NEGATIONS[operation] as Operation;
}

/** `5 < x` is `x > 5`. Undefined for starts-with: a literal that starts with a column has no mirror. */
export function flipComparison(operation: ComparisonOperation): ComparisonOperation | undefined {
  switch (operation) {
    case 'lt':
      return 'gt';
    case 'lt-eq':
      return 'gt-eq';
    case 'gt':
      return 'lt';
    case 'gt-eq':
      return 'lt-eq';
    case 'eq':
    case 'not-eq':
      return operation;
    case 'starts-with':
    case 'not-starts-with':
      return undefined;
  }
}
