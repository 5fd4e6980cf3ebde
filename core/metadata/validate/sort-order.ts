/** Sort orders from untrusted JSON. */
import type { NullOrder, SortDirection, SortField, SortOrder, SortOrderInput } from '../types.js';
import { expectObject, fail, fieldPath, optionalInt, requiredArray, requiredInt, requiredString } from './json-fields.js';
import { readSourceIds, readTransform } from './partition-spec.js';

function readDirection(value: string, path: string): SortDirection {
  if (value === 'asc' || value === 'desc') return value;
  return fail(path, `expected "asc" or "desc", got "${value}"`);
}

function readNullOrder(value: string, path: string): NullOrder {
  if (value === 'nulls-first' || value === 'nulls-last') return value;
  return fail(path, `expected "nulls-first" or "nulls-last", got "${value}"`);
}

function readSortField(value: unknown, path: string): SortField {
  const record = expectObject(value, path);
  return {
    ...readSourceIds(record, path),
    transform: readTransform(record, path),
    direction: readDirection(requiredString(record, 'direction', path).toLowerCase(), fieldPath(path, 'direction')),
    nullOrder: readNullOrder(requiredString(record, 'null-order', path).toLowerCase(), fieldPath(path, 'null-order')),
  };
}

export function readSortOrderInput(value: unknown, path: string): SortOrderInput {
  const record = expectObject(value, path);
  const orderId = optionalInt(record, 'order-id', path);
  const fields = requiredArray(record, 'fields', path, readSortField);
  return { ...(orderId === undefined ? {} : { orderId }), fields };
}

export function readSortOrder(value: unknown, path: string): SortOrder {
  const record = expectObject(value, path);
  const orderId = requiredInt(record, 'order-id', path);
  return { orderId, fields: readSortOrderInput(value, path).fields };
}
