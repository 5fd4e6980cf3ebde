/**
 * Parses the REST spec's `Predicate` JSON (a plan request's `filter`) into an unbound expression.
 * The input is hostile: depth, node count, set sizes and string lengths are bounded, and every
 * mistake is a BadRequestError naming the path in the expression (`filter.left.child: ...`).
 *
 * Accepted forms (rest-catalog-open-api.yaml, `Predicate` and the schemas it references):
 * - `true` / `false`, and the deprecated `{"type": "true"}` / `{"type": "false"}`.
 * - `{"type": "and" | "or", left, right}`, `{"type": "not", child}`.
 * - unary `{"type": "is-null" | "not-null" | "is-nan" | "not-nan", child}`, or deprecated `term`.
 * - comparison `{"type": "lt" | ... | "not-starts-with", left, right}`, or deprecated `term` + `value`.
 * - set `{"type": "in" | "not-in", child | term, values}`; `values` is an array of Literals or
 *   `{"type": "literals", values, data-type}`.
 * - a value expression (child, left, right): a Literal (a bare value, or
 *   `{"type": "literal", value, data-type?}`), a Reference `{"type": "reference", name | id}`, or an
 *   Apply `{"type": "apply", function: name | identifier | {catalog?, identifier}, arguments}`.
 * - a deprecated Term (`term`): a column name string, or `{"type": "transform", transform, term}`
 *   (parsed as an Apply of the transform name), or a Reference object.
 * Mixing the two forms in one predicate (`child` with `term`, `left` with `value`) is refused, and
 * so is any unknown member: a member this parser would ignore could change what the client meant.
 */
import { BadRequestError } from '../../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../json/lossless-json.js';
import { parsePrimitiveType } from '../../metadata/primitive-types.js';
import type { PrimitiveType } from '../../metadata/types.js';
import {
  isComparisonOperation,
  isSetOperation,
  isUnaryOperation,
  type FunctionArgument,
  type FunctionName,
  type LiteralJson,
  type UnboundExpression,
  type UnboundLiteral,
  type UnboundReference,
  type ValueExpression,
} from './expression.js';

/** Nesting of predicates and function arguments; real filters nest a few dozen levels at most. */
export const MAX_EXPRESSION_DEPTH = 100;
/** Predicates, terms and literals together, set members included: five full sets. */
export const MAX_EXPRESSION_NODES = 50_000;
export const MAX_SET_VALUES = 10_000;
export const MAX_FUNCTION_ARGUMENTS = 16;
/** Column names, function names and string literals. */
export const MAX_STRING_LENGTH = 65_536;
export const MAX_IDENTIFIER_LEVELS = 16;

export interface ParseExpressionOptions {
  /** The path of the expression in its request, used in error messages. Default `filter`. */
  readonly path?: string;
}

export function parseExpression(json: JsonValue, options: ParseExpressionOptions = {}): UnboundExpression {
  return new ExpressionParser().predicate(json, options.path ?? 'filter', 1);
}

const PREDICATE_MEMBERS = {
  constant: ['type'],
  andOr: ['type', 'left', 'right'],
  not: ['type', 'child'],
  unary: ['type', 'child', 'term'],
  comparison: ['type', 'left', 'right', 'term', 'value'],
  set: ['type', 'child', 'term', 'values'],
} as const;

class ExpressionParser {
  private nodes = 0;

  predicate(json: JsonValue, path: string, depth: number): UnboundExpression {
    this.enter(path, depth);
    if (json === true) return { type: 'true' };
    if (json === false) return { type: 'false' };
    const object = expectObject(json, path, 'an expression (a boolean or an object)');
    const type = requireString(object, 'type', path);
    if (type === 'true' || type === 'false') {
      checkMembers(object, PREDICATE_MEMBERS.constant, path);
      return { type };
    }
    if (type === 'and' || type === 'or') {
      checkMembers(object, PREDICATE_MEMBERS.andOr, path);
      const left = this.predicate(requireMember(object, 'left', path), `${path}.left`, depth + 1);
      const right = this.predicate(requireMember(object, 'right', path), `${path}.right`, depth + 1);
      return { type, left, right };
    }
    if (type === 'not') {
      checkMembers(object, PREDICATE_MEMBERS.not, path);
      return { type, child: this.predicate(requireMember(object, 'child', path), `${path}.child`, depth + 1) };
    }
    if (isUnaryOperation(type)) {
      checkMembers(object, PREDICATE_MEMBERS.unary, path);
      return { type, child: this.operand(object, path, depth) };
    }
    if (isComparisonOperation(type)) {
      checkMembers(object, PREDICATE_MEMBERS.comparison, path);
      const legacy = Object.hasOwn(object, 'term') || Object.hasOwn(object, 'value');
      if (legacy) {
        if (Object.hasOwn(object, 'left') || Object.hasOwn(object, 'right')) {
          throw bad(path, 'use either left/right or the deprecated term/value, not both');
        }
        const left = this.term(requireMember(object, 'term', path), `${path}.term`, depth + 1);
        const right = this.literal(requireMember(object, 'value', path), `${path}.value`, depth + 1);
        return { type, left, right };
      }
      const left = this.value(requireMember(object, 'left', path), `${path}.left`, depth + 1);
      const right = this.value(requireMember(object, 'right', path), `${path}.right`, depth + 1);
      return { type, left, right };
    }
    if (isSetOperation(type)) {
      checkMembers(object, PREDICATE_MEMBERS.set, path);
      const child = this.operand(object, path, depth);
      const values = this.literals(requireMember(object, 'values', path), `${path}.values`, depth + 1);
      return { type, child, values };
    }
    throw bad(path, `unknown expression type "${truncated(type)}"`);
  }

  /** `child` (a value expression) or the deprecated `term` (a Term). */
  private operand(object: JsonObject, path: string, depth: number): ValueExpression {
    const hasChild = Object.hasOwn(object, 'child');
    const hasTerm = Object.hasOwn(object, 'term');
    if (hasChild && hasTerm) throw bad(path, 'use either child or the deprecated term, not both');
    if (hasTerm) return this.term(object['term'] ?? null, `${path}.term`, depth + 1);
    return this.value(requireMember(object, 'child', path), `${path}.child`, depth + 1);
  }

  /** The deprecated Term: a column name, a TransformTerm, or (leniently) a Reference object. */
  private term(json: JsonValue, path: string, depth: number): ValueExpression {
    this.enter(path, depth);
    if (typeof json === 'string') return { kind: 'reference', name: checkName(json, path) };
    const object = expectObject(json, path, 'a term (a column name or a transform term)');
    const type = requireString(object, 'type', path);
    if (type === 'reference') return this.reference(object, path);
    if (type !== 'transform') throw bad(path, `unknown term type "${truncated(type)}"`);
    checkMembers(object, ['type', 'transform', 'term'], path);
    const transform = checkName(requireString(object, 'transform', path), `${path}.transform`);
    const inner = requireMember(object, 'term', path);
    if (typeof inner !== 'string') throw bad(`${path}.term`, 'expected a column name (a string)');
    this.enter(`${path}.term`, depth + 1);
    return {
      kind: 'apply',
      function: { name: transform },
      arguments: [{ kind: 'reference', name: checkName(inner, `${path}.term`) }],
    };
  }

  /** ValueExpression: a Literal, a Reference or an Apply. */
  private value(json: JsonValue, path: string, depth: number): ValueExpression {
    if (!isJsonObject(json)) return this.literal(json, path, depth);
    this.enter(path, depth);
    const type = requireString(json, 'type', path);
    switch (type) {
      case 'literal':
        return this.literalObject(json, path);
      case 'reference':
        return this.reference(json, path);
      case 'apply':
        return this.apply(json, path, depth);
      default:
        throw bad(path, `unknown value expression type "${truncated(type)}" (expected literal, reference or apply)`);
    }
  }

  private reference(object: JsonObject, path: string): UnboundReference {
    const hasName = Object.hasOwn(object, 'name');
    const hasId = Object.hasOwn(object, 'id');
    if (hasName && hasId) throw bad(path, 'a reference has either a name or an id, not both');
    if (hasId) {
      checkMembers(object, ['type', 'id'], path);
      const id = object['id'];
      if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw bad(`${path}.id`, 'expected an integer field id');
      return { kind: 'id-reference', id };
    }
    checkMembers(object, ['type', 'name'], path);
    return { kind: 'reference', name: checkName(requireString(object, 'name', path), `${path}.name`) };
  }

  private apply(object: JsonObject, path: string, depth: number): ValueExpression {
    checkMembers(object, ['type', 'function', 'arguments'], path);
    const fn = functionName(requireMember(object, 'function', path), `${path}.function`);
    const args = requireMember(object, 'arguments', path);
    if (!Array.isArray(args)) throw bad(`${path}.arguments`, 'expected an array');
    if (args.length > MAX_FUNCTION_ARGUMENTS) throw bad(`${path}.arguments`, `more than ${MAX_FUNCTION_ARGUMENTS} arguments`);
    const parsed = args.map((arg, index) => this.functionArgument(arg, `${path}.arguments[${index}]`, depth + 1));
    return { kind: 'apply', function: fn, arguments: parsed };
  }

  /**
   * FunctionArgument is ValueExpression or Predicate. A bare value (a boolean included) is a literal
   * and an object typed literal/reference/apply a value; any other object is a predicate.
   */
  private functionArgument(json: JsonValue, path: string, depth: number): FunctionArgument {
    if (!isJsonObject(json)) return this.literal(json, path, depth);
    const type = json['type'];
    if (type === 'literal' || type === 'reference' || type === 'apply') return this.value(json, path, depth);
    return { kind: 'predicate', predicate: this.predicate(json, path, depth) };
  }

  /** Literal: a bare PrimitiveTypeValue or `{type: literal, value, data-type?}`. */
  private literal(json: JsonValue, path: string, depth: number): UnboundLiteral {
    this.enter(path, depth);
    if (isJsonObject(json)) {
      const type = requireString(json, 'type', path);
      if (type !== 'literal') throw bad(path, `expected a literal, got type "${truncated(type)}"`);
      return this.literalObject(json, path);
    }
    return { kind: 'literal', value: literalValue(json, path) };
  }

  private literalObject(object: JsonObject, path: string): UnboundLiteral {
    checkMembers(object, ['type', 'value', 'data-type'], path);
    const value = literalValue(requireMember(object, 'value', path), `${path}.value`);
    if (!Object.hasOwn(object, 'data-type')) return { kind: 'literal', value };
    return { kind: 'literal', value, dataType: dataType(object['data-type'] ?? null, `${path}.data-type`) };
  }

  /** Literals: an array of Literal, or `{type: literals, values, data-type}`. */
  private literals(json: JsonValue, path: string, depth: number): UnboundLiteral[] {
    this.enter(path, depth);
    if (Array.isArray(json)) {
      checkSetSize(json, path);
      return json.map((item, index) => this.literal(item, `${path}[${index}]`, depth + 1));
    }
    const object = expectObject(json, path, 'an array of literals or a typed literals object');
    const type = requireString(object, 'type', path);
    if (type !== 'literals') throw bad(path, `expected type "literals", got "${truncated(type)}"`);
    checkMembers(object, ['type', 'values', 'data-type'], path);
    const shared = dataType(requireMember(object, 'data-type', path), `${path}.data-type`);
    const values = requireMember(object, 'values', path);
    if (!Array.isArray(values)) throw bad(`${path}.values`, 'expected an array');
    checkSetSize(values, `${path}.values`);
    return values.map((item, index): UnboundLiteral => {
      const itemPath = `${path}.values[${index}]`;
      this.enter(itemPath, depth + 1);
      return { kind: 'literal', value: literalValue(item, itemPath), dataType: shared };
    });
  }

  /** Counts a node and checks the bounds before anything recursive happens below it. */
  private enter(path: string, depth: number): void {
    if (depth > MAX_EXPRESSION_DEPTH) throw bad(path, `expression nested deeper than ${MAX_EXPRESSION_DEPTH} levels`);
    this.nodes += 1;
    if (this.nodes > MAX_EXPRESSION_NODES) throw bad(path, `expression has more than ${MAX_EXPRESSION_NODES} nodes`);
  }
}

function functionName(json: JsonValue, path: string): FunctionName {
  if (typeof json === 'string') {
    if (json === '') throw bad(path, 'function name must not be empty');
    return { name: checkName(json, path) };
  }
  if (Array.isArray(json)) return { identifier: identifier(json, path), wrapped: false };
  const object = expectObject(json, path, 'a function name, an identifier or {catalog?, identifier}');
  checkMembers(object, ['catalog', 'identifier'], path);
  const ident = requireMember(object, 'identifier', path);
  if (!Array.isArray(ident)) throw bad(`${path}.identifier`, 'expected an array of strings');
  const result = identifier(ident, `${path}.identifier`);
  if (!Object.hasOwn(object, 'catalog')) return { identifier: result, wrapped: true };
  const catalog = object['catalog'];
  if (typeof catalog !== 'string') throw bad(`${path}.catalog`, 'expected a string');
  return { identifier: result, catalog: checkName(catalog, `${path}.catalog`), wrapped: true };
}

function identifier(json: readonly JsonValue[], path: string): string[] {
  if (json.length === 0) throw bad(path, 'identifier must not be empty');
  if (json.length > MAX_IDENTIFIER_LEVELS) throw bad(path, `identifier has more than ${MAX_IDENTIFIER_LEVELS} levels`);
  return json.map((level, index) => {
    if (typeof level !== 'string') throw bad(`${path}[${index}]`, 'expected a string');
    return checkName(level, `${path}[${index}]`);
  });
}

function literalValue(json: JsonValue, path: string): LiteralJson {
  if (json === null) throw bad(path, 'a literal must not be null (use is-null / not-null)');
  if (typeof json === 'string') return checkString(json, path);
  if (typeof json === 'boolean' || typeof json === 'bigint') return json;
  if (typeof json === 'number') {
    if (!Number.isFinite(json)) throw bad(path, 'a numeric literal must be finite');
    return json;
  }
  throw bad(path, `expected a literal value (boolean, number or string), got ${Array.isArray(json) ? 'an array' : 'an object'}`);
}

/** data-type names a primitive type that has values (not variant, geometry, geography, unknown). */
function dataType(json: JsonValue, path: string): PrimitiveType {
  if (typeof json !== 'string') throw bad(path, 'expected a primitive type name');
  const parsed = parsePrimitiveType(json);
  if (!parsed.ok) throw bad(path, parsed.problem);
  return parsed.type;
}

function checkSetSize(values: readonly JsonValue[], path: string): void {
  if (values.length > MAX_SET_VALUES) throw bad(path, `more than ${MAX_SET_VALUES} values`);
}

function checkName(name: string, path: string): string {
  if (name.length === 0) throw bad(path, 'name must not be empty');
  return checkString(name, path);
}

function checkString(text: string, path: string): string {
  if (text.length > MAX_STRING_LENGTH) throw bad(path, `string longer than ${MAX_STRING_LENGTH} characters`);
  return text;
}

function expectObject(json: JsonValue, path: string, what: string): JsonObject {
  if (isJsonObject(json)) return json;
  throw bad(path, `expected ${what}, got ${describe(json)}`);
}

function requireMember(object: JsonObject, member: string, path: string): JsonValue {
  if (!Object.hasOwn(object, member)) throw bad(path, `missing "${member}"`);
  return object[member] ?? null;
}

function requireString(object: JsonObject, member: string, path: string): string {
  const value = requireMember(object, member, path);
  if (typeof value !== 'string') throw bad(`${path}.${member}`, `expected a string, got ${describe(value)}`);
  return checkString(value, `${path}.${member}`);
}

function checkMembers(object: JsonObject, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) throw bad(path, `unknown member "${truncated(key)}"`);
  }
}

function describe(json: JsonValue): string {
  if (json === null) return 'null';
  if (Array.isArray(json)) return 'an array';
  if (typeof json === 'object') return 'an object';
  return typeof json === 'bigint' ? 'a number' : `a ${typeof json}`;
}

/** Client text echoed in a message is cut short: a message must stay small whatever was sent. */
function truncated(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}...` : text;
}

function bad(path: string, message: string): BadRequestError {
  return new BadRequestError(`${path}: ${message}`);
}
