/**
 * Scan planning filters (issue 13): parse the request's `filter`, bind it to the table schema,
 * evaluate it against a row, write a residual back. `literal-value.ts` stays private: it is the
 * filter-specific conversion of a literal to a column's type (Java's Literals rules).
 */
export type {
  ComparisonOperation,
  FunctionArgument,
  FunctionName,
  LiteralJson,
  SetOperation,
  UnaryOperation,
  UnboundApply,
  UnboundExpression,
  UnboundLiteral,
  UnboundReference,
  ValueExpression,
} from './expression.js';
export {
  ALWAYS_FALSE,
  ALWAYS_TRUE,
  and,
  or,
  type BoundExpression,
  type BoundPredicate,
  type BoundReference,
  type BoundTerm,
  type BoundTransform,
} from './bound-expression.js';
export {
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_NODES,
  MAX_FUNCTION_ARGUMENTS,
  MAX_SET_VALUES,
  MAX_STRING_LENGTH,
  parseExpression,
  type ParseExpressionOptions,
} from './parse-expression.js';
export { bindExpression, type BindableStruct, type BindOptions } from './bind-expression.js';
export { serializeBoundExpression, serializeExpression, type SerializeBoundOptions } from './serialize-expression.js';
export { evaluateRow, recordReader, type TermReader } from './evaluate-row.js';
