/** Partition specs from untrusted JSON: as sent by clients (ids optional) and as stored (ids required). */
import { parseTransform, transformToString } from '../transforms.js';
import type { PartitionFieldInput, PartitionSpecInput } from '../types.js';
import {
  expectInt,
  expectObject,
  fail,
  fieldPath,
  optionalArray,
  optionalInt,
  requiredArray,
  requiredInt,
  requiredNonEmptyString,
  requiredString,
  type JsonRecord,
} from './json-fields.js';

export function readTransform(record: JsonRecord, path: string): string {
  const parsed = parseTransform(requiredString(record, 'transform', path));
  if (!parsed.ok) fail(fieldPath(path, 'transform'), parsed.problem);
  return transformToString(parsed.transform);
}

/**
 * `source-id` for single-argument transforms, `source-ids` for v3 multi-argument ones. A one-element
 * `source-ids` is the same thing as `source-id`, so it is stored that way.
 */
export function readSourceIds(record: JsonRecord, path: string): { sourceId: number; sourceIds?: number[] } {
  const sourceIds = optionalArray(record, 'source-ids', path, expectInt);
  if (sourceIds !== undefined) {
    const [first] = sourceIds;
    if (first === undefined) fail(fieldPath(path, 'source-ids'), 'must not be empty');
    return sourceIds.length === 1 ? { sourceId: first } : { sourceId: first, sourceIds };
  }
  return { sourceId: requiredInt(record, 'source-id', path) };
}

function readPartitionFieldInput(value: unknown, path: string): PartitionFieldInput {
  const record = expectObject(value, path);
  const name = requiredNonEmptyString(record, 'name', path);
  const fieldId = optionalInt(record, 'field-id', path);
  return {
    ...readSourceIds(record, path),
    ...(fieldId === undefined ? {} : { fieldId }),
    name,
    transform: readTransform(record, path),
  };
}

export function readPartitionSpecInput(value: unknown, path: string): PartitionSpecInput {
  const record = expectObject(value, path);
  const specId = optionalInt(record, 'spec-id', path);
  const fields = requiredArray(record, 'fields', path, readPartitionFieldInput);
  const names = new Set<string>();
  for (const field of fields) {
    if (names.has(field.name)) fail(fieldPath(path, 'fields'), `partition name "${field.name}" is used more than once`);
    names.add(field.name);
  }
  return { ...(specId === undefined ? {} : { specId }), fields };
}

/** v1 metadata's bare `partition-spec` is a field list, not an object. */
export function readPartitionFieldList(value: unknown, path: string): PartitionSpecInput {
  return readPartitionSpecInput({ fields: value }, path);
}


