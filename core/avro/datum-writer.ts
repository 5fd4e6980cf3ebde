/**
 * Encodes a plain JavaScript value by schema: the mirror image of `datum-reader.ts`, accepting what
 * it produces plus the obvious conveniences (a safe-integer `number` for a long, a plain object for
 * a map, a missing record field for its default or `null`). A union takes the first branch whose
 * type the value fits, so `["null", "int", "long"]` writes `5` as an int and `5n` as a long.
 */
import { AvroError } from './avro-error.js';
import type { BinaryEncoder } from './binary-encoder.js';
import type { AvroSchema } from './schema.js';

const MIN_INT = -(2 ** 31);
const MAX_INT = 2 ** 31 - 1;

type PlainObject = Record<string, unknown>;

function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Map);
}

function fits(schema: AvroSchema, value: unknown): boolean {
  switch (schema.type) {
    case 'null':
      return value === null || value === undefined;
    case 'boolean':
      return typeof value === 'boolean';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && value >= MIN_INT && value <= MAX_INT;
    case 'long':
      return typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value));
    case 'float':
    case 'double':
      return typeof value === 'number';
    case 'string':
      return typeof value === 'string';
    case 'enum':
      return typeof value === 'string' && schema.symbols.includes(value);
    case 'bytes':
      return value instanceof Uint8Array;
    case 'fixed':
      return value instanceof Uint8Array && value.length === schema.size;
    case 'array':
      return Array.isArray(value);
    case 'map':
      return value instanceof Map || isPlainObject(value);
    case 'record':
      return isPlainObject(value);
    case 'union':
      return schema.branches.some((branch) => fits(branch, value));
  }
}

function mismatch(schema: AvroSchema, value: unknown, path: string): AvroError {
  const shown = typeof value === 'bigint' ? `${value}n` : typeof value === 'object' ? Object.prototype.toString.call(value) : JSON.stringify(value);
  return new AvroError(`Cannot write ${shown} at ${path} as Avro ${schema.type}`);
}

export function writeDatum(schema: AvroSchema, value: unknown, encoder: BinaryEncoder, path = '$'): void {
  if (schema.type !== 'union' && !fits(schema, value)) throw mismatch(schema, value, path);
  switch (schema.type) {
    case 'null':
      return;
    case 'boolean':
      return encoder.writeBoolean(value as boolean);
    case 'int':
      return encoder.writeInt(value as number);
    case 'long':
      return encoder.writeLong(value as bigint | number);
    case 'float':
      return encoder.writeFloat(value as number);
    case 'double':
      return encoder.writeDouble(value as number);
    case 'string':
      return encoder.writeString(value as string);
    case 'bytes':
      return encoder.writeBytes(value as Uint8Array);
    case 'fixed':
      return encoder.writeFixed(value as Uint8Array);
    case 'enum':
      return encoder.writeInt(schema.symbols.indexOf(value as string));
    case 'union': {
      const index = schema.branches.findIndex((branch) => fits(branch, value));
      const branch = schema.branches[index];
      if (branch === undefined) throw mismatch(schema, value, path);
      encoder.writeInt(index);
      return writeDatum(branch, value, encoder, path);
    }
    case 'array': {
      const items = value as readonly unknown[];
      if (items.length > 0) encoder.writeLong(items.length);
      items.forEach((item, index) => writeDatum(schema.items, item, encoder, `${path}[${index}]`));
      return encoder.writeLong(0);
    }
    case 'map': {
      const entries = value instanceof Map ? [...(value as Map<unknown, unknown>)] : Object.entries(value as PlainObject);
      if (entries.length > 0) encoder.writeLong(entries.length);
      for (const [key, item] of entries) {
        if (typeof key !== 'string') throw new AvroError(`Avro map keys must be strings at ${path}`);
        encoder.writeString(key);
        writeDatum(schema.values, item, encoder, `${path}.${key}`);
      }
      return encoder.writeLong(0);
    }
    case 'record': {
      const record = value as PlainObject;
      for (const field of schema.fields) {
        const given = Object.hasOwn(record, field.name) ? record[field.name] : undefined;
        writeDatum(field.type, given === undefined ? (field.default ?? null) : given, encoder, `${path}.${field.name}`);
      }
      return;
    }
  }
}
