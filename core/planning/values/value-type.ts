/**
 * The primitive types that have a Value (see value.ts), parsed once from the catalog's type string
 * so that decoding, comparing and transforming switch on a closed union instead of re-reading
 * `decimal(10, 2)` each time. Types without a Value (variant, geometry, geography, unknown) give
 * `undefined`: planning never prunes on them.
 */
import { parsePrimitiveType, primitiveBaseName } from '../../metadata/primitive-types.js';
import type { PrimitiveType } from '../../metadata/types.js';

export type SimpleKind =
  | 'boolean'
  | 'int'
  | 'long'
  | 'float'
  | 'double'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'timestamptz'
  | 'timestamp_ns'
  | 'timestamptz_ns'
  | 'string'
  | 'uuid'
  | 'binary';

export type ValueType =
  | { readonly kind: SimpleKind }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'fixed'; readonly length: number };

const SIMPLE_KINDS: ReadonlySet<string> = new Set<SimpleKind>([
  'boolean', 'int', 'long', 'float', 'double', 'date', 'time', 'timestamp', 'timestamptz',
  'timestamp_ns', 'timestamptz_ns', 'string', 'uuid', 'binary',
]);

const DECIMAL = /^decimal\((\d+), (\d+)\)$/;
const FIXED = /^fixed\[(\d+)\]$/;

function isSimpleKind(name: string): name is SimpleKind {
  return SIMPLE_KINDS.has(name);
}

/** What the functions of this folder take as a type: the catalog's string, or one already parsed. */
export type TypeInput = PrimitiveType | ValueType;

export function toValueType(type: TypeInput): ValueType | undefined {
  return typeof type === 'string' ? valueTypeOf(type) : type;
}

/** Accepts any spelling the catalog's type parser accepts (`decimal(10,2)` as well as `decimal(10, 2)`). */
export function valueTypeOf(type: PrimitiveType): ValueType | undefined {
  const parsed = parsePrimitiveType(type);
  if (!parsed.ok) return undefined;
  const canonical = parsed.type;
  const base = primitiveBaseName(canonical);
  if (isSimpleKind(base)) return { kind: base };
  const decimal = DECIMAL.exec(canonical);
  if (decimal) return { kind: 'decimal', precision: Number(decimal[1]), scale: Number(decimal[2]) };
  const fixed = FIXED.exec(canonical);
  if (fixed) return { kind: 'fixed', length: Number(fixed[1]) };
  return undefined;
}

/** The canonical spelling, as `core/metadata/primitive-types.ts` writes it. */
export function valueTypeToString(type: ValueType): PrimitiveType {
  switch (type.kind) {
    case 'decimal':
      return `decimal(${type.precision}, ${type.scale})`;
    case 'fixed':
      return `fixed[${type.length}]`;
    default:
      return type.kind;
  }
}
