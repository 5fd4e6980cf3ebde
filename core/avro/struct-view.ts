/**
 * Reads Iceberg fields out of a decoded Avro record by field id, as Iceberg readers do, or by the
 * spec name (and older aliases) in files written without ids. Values are checked and
 * converted to the spec type; a wrong or missing required value is an AvroError naming the field.
 */
import { AvroError } from './avro-error.js';
import type { AvroRecord, AvroValue } from './datum-reader.js';
import type { IcebergField } from './iceberg-fields.js';
import type { AvroField, AvroRecordSchema, AvroSchema } from './schema.js';

const MIN_INT = -(2 ** 31);
const MAX_INT = 2 ** 31 - 1;

/** The record schema inside a field type, looking through `["null", record]`. */
function recordSchemaOf(schema: AvroSchema): AvroRecordSchema | undefined {
  const record = schema.type === 'union' ? schema.branches.find((branch) => branch.type === 'record') : schema;
  return record?.type === 'record' ? record : undefined;
}

function elementSchemaOf(schema: AvroSchema): AvroSchema | undefined {
  const list = schema.type === 'union' ? schema.branches.find((branch) => branch.type === 'array') : schema;
  return list?.type === 'array' ? list.items : undefined;
}

interface FieldIndex {
  readonly byId: ReadonlyMap<unknown, AvroField>;
  readonly byName: ReadonlyMap<string, AvroField>;
}

/** Built once per schema rather than searched per record: a manifest can hold many thousands. */
const indexes = new WeakMap<AvroRecordSchema, FieldIndex>();

function indexOf(schema: AvroRecordSchema): FieldIndex {
  let index = indexes.get(schema);
  if (index === undefined) {
    const byId = new Map<unknown, AvroField>();
    for (const field of schema.fields) if (field.attributes['field-id'] !== undefined && !byId.has(field.attributes['field-id'])) byId.set(field.attributes['field-id'], field);
    index = { byId, byName: new Map(schema.fields.map((field) => [field.name, field])) };
    indexes.set(schema, index);
  }
  return index;
}

export class StructView {
  private constructor(
    private readonly schema: AvroRecordSchema,
    private readonly record: AvroRecord,
    private readonly where: string,
  ) {}

  static of(schema: AvroSchema, value: AvroValue, where: string): StructView {
    const recordSchema = recordSchemaOf(schema);
    if (recordSchema === undefined || !isRecord(value)) throw new AvroError(`${where} is not a record`);
    return new StructView(recordSchema, value, where);
  }

  /**
   * By id when the file has ids at all: a same-named field with another id is a different field
   * (a rename or an unrelated column), exactly as Iceberg's own readers treat it.
   */
  private find(field: IcebergField): AvroField | undefined {
    const index = indexOf(this.schema);
    if (index.byId.size > 0) return index.byId.get(field.id);
    return index.byName.get(field.name) ?? field.aliases?.map((alias) => index.byName.get(alias)).find((found) => found !== undefined);
  }

  /** `undefined` when the file's schema has no such field, `null` when the value is null. */
  private value(field: IcebergField): AvroValue | undefined {
    const found = this.find(field);
    return found === undefined ? undefined : (this.record[found.name] ?? null);
  }

  private fail(field: IcebergField, expected: string, actual: AvroValue | undefined): AvroError {
    const shown = actual === undefined ? 'missing' : actual === null ? 'null' : typeof actual;
    return new AvroError(`${this.where}.${field.name} (field id ${field.id}) must be ${expected}, found ${shown}`);
  }

  optionalString(field: IcebergField): string | null {
    const value = this.value(field);
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') throw this.fail(field, 'a string', value);
    return value;
  }

  string(field: IcebergField): string {
    const value = this.optionalString(field);
    if (value === null) throw this.fail(field, 'a string', this.value(field));
    return value;
  }

  optionalLong(field: IcebergField): bigint | null {
    const value = this.value(field);
    if (value === undefined || value === null) return null;
    if (typeof value === 'bigint') return value;
    // A writer that narrowed a long column to int is still readable.
    if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
    throw this.fail(field, 'a long', value);
  }

  long(field: IcebergField, fallback?: bigint): bigint {
    const value = this.optionalLong(field);
    if (value !== null) return value;
    if (fallback !== undefined) return fallback;
    throw this.fail(field, 'a long', this.value(field));
  }

  optionalInt(field: IcebergField): number | null {
    const value = this.value(field);
    if (value === undefined || value === null) return null;
    const number = typeof value === 'bigint' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < MIN_INT || number > MAX_INT) throw this.fail(field, 'an int', value);
    return number;
  }

  int(field: IcebergField, fallback?: number): number {
    const value = this.optionalInt(field);
    if (value !== null) return value;
    if (fallback !== undefined) return fallback;
    throw this.fail(field, 'an int', this.value(field));
  }

  optionalBoolean(field: IcebergField): boolean | null {
    const value = this.value(field);
    if (value === undefined || value === null) return null;
    if (typeof value !== 'boolean') throw this.fail(field, 'a boolean', value);
    return value;
  }

  boolean(field: IcebergField): boolean {
    const value = this.optionalBoolean(field);
    if (value === null) throw this.fail(field, 'a boolean', this.value(field));
    return value;
  }

  optionalBytes(field: IcebergField): Uint8Array | null {
    const value = this.value(field);
    if (value === undefined || value === null) return null;
    if (!(value instanceof Uint8Array)) throw this.fail(field, 'bytes', value);
    return value;
  }

  struct(field: IcebergField): StructView {
    const found = this.find(field);
    if (found === undefined) throw this.fail(field, 'a record', undefined);
    return StructView.of(found.type, this.record[found.name] ?? null, `${this.where}.${field.name}`);
  }

  /** The raw record, for structs whose fields are not known up front (partition tuples). */
  optionalRecord(field: IcebergField): AvroRecord | null {
    const value = this.value(field);
    if (value === undefined || value === null) return null;
    if (!isRecord(value)) throw this.fail(field, 'a record', value);
    return value;
  }

  optionalList<T>(field: IcebergField, convert: (item: AvroValue, schema: AvroSchema, where: string) => T): T[] | null {
    const found = this.find(field);
    const value = found === undefined ? undefined : (this.record[found.name] ?? null);
    if (found === undefined || value === null || value === undefined) return null;
    const itemSchema = elementSchemaOf(found.type);
    if (!Array.isArray(value) || itemSchema === undefined) throw this.fail(field, 'a list', value);
    return value.map((item, index) => convert(item, itemSchema, `${this.where}.${field.name}[${index}]`));
  }

  /**
   * Iceberg's int-keyed maps: arrays of key/value records in Java's encoding, tolerated as an Avro
   * string-keyed map too.
   */
  optionalIntMap<T>(field: IcebergField, convert: (value: AvroValue) => T | undefined): Map<number, T> | null {
    const value = this.value(field);
    if (value === undefined || value === null) return null;
    const result = new Map<number, T>();
    const add = (key: unknown, item: AvroValue | undefined): void => {
      const converted = item === undefined ? undefined : convert(item);
      if (typeof key !== 'number' || !Number.isInteger(key) || converted === undefined) throw this.fail(field, 'a map with int keys', value);
      result.set(key, converted);
    };
    if (value instanceof Map) {
      for (const [key, item] of value) add(/^-?\d+$/.test(key) ? Number(key) : undefined, item);
    } else if (Array.isArray(value)) {
      for (const pair of value) {
        if (!isRecord(pair)) throw this.fail(field, 'a list of key/value records', value);
        add(pair['key'], pair['value']);
      }
    } else {
      throw this.fail(field, 'a map', value);
    }
    return result;
  }
}

export function isRecord(value: AvroValue | undefined): value is AvroRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Map);
}
