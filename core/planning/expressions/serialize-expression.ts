/**
 * Filter expressions back to the spec's `Predicate` JSON: a bound expression for a FileScanTask's
 * `residual-filter`, an unbound one for echoing a request. `parseExpression` reads every output
 * back to the same expression (round trip).
 *
 * Two styles for bound expressions: `current` writes the spec's preferred members (`child`,
 * `left` / `right`, Reference objects, Apply for transforms); `legacy` writes the deprecated
 * `term` / `value` / `values` with column-name terms and TransformTerm objects, which Java clients
 * up to 1.10 parse. Literals are written bare in the spec's `*TypeValue` encodings (ISO dates and
 * timestamps, decimal strings, hex binary), which both styles share.
 */
import type { JsonObject, JsonValue } from '../../json/lossless-json.js';
import { longToJson } from '../../metadata/long.js';
import { primitiveBaseName } from '../../metadata/primitive-types.js';
import { transformToString } from '../../metadata/transforms.js';
import type { PrimitiveType } from '../../metadata/types.js';
import type { Value } from '../values/value.js';
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
        const values = node.literals.map((value) => valueToJson(value, node.term.type as PrimitiveType));
        return legacy ? { type: node.type, term: term(node.term), values } : { type: node.type, child: term(node.term), values };
      }
      default: {
        const value = valueToJson(node.literal, node.term.type as PrimitiveType);
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

const MICROS_PER_DAY = 86_400_000_000n;
const DAYS_TO_YEAR_10000 = 3_652_425; // days from 0000-01-01 to 10000-01-01

/**
 * A Value in the spec's single-value JSON encoding for `type`. Dates and timestamps outside years
 * 0000 to 9999 have no ISO form the spec allows; they are written as their integer (days, µs, ns),
 * which binding accepts too.
 */
export function valueToJson(value: Value, type: PrimitiveType): JsonValue {
  const base = primitiveBaseName(type);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex').toUpperCase();
  if (typeof value === 'object') return decimalToText(value.unscaled, value.scale);
  if (typeof value === 'bigint') {
    if (base === 'time') return formatTime(value, false);
    if (base.startsWith('timestamp')) return formatTimestamp(value, base.endsWith('_ns'), base === 'timestamptz' || base === 'timestamptz_ns');
    return longToJson(value);
  }
  if (typeof value === 'number' && base === 'date') return formatDate(value) ?? value;
  return value;
}

function decimalToText(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}

function formatDate(days: number): string | undefined {
  const fromYearZero = days + 719_528; // days from 0000-01-01 to 1970-01-01
  if (fromYearZero < 0 || fromYearZero >= DAYS_TO_YEAR_10000) return undefined;
  const date = new Date(0);
  date.setUTCDate(date.getUTCDate() + days);
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  return `${year}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
}

function formatTime(units: bigint, nanos: boolean): string {
  const perSecond = nanos ? 1_000_000_000n : 1_000_000n;
  const seconds = Number(units / perSecond);
  const fraction = (units % perSecond).toString().padStart(nanos ? 9 : 6, '0');
  const hh = String(Math.floor(seconds / 3600)).padStart(2, '0');
  const mm = String(Math.floor((seconds % 3600) / 60)).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}.${fraction}`;
}

function formatTimestamp(units: bigint, nanos: boolean, withZone: boolean): JsonValue {
  const perDay = nanos ? MICROS_PER_DAY * 1000n : MICROS_PER_DAY;
  let days = units / perDay;
  let rest = units % perDay;
  if (rest < 0n) {
    days -= 1n;
    rest += perDay;
  }
  const date = formatDate(Number(days));
  if (date === undefined) return longToJson(units);
  return `${date}T${formatTime(rest, nanos)}${withZone ? '+00:00' : ''}`;
}
