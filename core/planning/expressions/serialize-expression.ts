/**
 * Filter expressions back to the spec's `Predicate` JSON: a bound expression for a FileScanTask's
 * `residual-filter`, an unbound one for echoing a request. `parseExpression` reads every output
 * back to the same expression (round trip).
 *
 * Two styles for bound expressions: `current` writes the spec's preferred members (`child`,
 * `left` / `right`, Reference objects, Apply for transforms); `legacy` writes the deprecated
 * `term` / `value` / `values` with column-name terms and TransformTerm objects, which Java clients
 * up to 1.10 parse. Literals are written bare in the spec's single-value JSON (`*TypeValue`: ISO
 * dates and timestamps, decimal strings, hex binary; core/planning/values formats them), which
 * both styles share.
 */
import type { JsonObject, JsonValue } from '../../json/lossless-json.js';
import { transformToString } from '../../metadata/transforms.js';
import type { PrimitiveType } from '../../metadata/types.js';
import { formatJsonSingleValue } from '../values/index.js';
import type { BoundExpression, BoundReference, BoundTerm } from './bound-expression.js';
import type { FunctionArgument, FunctionName, UnboundExpression, UnboundLiteral, ValueExpression } from './expression.js';

export interface SerializeBoundOptions {
  /** Default `current`. */
  readonly style?: 'current' | 'legacy';
  /** Write references by name (default; what clients bind) or by field id (current style only). */
  readonly references?: 'name' | 'id';
}

export function serializeExpression(expression: UnboundExpression): JsonValue {
  switch (expression.type) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'and':
    case 'or':
      return { type: expression.type, left: serializeExpression(expression.left), right: serializeExpression(expression.right) };
    case 'not':
      return { type: 'not', child: serializeExpression(expression.child) };
    case 'is-null':
    case 'not-null':
    case 'is-nan':
    case 'not-nan':
      return { type: expression.type, child: serializeValueExpression(expression.child) };
    case 'in':
    case 'not-in':
      return { type: expression.type, child: serializeValueExpression(expression.child), values: expression.values.map(serializeLiteral) };
    default:
      return { type: expression.type, left: serializeValueExpression(expression.left), right: serializeValueExpression(expression.right) };
  }
}

function serializeValueExpression(value: ValueExpression): JsonValue {
  switch (value.kind) {
    case 'literal':
      return serializeLiteral(value);
    case 'reference':
      return { type: 'reference', name: value.name };
    case 'id-reference':
      return { type: 'reference', id: value.id };
    case 'apply':
      return { type: 'apply', function: serializeFunctionName(value.function), arguments: value.arguments.map(serializeArgument) };
  }
}

function serializeArgument(argument: FunctionArgument): JsonValue {
  return argument.kind === 'predicate' ? serializeExpression(argument.predicate) : serializeValueExpression(argument);
}

function serializeFunctionName(name: FunctionName): JsonValue {
  if ('name' in name) return name.name;
  if (!name.wrapped) return [...name.identifier];
  const wrapped: JsonObject = { identifier: [...name.identifier] };
  if (name.catalog !== undefined) wrapped['catalog'] = name.catalog;
  return wrapped;
}

function serializeLiteral(literal: UnboundLiteral): JsonValue {
  if (literal.dataType === undefined) return literal.value;
  return { type: 'literal', value: literal.value, 'data-type': literal.dataType };
}

export function serializeBoundExpression(expression: BoundExpression, options: SerializeBoundOptions = {}): JsonValue {
  const legacy = options.style === 'legacy';
  const byId = options.references === 'id' && !legacy;
  const term = (bound: BoundTerm): JsonValue => (legacy ? legacyTerm(bound) : currentTerm(bound, byId));
  const visit = (node: BoundExpression): JsonValue => {
    switch (node.type) {
      case 'true':
        return true;
      case 'false':
        return false;
      case 'and':
      case 'or':
        return { type: node.type, left: visit(node.left), right: visit(node.right) };
      case 'is-null':
      case 'not-null':
      case 'is-nan':
      case 'not-nan':
        return legacy ? { type: node.type, term: term(node.term) } : { type: node.type, child: term(node.term) };
      case 'in':
      case 'not-in': {
        const values = node.literals.map((value) => formatJsonSingleValue(node.term.type as PrimitiveType, value));
        return legacy ? { type: node.type, term: term(node.term), values } : { type: node.type, child: term(node.term), values };
      }
      default: {
        const value = formatJsonSingleValue(node.term.type as PrimitiveType, node.literal);
        return legacy ? { type: node.type, term: term(node.term), value } : { type: node.type, left: term(node.term), right: value };
      }
    }
  };
  return visit(expression);
}

function currentReference(reference: BoundReference, byId: boolean): JsonValue {
  return byId ? { type: 'reference', id: reference.fieldId } : { type: 'reference', name: reference.name };
}

function currentTerm(term: BoundTerm, byId: boolean): JsonValue {
  if (term.kind === 'reference') return currentReference(term, byId);
  return { type: 'apply', function: transformToString(term.transform), arguments: [currentReference(term.reference, byId)] };
}

function legacyTerm(term: BoundTerm): JsonValue {
  if (term.kind === 'reference') return term.name;
  return { type: 'transform', transform: transformToString(term.transform), term: term.reference.name };
}
