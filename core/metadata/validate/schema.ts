/**
 * Schemas and nested types from untrusted JSON. Nesting is capped so that a hostile request cannot
 * exhaust the stack in this reader or in any later walk over the schema.
 */
import type { JsonValue } from '../../json/lossless-json.js';
import { parsePrimitiveType, requiresNullDefault } from '../primitive-types.js';
import { indexSchemaFields } from '../schema-index.js';
import type { IcebergType, Schema, SchemaInput, StructField } from '../types.js';
import {
  describe,
  expectInt,
  expectJsonDepthAtMost,
  expectObject,
  fail,
  fieldPath,
  itemPath,
  optional,
  optionalArray,
  optionalString,
  required,
  requiredArray,
  requiredBoolean,
  requiredInt,
  requiredString,
  type JsonRecord,
} from './json-fields.js';

export const MAX_TYPE_DEPTH = 64;
const MAX_DEFAULT_DEPTH = 64;

export function readType(value: unknown, path: string, depth = 0): IcebergType {
  if (depth > MAX_TYPE_DEPTH) fail(path, `type nesting deeper than ${MAX_TYPE_DEPTH} levels`);
  if (typeof value === 'string') {
    const parsed = parsePrimitiveType(value);
    if (!parsed.ok) fail(path, parsed.problem);
    return parsed.type;
  }
  const record = expectObject(value, path);
  const kind = requiredString(record, 'type', path);
  switch (kind) {
    case 'struct':
      return { type: 'struct', fields: readStructFields(record, path, depth + 1) };
    case 'list':
      return {
        type: 'list',
        elementId: requiredInt(record, 'element-id', path),
        element: readType(required(record, 'element', path), fieldPath(path, 'element'), depth + 1),
        elementRequired: requiredBoolean(record, 'element-required', path),
      };
    case 'map':
      return {
        type: 'map',
        keyId: requiredInt(record, 'key-id', path),
        key: readType(required(record, 'key', path), fieldPath(path, 'key'), depth + 1),
        valueId: requiredInt(record, 'value-id', path),
        value: readType(required(record, 'value', path), fieldPath(path, 'value'), depth + 1),
        valueRequired: requiredBoolean(record, 'value-required', path),
      };
    default:
      return fail(fieldPath(path, 'type'), `unknown nested type "${kind}"`);
  }
}

function readStructFields(record: JsonRecord, path: string, depth: number): StructField[] {
  return requiredArray(record, 'fields', path, (item, itemPathText) => readStructField(item, itemPathText, depth));
}

function readStructField(value: unknown, path: string, depth: number): StructField {
  const record = expectObject(value, path);
  const type = readType(required(record, 'type', path), fieldPath(path, 'type'), depth);
  const doc = optionalString(record, 'doc', path);
  const initialDefault = readDefault(record, 'initial-default', type, path);
  const writeDefault = readDefault(record, 'write-default', type, path);
  return {
    id: requiredInt(record, 'id', path),
    name: requiredString(record, 'name', path),
    type,
    required: requiredBoolean(record, 'required', path),
    ...(doc === undefined ? {} : { doc }),
    ...(initialDefault === undefined ? {} : { initialDefault }),
    ...(writeDefault === undefined ? {} : { writeDefault }),
  };
}

function readDefault(record: JsonRecord, key: string, type: IcebergType, path: string): JsonValue | undefined {
  const value = optional(record, key);
  if (value === undefined) return undefined;
  const defaultPath = fieldPath(path, key);
  expectJsonDepthAtMost(value, MAX_DEFAULT_DEPTH, defaultPath);
  if (typeof type === 'string' && requiresNullDefault(type)) fail(defaultPath, `must be null for type ${type}`);
  if (typeof type !== 'string' && type.type === 'struct') {
    const isEmptyObject = typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
    if (!isEmptyObject) fail(defaultPath, 'a struct default must be null or {}');
  }
  return value as JsonValue;
}

/** A schema as sent in a request: `schema-id` is optional because the engine assigns ids. */
export function readSchemaInput(value: unknown, path: string): SchemaInput {
  const record = expectObject(value, path);
  const kind = optional(record, 'type');
  if (kind !== undefined && kind !== 'struct') fail(fieldPath(path, 'type'), `expected "struct", got ${describe(kind)}`);
  const fields = readStructFields(record, path, 1);
  const schemaIdValue = optional(record, 'schema-id');
  const schemaId = schemaIdValue === undefined ? undefined : expectInt(schemaIdValue, fieldPath(path, 'schema-id'));
  const identifierFieldIds = optionalArray(record, 'identifier-field-ids', path, expectInt) ?? [];
  checkFieldsAreConsistent(fields, identifierFieldIds, path);
  return { ...(schemaId === undefined ? {} : { schemaId }), fields, identifierFieldIds };
}

/** A schema stored in table metadata, where `schema-id` is required. */
export function readSchema(value: unknown, path: string): Schema {
  const record = expectObject(value, path);
  requiredInt(record, 'schema-id', path);
  const input = readSchemaInput(value, path);
  return { schemaId: input.schemaId ?? 0, fields: input.fields, identifierFieldIds: input.identifierFieldIds };
}

/** v1 metadata's bare `schema` struct may lack `schema-id`; it is schema 0. */
export function readLegacySchema(value: unknown, path: string): Schema {
  const input = readSchemaInput(value, path);
  return { schemaId: input.schemaId ?? 0, fields: input.fields, identifierFieldIds: input.identifierFieldIds };
}

const FLOATING = new Set(['float', 'double']);

function checkFieldsAreConsistent(fields: readonly StructField[], identifierFieldIds: readonly number[], path: string): void {
  const index = indexSchemaFields(fields);
  const [duplicateId] = index.duplicateIds;
  if (duplicateId !== undefined) fail(fieldPath(path, 'fields'), `field id ${duplicateId} is used more than once`);
  const [duplicateName] = index.duplicateNames;
  if (duplicateName !== undefined) fail(fieldPath(path, 'fields'), `column name "${duplicateName}" is used more than once`);
  identifierFieldIds.forEach((id, position) => {
    const where = itemPath(fieldPath(path, 'identifier-field-ids'), position);
    const field = index.byId.get(id);
    if (field === undefined) fail(where, `identifier field ${id} does not exist`);
    if (typeof field.type !== 'string') fail(where, `identifier field ${field.name} is not a primitive type`);
    if (!field.required) fail(where, `identifier field ${field.name} is not required`);
    if (FLOATING.has(field.type)) fail(where, `identifier field ${field.name} must not be float or double`);
    if (field.nestedInCollection) fail(where, `identifier field ${field.name} must not be nested in a list or map`);
    if (field.nestedInOptional) fail(where, `identifier field ${field.name} must not be nested in an optional field`);
  });
}
