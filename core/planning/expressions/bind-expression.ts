/**
 * Binds an unbound filter to a schema, as Java's Binder and UnboundPredicate.bind do: names and ids
 * resolve to fields, each predicate is checked against its term's type, literals become Values of
 * that type, `not` is pushed down (De Morgan, as RewriteNot) and constants are folded.
 *
 * Where the result differs from a plain translation, it follows Java:
 * - A literal outside the type's range folds the predicate (`int_col < 3000000000` is true,
 *   `int_col = 3000000000` false), as Literals.aboveMax / belowMin do in UnboundPredicate.
 * - `in` drops out-of-range members, collapses duplicates, and becomes `eq` with one member
 *   (`false` with none; `not-in` mirrors this).
 * - `is-null` on a field that can never be null (required, with no optional struct around it) is
 *   `false`, `not-null` `true`. Java checks only the field's own flag; a required field inside an
 *   optional struct is null when the struct is, so this checks the enclosing structs too.
 * Every problem is a BadRequestError naming the path in the filter (the preferred member names:
 * `child`, `left`, `right`, even where the client used the deprecated `term` / `value`).
 */
import { BadRequestError } from '../../errors.js';
import { isPrimitive, primitiveBaseName, typeToString } from '../../metadata/primitive-types.js';
import { indexSchemaFields, type IndexedField, type SchemaIndex } from '../../metadata/schema-index.js';
import { canTransform, parseTransform, type Transform } from '../../metadata/transforms.js';
import type { PrimitiveType, StructField } from '../../metadata/types.js';
import { transformResultType, valueKey, valueTypeToString, type Value } from '../values/index.js';
import {
  ALWAYS_FALSE,
  ALWAYS_TRUE,
  and,
  or,
  type BoundExpression,
  type BoundReference,
  type BoundTerm,
} from './bound-expression.js';
import type {
  ComparisonOperation,
  FunctionArgument,
  UnboundApply,
  UnboundExpression,
  UnboundLiteral,
  UnboundReference,
  ValueExpression,
} from './expression.js';
import { convertLiteral } from './literal-value.js';
import { flipComparison, negateOperation } from './negate.js';

export interface BindOptions {
  /** The plan request's `case-sensitive`; default true. False matches names ignoring case. */
  readonly caseSensitive?: boolean;
  /** The path of the expression in its request, used in error messages. Default `filter`. */
  readonly path?: string;
}

/** Anything with top-level fields: the catalog's Schema or a StructType (e.g. a partition type). */
export interface BindableStruct {
  readonly fields: readonly StructField[];
}

export function bindExpression(expression: UnboundExpression, struct: BindableStruct, options: BindOptions = {}): BoundExpression {
  const binder = new ExpressionBinder(new FieldResolver(struct.fields, options.caseSensitive ?? true));
  return binder.bind(expression, options.path ?? 'filter', false);
}

/** Types whose values have no order or no literal form: only null checks apply to them. */
const UNORDERED_TYPES: ReadonlySet<string> = new Set(['variant', 'geometry', 'geography', 'unknown']);
const FLOATING_TYPES: ReadonlySet<string> = new Set(['float', 'double']);

class ExpressionBinder {
  constructor(private readonly fields: FieldResolver) {}

  /** Binds `expression`, or its negation when `negated` (how `not` is pushed down). */
  bind(expression: UnboundExpression, path: string, negated: boolean): BoundExpression {
    switch (expression.type) {
      case 'true':
        return negated ? ALWAYS_FALSE : ALWAYS_TRUE;
      case 'false':
        return negated ? ALWAYS_TRUE : ALWAYS_FALSE;
      case 'not':
        return this.bind(expression.child, `${path}.child`, !negated);
      case 'and':
      case 'or': {
        const left = this.bind(expression.left, `${path}.left`, negated);
        const right = this.bind(expression.right, `${path}.right`, negated);
        return (expression.type === 'and') !== negated ? and(left, right) : or(left, right);
      }
      case 'is-null':
      case 'not-null':
      case 'is-nan':
      case 'not-nan': {
        const type = negated ? negateOperation(expression.type) : expression.type;
        const term = this.term(expression.child, `${path}.child`);
        if (type === 'is-null' || type === 'not-null') {
          if (neverNull(term, this.fields)) return type === 'is-null' ? ALWAYS_FALSE : ALWAYS_TRUE;
          return { type, term };
        }
        if (!FLOATING_TYPES.has(baseOf(term))) {
          throw bad(path, `${type} applies only to float and double values, not ${typeToString(term.type)}`);
        }
        return { type, term };
      }
      case 'in':
      case 'not-in':
        return this.bindSet(negated ? negateOperation(expression.type) : expression.type, expression.child, expression.values, path);
      default:
        return this.bindComparison(expression.type, expression.left, expression.right, path, negated);
    }
  }

  private bindComparison(
    operation: ComparisonOperation,
    left: ValueExpression,
    right: ValueExpression,
    path: string,
    negated: boolean,
  ): BoundExpression {
    let type = negated ? negateOperation(operation) : operation;
    let termSide: ValueExpression;
    let literal: UnboundLiteral;
    let literalPath: string;
    if (left.kind !== 'literal' && right.kind === 'literal') {
      [termSide, literal, literalPath] = [left, right, `${path}.right`];
    } else if (left.kind === 'literal' && right.kind !== 'literal') {
      const flipped = flipComparison(type);
      if (flipped === undefined) throw bad(path, `${type} needs the column on the left and the prefix on the right`);
      [termSide, literal, literalPath, type] = [right, left, `${path}.left`, flipped];
    } else {
      const what = left.kind === 'literal' ? 'two literals' : 'two columns or functions';
      throw bad(path, `comparing ${what} is not supported; compare a column (or a transform of one) with a literal`);
    }
    const term = this.term(termSide, left === termSide ? `${path}.left` : `${path}.right`);
    const termType = orderedType(term, path, type);
    if ((type === 'starts-with' || type === 'not-starts-with') && primitiveBaseName(termType) !== 'string') {
      throw bad(path, `${type} applies only to string values, not ${termType}`);
    }
    const converted = convertLiteral(literal.value, termType, literal.dataType);
    if (converted.ok === false) throw bad(literalPath, converted.problem);
    if (converted.ok === 'above-max') return foldAboveMax(type);
    if (converted.ok === 'below-min') return foldBelowMin(type);
    return { type, term, literal: converted.value };
  }

  private bindSet(type: 'in' | 'not-in', child: ValueExpression, values: readonly UnboundLiteral[], path: string): BoundExpression {
    const term = this.term(child, `${path}.child`);
    const termType = orderedType(term, path, type);
    const literals = new Map<string, Value>();
    values.forEach((literal, index) => {
      const converted = convertLiteral(literal.value, termType, literal.dataType);
      if (converted.ok === false) throw bad(`${path}.values[${index}]`, converted.problem);
      // An out-of-range member can match no value of the column: it drops out of the set.
      if (converted.ok === true) {
        const key = valueKey(converted.value);
        if (!literals.has(key)) literals.set(key, converted.value);
      }
    });
    const members = [...literals.values()];
    const [first] = members;
    if (first === undefined) return type === 'in' ? ALWAYS_FALSE : ALWAYS_TRUE;
    if (members.length === 1) return { type: type === 'in' ? 'eq' : 'not-eq', term, literal: first };
    return { type, term, literals: members };
  }

  private term(expression: ValueExpression, path: string): BoundTerm {
    switch (expression.kind) {
      case 'reference':
      case 'id-reference':
        return this.reference(expression, path);
      case 'apply':
        return this.transform(expression, path);
      case 'literal':
        throw bad(path, 'expected a column reference or a transform, got a literal');
    }
  }

  private reference(reference: UnboundReference, path: string): BoundReference {
    const field = reference.kind === 'reference' ? this.fields.byName(reference.name, path) : this.fields.byId(reference.id, path);
    if (field.nestedInCollection) throw bad(path, `cannot filter on "${field.name}": it is inside a list or a map`);
    return { kind: 'reference', fieldId: field.id, name: field.name, type: field.type, required: field.required };
  }

  /**
   * A transform as a function: `apply("bucket[16]", [ref])` (the deprecated TransformTerm's form),
   * or `apply("bucket", [16, ref])` / `apply("truncate", [4, ref])` (the argument order of SQL
   * engines' `bucket(n, col)`). Identity binds as the plain reference. Other functions (catalog
   * UDFs included) cannot be evaluated against metadata, so they are refused.
   */
  private transform(apply: UnboundApply, path: string): BoundTerm {
    if (!('name' in apply.function)) throw bad(`${path}.function`, 'only partition transforms are supported as functions in a scan filter');
    const name = apply.function.name;
    const args = apply.arguments;
    let transform: Transform;
    let source: FunctionArgument | undefined;
    const lower = name.toLowerCase();
    if ((lower === 'bucket' || lower === 'truncate') && args.length === 2) {
      const [width, column] = args;
      if (width?.kind !== 'literal' || typeof width.value !== 'number' || !Number.isSafeInteger(width.value) || width.value < 1) {
        throw bad(`${path}.arguments[0]`, `the first argument of ${lower} must be a positive integer literal`);
      }
      const parsed = parseTransform(`${lower}[${width.value}]`);
      if (!parsed.ok) throw bad(`${path}.arguments[0]`, parsed.problem);
      transform = parsed.transform;
      source = column;
    } else {
      const parsed = parseTransform(name);
      if (!parsed.ok) throw bad(`${path}.function`, parsed.problem);
      if (parsed.transform.kind === 'unknown' || parsed.transform.kind === 'void') {
        throw bad(`${path}.function`, `unsupported function "${truncated(name)}" (supported: identity, year, month, day, hour, bucket, truncate)`);
      }
      if (args.length !== 1) throw bad(`${path}.arguments`, `${name} takes one argument, a column reference`);
      transform = parsed.transform;
      source = args[0];
    }
    const argumentPath = `${path}.arguments[${args.length - 1}]`;
    if (source === undefined || (source.kind !== 'reference' && source.kind !== 'id-reference')) {
      throw bad(argumentPath, 'expected a column reference');
    }
    const reference = this.reference(source, argumentPath);
    if (!canTransform(transform, reference.type)) {
      throw bad(path, `transform ${name} cannot be applied to ${reference.name} of type ${typeToString(reference.type)}`);
    }
    if (transform.kind === 'identity') return reference;
    const resultType = transformResultType(transform, reference.type as PrimitiveType);
    if (resultType === undefined) throw bad(path, `transform ${name} has no values for ${reference.name}`);
    return { kind: 'transform', transform, reference, type: valueTypeToString(resultType) };
  }
}

function foldAboveMax(type: ComparisonOperation): BoundExpression {
  return type === 'lt' || type === 'lt-eq' || type === 'not-eq' ? ALWAYS_TRUE : ALWAYS_FALSE;
}

function foldBelowMin(type: ComparisonOperation): BoundExpression {
  return type === 'gt' || type === 'gt-eq' || type === 'not-eq' ? ALWAYS_TRUE : ALWAYS_FALSE;
}

/** A term that is null only when its column is: a transform of a non-null value is non-null. */
function neverNull(term: BoundTerm, fields: FieldResolver): boolean {
  const reference = term.kind === 'reference' ? term : term.reference;
  const field = fields.byIdIfPresent(reference.fieldId);
  return field !== undefined && field.required && !field.nestedInOptional;
}

function baseOf(term: BoundTerm): string {
  return isPrimitive(term.type) ? primitiveBaseName(term.type) : term.type.type;
}

/** The term's primitive type, refused when comparisons do not apply to it. */
function orderedType(term: BoundTerm, path: string, operation: string): PrimitiveType {
  if (!isPrimitive(term.type) || UNORDERED_TYPES.has(primitiveBaseName(term.type))) {
    throw bad(path, `${operation} does not apply to ${typeToString(term.type)} values`);
  }
  return term.type;
}

/** Name and id lookups over a schema; case-insensitive lookup refuses names that match twice. */
class FieldResolver {
  private readonly index: SchemaIndex;
  private lowerCaseNames: Map<string, IndexedField[]> | undefined;

  constructor(fields: readonly StructField[], private readonly caseSensitive: boolean) {
    this.index = indexSchemaFields(fields);
  }

  byName(name: string, path: string): IndexedField {
    if (this.caseSensitive) {
      const field = this.index.byName.get(name);
      if (field === undefined) throw bad(path, `cannot find field "${truncated(name)}" in the schema`);
      if (this.index.duplicateNames.includes(name)) throw bad(path, `field name "${truncated(name)}" is ambiguous`);
      return field;
    }
    const matches = this.lowerCase().get(name.toLowerCase()) ?? [];
    const [first, second] = matches;
    if (first === undefined) throw bad(path, `cannot find field "${truncated(name)}" in the schema (case-insensitive)`);
    if (second !== undefined) {
      const names = matches.map((field) => `"${field.name}"`).join(', ');
      throw bad(path, `field name "${truncated(name)}" is ambiguous ignoring case: it matches ${names}`);
    }
    return first;
  }

  byId(id: number, path: string): IndexedField {
    const field = this.index.byId.get(id);
    if (field === undefined) throw bad(path, `cannot find field id ${id} in the schema`);
    return field;
  }

  byIdIfPresent(id: number): IndexedField | undefined {
    return this.index.byId.get(id);
  }

  private lowerCase(): Map<string, IndexedField[]> {
    if (this.lowerCaseNames === undefined) {
      this.lowerCaseNames = new Map();
      for (const field of this.index.byName.values()) {
        const key = field.name.toLowerCase();
        const list = this.lowerCaseNames.get(key);
        if (list === undefined) this.lowerCaseNames.set(key, [field]);
        else list.push(field);
      }
    }
    return this.lowerCaseNames;
  }
}

function truncated(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}...` : text;
}

function bad(path: string, message: string): BadRequestError {
  return new BadRequestError(`${path}: ${message}`);
}
