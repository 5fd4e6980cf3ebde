/**
 * Avro writer schemas, parsed from the JSON in a container header. Named references are resolved to
 * the very object they name (so recursive types become cyclic graphs), and every attribute Avro does
 * not define itself (`logicalType`, Iceberg's `field-id`, `element-id`, ...) is carried through in
 * `attributes` untouched: logical types are not interpreted, the underlying type decides decoding.
 *
 * Names are checked only for what decoding relies on (non-empty, no duplicate definitions or field
 * names), not for Avro's identifier grammar: refusing a manifest over a cosmetic name would block a
 * purge for no safety gain.
 */
import { AvroError } from './avro-error.js';

export type AvroPrimitiveType = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';
export type AvroAttributes = Readonly<Record<string, unknown>>;

export interface AvroPrimitiveSchema {
  readonly type: AvroPrimitiveType;
  readonly attributes: AvroAttributes;
}

export interface AvroField {
  readonly name: string;
  readonly type: AvroSchema;
  /** The JSON default as written; `undefined` when the field has none. */
  readonly default: unknown;
  readonly attributes: AvroAttributes;
}

export interface AvroRecordSchema {
  readonly type: 'record';
  /** The full name, namespace included. */
  readonly name: string;
  readonly fields: readonly AvroField[];
  readonly attributes: AvroAttributes;
}

export interface AvroEnumSchema {
  readonly type: 'enum';
  readonly name: string;
  readonly symbols: readonly string[];
  readonly attributes: AvroAttributes;
}

export interface AvroFixedSchema {
  readonly type: 'fixed';
  readonly name: string;
  readonly size: number;
  readonly attributes: AvroAttributes;
}

export interface AvroArraySchema {
  readonly type: 'array';
  readonly items: AvroSchema;
  readonly attributes: AvroAttributes;
}

export interface AvroMapSchema {
  readonly type: 'map';
  readonly values: AvroSchema;
  readonly attributes: AvroAttributes;
}

export interface AvroUnionSchema {
  readonly type: 'union';
  readonly branches: readonly AvroSchema[];
}

export type AvroNamedSchema = AvroRecordSchema | AvroEnumSchema | AvroFixedSchema;
export type AvroSchema = AvroPrimitiveSchema | AvroNamedSchema | AvroArraySchema | AvroMapSchema | AvroUnionSchema;

const PRIMITIVES: ReadonlySet<string> = new Set<AvroPrimitiveType>(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
/** Keys Avro itself defines, per construct; everything else lands in `attributes`. */
const SCHEMA_KEYS: ReadonlySet<string> = new Set(['type', 'name', 'namespace', 'aliases', 'doc', 'fields', 'symbols', 'default', 'items', 'values', 'size']);
const FIELD_KEYS: ReadonlySet<string> = new Set(['name', 'type', 'default', 'doc', 'order', 'aliases']);
/** Real schemas nest a handful of levels; the cap turns a hostile 10^5-deep schema into AvroError, not a stack overflow. */
const MAX_SCHEMA_DEPTH = 128;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function attributesOf(object: JsonObject, reserved: ReadonlySet<string>): AvroAttributes {
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (!reserved.has(key)) Object.defineProperty(attributes, key, { value, enumerable: true });
  }
  return attributes;
}

function requireName(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new AvroError(`Avro ${what} needs a non-empty name`);
  return value;
}

/** Parses schema JSON text (as stored under `avro.schema`). */
export function parseSchemaText(text: string): AvroSchema {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AvroError('Avro schema is not valid JSON', { cause: error });
  }
  return parseSchema(json);
}

/** Parses an already-decoded schema JSON value. */
export function parseSchema(json: unknown): AvroSchema {
  return new SchemaParser().parse(json, '', 0);
}

class SchemaParser {
  private readonly named = new Map<string, AvroNamedSchema>();

  parse(node: unknown, namespace: string, depth: number): AvroSchema {
    if (depth > MAX_SCHEMA_DEPTH) throw new AvroError(`Avro schema nested deeper than ${MAX_SCHEMA_DEPTH} levels`);
    if (typeof node === 'string') return this.reference(node, namespace);
    if (Array.isArray(node)) return this.union(node, namespace, depth);
    if (!isObject(node)) throw new AvroError(`Invalid Avro schema node of type ${node === null ? 'null' : typeof node}`);
    const type = own(node, 'type');
    // `{"type": {...}}` or `{"type": [...]}` wraps a schema; some writers emit it.
    if (typeof type !== 'string') return this.parse(type, namespace, depth + 1);
    if (PRIMITIVES.has(type)) return { type: type as AvroPrimitiveType, attributes: attributesOf(node, SCHEMA_KEYS) };
    switch (type) {
      case 'record':
      case 'error':
        return this.record(node, namespace, depth);
      case 'enum':
        return this.enumeration(node, namespace);
      case 'fixed':
        return this.fixed(node, namespace);
      case 'array':
        return { type: 'array', items: this.parse(this.child(node, 'items', 'array schema'), namespace, depth + 1), attributes: attributesOf(node, SCHEMA_KEYS) };
      case 'map':
        return { type: 'map', values: this.parse(this.child(node, 'values', 'map schema'), namespace, depth + 1), attributes: attributesOf(node, SCHEMA_KEYS) };
      default:
        return this.reference(type, namespace);
    }
  }

  private child(node: JsonObject, key: string, what: string): unknown {
    const value = own(node, key);
    if (value === undefined) throw new AvroError(`Avro ${what} lacks "${key}"`);
    return value;
  }

  private reference(name: string, namespace: string): AvroSchema {
    if (PRIMITIVES.has(name)) return { type: name as AvroPrimitiveType, attributes: {} };
    const qualified = !name.includes('.') && namespace !== '' ? this.named.get(`${namespace}.${name}`) : undefined;
    const found = qualified ?? this.named.get(name);
    if (found === undefined) throw new AvroError(`Unknown Avro type "${name}"`);
    return found;
  }

  private union(branches: unknown[], namespace: string, depth: number): AvroUnionSchema {
    const parsed = branches.map((branch) => this.parse(branch, namespace, depth + 1));
    const seen = new Set<string>();
    for (const branch of parsed) {
      if (branch.type === 'union') throw new AvroError('Avro unions may not directly contain unions');
      const key = 'name' in branch ? `${branch.type}:${branch.name}` : branch.type;
      if (seen.has(key)) throw new AvroError(`Avro union repeats ${key}`);
      seen.add(key);
    }
    return { type: 'union', branches: parsed };
  }

  /** Resolves a definition's full name and its namespace, which nested definitions inherit. */
  private define(node: JsonObject, enclosing: string, what: string): { name: string; namespace: string } {
    const name = requireName(own(node, 'name'), what);
    const explicit = own(node, 'namespace');
    let namespace = typeof explicit === 'string' ? explicit : enclosing;
    let full = namespace === '' ? name : `${namespace}.${name}`;
    if (name.includes('.')) {
      full = name;
      namespace = name.slice(0, name.lastIndexOf('.'));
    }
    if (PRIMITIVES.has(full)) throw new AvroError(`Avro ${what} may not be named "${full}"`);
    if (this.named.has(full)) throw new AvroError(`Avro type "${full}" is defined twice`);
    return { name: full, namespace };
  }

  private record(node: JsonObject, enclosing: string, depth: number): AvroRecordSchema {
    const { name, namespace } = this.define(node, enclosing, 'record');
    const rawFields = own(node, 'fields');
    if (!Array.isArray(rawFields)) throw new AvroError(`Avro record "${name}" needs a fields array`);
    const fields: AvroField[] = [];
    const record: AvroRecordSchema = { type: 'record', name, fields, attributes: attributesOf(node, SCHEMA_KEYS) };
    // Registered before its fields are parsed so a field may refer back to the record itself.
    this.named.set(name, record);
    const fieldNames = new Set<string>();
    for (const rawField of rawFields) {
      if (!isObject(rawField)) throw new AvroError(`Avro record "${name}" has a field that is not an object`);
      const fieldName = requireName(own(rawField, 'name'), `field of record "${name}"`);
      if (fieldNames.has(fieldName)) throw new AvroError(`Avro record "${name}" repeats field "${fieldName}"`);
      fieldNames.add(fieldName);
      const type = this.parse(this.child(rawField, 'type', `field "${fieldName}" of record "${name}"`), namespace, depth + 1);
      fields.push({ name: fieldName, type, default: own(rawField, 'default'), attributes: attributesOf(rawField, FIELD_KEYS) });
    }
    Object.freeze(fields);
    return record;
  }

  private enumeration(node: JsonObject, enclosing: string): AvroEnumSchema {
    const { name } = this.define(node, enclosing, 'enum');
    const symbols = own(node, 'symbols');
    if (!Array.isArray(symbols) || !symbols.every((symbol): symbol is string => typeof symbol === 'string' && symbol !== '')) {
      throw new AvroError(`Avro enum "${name}" needs an array of symbol names`);
    }
    if (new Set(symbols).size !== symbols.length) throw new AvroError(`Avro enum "${name}" repeats a symbol`);
    const schema: AvroEnumSchema = { type: 'enum', name, symbols: [...symbols], attributes: attributesOf(node, SCHEMA_KEYS) };
    this.named.set(name, schema);
    return schema;
  }

  private fixed(node: JsonObject, enclosing: string): AvroFixedSchema {
    const { name } = this.define(node, enclosing, 'fixed');
    const size = own(node, 'size');
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw new AvroError(`Avro fixed "${name}" needs a non-negative integer size`);
    }
    const schema: AvroFixedSchema = { type: 'fixed', name, size, attributes: attributesOf(node, SCHEMA_KEYS) };
    this.named.set(name, schema);
    return schema;
  }
}
