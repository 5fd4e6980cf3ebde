/**
 * Primitive type strings: parsing to one canonical spelling (so that schemas compare equal however a
 * client spaced `decimal(10,2)`), and the first format version that allows each type.
 */
import type { FormatVersion, IcebergType, PrimitiveType } from './types.js';

const SIMPLE_PRIMITIVES: ReadonlySet<string> = new Set([
  'boolean',
  'int',
  'long',
  'float',
  'double',
  'date',
  'time',
  'timestamp',
  'timestamptz',
  'timestamp_ns',
  'timestamptz_ns',
  'string',
  'uuid',
  'binary',
  'variant',
  'unknown',
]);

const V3_ONLY_BASE_TYPES: ReadonlySet<string> = new Set([
  'variant',
  'unknown',
  'geometry',
  'geography',
  'timestamp_ns',
  'timestamptz_ns',
]);

const MAX_DECIMAL_PRECISION = 38;
const DECIMAL = /^decimal\s*\(\s*(\d{1,4})\s*,\s*(\d{1,4})\s*\)$/i;
const FIXED = /^fixed\s*\[\s*(\d{1,10})\s*\]$/i;
const GEOMETRY = /^geometry\s*(?:\(\s*([^(),]+?)\s*\))?$/i;
const GEOGRAPHY = /^geography\s*(?:\(\s*([^(),]+?)\s*(?:,\s*([^(),]+?)\s*)?\))?$/i;
const MAX_PRIMITIVE_TEXT = 256;

export type PrimitiveParse = { ok: true; type: PrimitiveType } | { ok: false; problem: string };

export function parsePrimitiveType(text: string): PrimitiveParse {
  if (text.length > MAX_PRIMITIVE_TEXT) return { ok: false, problem: 'type name is too long' };
  const lower = text.trim().toLowerCase();
  if (SIMPLE_PRIMITIVES.has(lower)) return { ok: true, type: lower };
  const decimal = DECIMAL.exec(lower);
  if (decimal) {
    const precision = Number(decimal[1]);
    const scale = Number(decimal[2]);
    if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
      return { ok: false, problem: `decimal precision must be between 1 and ${MAX_DECIMAL_PRECISION}, got ${precision}` };
    }
    if (scale > precision) return { ok: false, problem: `decimal scale ${scale} exceeds precision ${precision}` };
    return { ok: true, type: `decimal(${precision}, ${scale})` };
  }
  const fixed = FIXED.exec(lower);
  if (fixed) {
    const length = Number(fixed[1]);
    if (length < 1 || length > 2 ** 31 - 1) return { ok: false, problem: `fixed length must be positive, got ${fixed[1] ?? ''}` };
    return { ok: true, type: `fixed[${length}]` };
  }
  // The CRS and algorithm keep their case: they name external identifiers.
  const geometry = GEOMETRY.exec(text.trim());
  if (geometry) return { ok: true, type: geometry[1] === undefined ? 'geometry' : `geometry(${geometry[1]})` };
  const geography = GEOGRAPHY.exec(text.trim());
  if (geography) {
    const [, crs, algorithm] = geography;
    if (crs === undefined) return { ok: true, type: 'geography' };
    return { ok: true, type: algorithm === undefined ? `geography(${crs})` : `geography(${crs}, ${algorithm})` };
  }
  return { ok: false, problem: `unknown type "${text}"` };
}

/** `decimal(10, 2)` → `decimal`, `fixed[16]` → `fixed`, `geometry(x)` → `geometry`; others unchanged. */
export function primitiveBaseName(type: PrimitiveType): string {
  const cut = type.search(/[([]/);
  return cut < 0 ? type : type.slice(0, cut);
}

export function isPrimitive(type: IcebergType): type is PrimitiveType {
  return typeof type === 'string';
}

export function minFormatVersionFor(type: PrimitiveType): FormatVersion {
  return V3_ONLY_BASE_TYPES.has(primitiveBaseName(type)) ? 3 : 1;
}

/** Types whose default value must be null (spec: unknown, variant, geometry, geography). */
export function requiresNullDefault(type: PrimitiveType): boolean {
  const base = primitiveBaseName(type);
  return base === 'unknown' || base === 'variant' || base === 'geometry' || base === 'geography';
}

export function typeToString(type: IcebergType): string {
  if (typeof type === 'string') return type;
  switch (type.type) {
    case 'struct':
      return `struct<${type.fields.map((field) => `${field.name}: ${typeToString(field.type)}`).join(', ')}>`;
    case 'list':
      return `list<${typeToString(type.element)}>`;
    case 'map':
      return `map<${typeToString(type.key)}, ${typeToString(type.value)}>`;
  }
}
