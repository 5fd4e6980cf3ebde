/** Tiny builders for the expression tests: JSON filters and a schema with one column per type. */
import assert from 'node:assert/strict';
import { BadRequestError } from '../../errors.js';
import type { JsonObject, JsonValue } from '../../json/lossless-json.js';
import type { IcebergType, Schema, StructField } from '../../metadata/types.js';

export function field(id: number, name: string, type: IcebergType, required = false): StructField {
  return { id, name, type, required };
}

/** One column per primitive type, a struct, a list and a variant. */
export function aSchema(): Schema {
  return {
    schemaId: 0,
    identifierFieldIds: [],
    fields: [
      field(1, 'id', 'long', true),
      field(2, 'data', 'string'),
      field(3, 'i', 'int'),
      field(4, 'f', 'float'),
      field(5, 'd', 'double'),
      field(6, 'dec', 'decimal(9, 2)'),
      field(7, 'day', 'date'),
      field(8, 'ts', 'timestamp'),
      field(9, 'tstz', 'timestamptz'),
      field(10, 'u', 'uuid'),
      field(11, 'fx', 'fixed[3]'),
      field(12, 'bin', 'binary'),
      field(13, 'b', 'boolean'),
      field(14, 'location', { type: 'struct', fields: [field(15, 'lat', 'double', true), field(16, 'Lon', 'double')] }),
      field(17, 'tags', { type: 'list', elementId: 18, element: 'string', elementRequired: true }),
      field(19, 't', 'time'),
      field(20, 'tsn', 'timestamp_ns'),
      field(21, 'v', 'variant'),
      field(22, 'req', 'int', true),
    ],
  };
}

export const ref = (name: string): JsonObject => ({ type: 'reference', name });
export const idRef = (id: number): JsonObject => ({ type: 'reference', id });
export const lit = (value: JsonValue, dataType?: string): JsonObject =>
  dataType === undefined ? { type: 'literal', value } : { type: 'literal', value, 'data-type': dataType };
export const cmp = (type: string, left: JsonValue, right: JsonValue): JsonObject => ({ type, left, right });
export const unary = (type: string, child: JsonValue): JsonObject => ({ type, child });
export const set = (type: string, child: JsonValue, values: JsonValue): JsonObject => ({ type, child, values });
export const andOf = (left: JsonValue, right: JsonValue): JsonObject => ({ type: 'and', left, right });
export const orOf = (left: JsonValue, right: JsonValue): JsonObject => ({ type: 'or', left, right });
export const notOf = (child: JsonValue): JsonObject => ({ type: 'not', child });
export const apply = (fn: JsonValue, ...args: JsonValue[]): JsonObject => ({ type: 'apply', function: fn, arguments: args });

/** Asserts a BadRequestError whose message is exactly `path: ...` and contains `fragment`. */
export function assertBadRequest(action: () => unknown, path: string, fragment: string): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof BadRequestError, `expected BadRequestError, got ${String(error)}`);
    assert.ok(error.message.startsWith(`${path}: `), `message "${error.message}" should start with "${path}: "`);
    assert.ok(error.message.includes(fragment), `message "${error.message}" should contain "${fragment}"`);
    return true;
  });
}
