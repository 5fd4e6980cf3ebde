/**
 * A filter expression bound to a table schema: every reference resolved to a field id and type,
 * every literal converted to a Value of its term's type, `not` pushed down into the predicates and
 * constants folded (so `true` / `false` appear only as the whole expression). The term is always on
 * the left: `5 < x` binds as `x > 5`.
 */
import type { Transform } from '../../metadata/transforms.js';
import type { IcebergType, PrimitiveType } from '../../metadata/types.js';
import type { Value } from '../values/value.js';
import type { ComparisonOperation, SetOperation, UnaryOperation } from './expression.js';

export interface BoundReference {
  readonly kind: 'reference';
  readonly fieldId: number;
  /** The full dotted name in the schema, as written back in residual filters. */
  readonly name: string;
  readonly type: IcebergType;
  readonly required: boolean;
}

/** A partition transform applied to a column: `bucket[16](id)`, `day(ts)`. */
export interface BoundTransform {
  readonly kind: 'transform';
  readonly transform: Transform;
  readonly reference: BoundReference;
  /** The transform's result type, which the predicate's literals were converted to. */
  readonly type: PrimitiveType;
}

export type BoundTerm = BoundReference | BoundTransform;

export type BoundExpression =
  | { readonly type: 'true' }
  | { readonly type: 'false' }
  | { readonly type: 'and' | 'or'; readonly left: BoundExpression; readonly right: BoundExpression }
  | { readonly type: UnaryOperation; readonly term: BoundTerm }
  | { readonly type: ComparisonOperation; readonly term: BoundTerm; readonly literal: Value }
  | { readonly type: SetOperation; readonly term: BoundTerm; readonly literals: readonly Value[] };

export type BoundPredicate = Exclude<BoundExpression, { type: 'true' | 'false' | 'and' | 'or' }>;
export type BoundUnary = Extract<BoundExpression, { type: UnaryOperation }>;
export type BoundComparison = Extract<BoundExpression, { type: ComparisonOperation }>;
export type BoundSet = Extract<BoundExpression, { type: SetOperation }>;

export const ALWAYS_TRUE: BoundExpression = { type: 'true' };
export const ALWAYS_FALSE: BoundExpression = { type: 'false' };

/** `and` with constant folding. */
export function and(left: BoundExpression, right: BoundExpression): BoundExpression {
  if (left.type === 'false' || right.type === 'false') return ALWAYS_FALSE;
  if (left.type === 'true') return right;
  if (right.type === 'true') return left;
  return { type: 'and', left, right };
}

/** `or` with constant folding. */
export function or(left: BoundExpression, right: BoundExpression): BoundExpression {
  if (left.type === 'true' || right.type === 'true') return ALWAYS_TRUE;
  if (left.type === 'false') return right;
  if (right.type === 'false') return left;
  return { type: 'or', left, right };
}
