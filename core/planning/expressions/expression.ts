/**
 * The unbound filter expression of a scan planning request (issue 13): the spec's `Predicate` as
 * the client sent it, names not yet resolved and literals not yet typed. `parse-expression.ts`
 * builds it from JSON; every deprecated wire form is normalised into these nodes, so nothing after
 * parsing needs to know the legacy spellings. `bind-expression.ts` turns it into a bound one.
 */
import type { PrimitiveType } from '../../metadata/types.js';

export type UnaryOperation = 'is-null' | 'not-null' | 'is-nan' | 'not-nan';
export type ComparisonOperation = 'lt' | 'lt-eq' | 'gt' | 'gt-eq' | 'eq' | 'not-eq' | 'starts-with' | 'not-starts-with';
export type SetOperation = 'in' | 'not-in';

export const UNARY_OPERATIONS: readonly UnaryOperation[] = ['is-null', 'not-null', 'is-nan', 'not-nan'];
export const COMPARISON_OPERATIONS: readonly ComparisonOperation[] = [
  'lt', 'lt-eq', 'gt', 'gt-eq', 'eq', 'not-eq', 'starts-with', 'not-starts-with',
];
export const SET_OPERATIONS: readonly SetOperation[] = ['in', 'not-in'];

/** A JSON value a literal may carry: the spec's PrimitiveTypeValue (never null). */
export type LiteralJson = boolean | number | bigint | string;

/** A literal as sent: its JSON value and, for the typed object form, the type it names. */
export interface UnboundLiteral {
  readonly kind: 'literal';
  readonly value: LiteralJson;
  readonly dataType?: PrimitiveType;
}

export type UnboundReference =
  | { readonly kind: 'reference'; readonly name: string }
  | { readonly kind: 'id-reference'; readonly id: number };

/** `Apply.function`: a plain name, or a catalog object identifier, bare or wrapped as `{catalog?, identifier}`. */
export type FunctionName =
  | { readonly name: string }
  | { readonly identifier: readonly string[]; readonly catalog?: string; readonly wrapped: boolean };

/**
 * A function application. The deprecated TransformTerm `{type: transform, transform: "bucket[16]",
 * term: "x"}` parses to `apply("bucket[16]", [reference x])`.
 */
export interface UnboundApply {
  readonly kind: 'apply';
  readonly function: FunctionName;
  readonly arguments: readonly FunctionArgument[];
}

export type ValueExpression = UnboundLiteral | UnboundReference | UnboundApply;
export type FunctionArgument = ValueExpression | { readonly kind: 'predicate'; readonly predicate: UnboundExpression };

export type UnboundExpression =
  | { readonly type: 'true' }
  | { readonly type: 'false' }
  | { readonly type: 'and' | 'or'; readonly left: UnboundExpression; readonly right: UnboundExpression }
  | { readonly type: 'not'; readonly child: UnboundExpression }
  | { readonly type: UnaryOperation; readonly child: ValueExpression }
  | { readonly type: ComparisonOperation; readonly left: ValueExpression; readonly right: ValueExpression }
  | { readonly type: SetOperation; readonly child: ValueExpression; readonly values: readonly UnboundLiteral[] };

export type UnboundUnary = Extract<UnboundExpression, { type: UnaryOperation }>;
export type UnboundComparison = Extract<UnboundExpression, { type: ComparisonOperation }>;
export type UnboundSet = Extract<UnboundExpression, { type: SetOperation }>;

export function isUnaryOperation(type: string): type is UnaryOperation {
  return (UNARY_OPERATIONS as readonly string[]).includes(type);
}

export function isComparisonOperation(type: string): type is ComparisonOperation {
  return (COMPARISON_OPERATIONS as readonly string[]).includes(type);
}

export function isSetOperation(type: string): type is SetOperation {
  return (SET_OPERATIONS as readonly string[]).includes(type);
}
