/**
 * Small readers for untrusted JSON. Each one either returns a typed value or throws a
 * BadRequestError whose message starts with the field path (`updates[2].snapshot.snapshot-id:`), so
 * a client can see exactly which part of its request was wrong. No reader trusts the prototype
 * chain, the array-ness or the numeric range of what it is given.
 */
import { BadRequestError } from '../../errors.js';
import { isLongInRange, type Long } from '../long.js';
import { recordFromEntries } from '../own-property.js';

export type JsonRecord = Readonly<Record<string, unknown>>;

const MIN_INT = -(2 ** 31);
const MAX_INT = 2 ** 31 - 1;

export function fail(path: string, problem: string): never {
  throw new BadRequestError(path === '' ? problem : `${path}: ${problem}`);
}

export function fieldPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function itemPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'bigint') return 'a number';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function expectObject(value: unknown, path: string): JsonRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, `expected an object, got ${describe(value)}`);
  }
  return value as JsonRecord;
}

export function expectArray(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) fail(path, `expected an array, got ${describe(value)}`);
  return value;
}

export function expectString(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, `expected a string, got ${describe(value)}`);
  return value;
}

export function expectNonEmptyString(value: unknown, path: string): string {
  const text = expectString(value, path);
  if (text === '') fail(path, 'must not be empty');
  return text;
}

export function expectBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, `expected a boolean, got ${describe(value)}`);
  return value;
}

/** A 32-bit signed integer: field, schema, spec and order ids. */
export function expectInt(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_INT || value > MAX_INT) {
    fail(path, 'expected a 32-bit integer');
  }
  // -0 is an integer to JavaScript; store 0 so ids compare equal everywhere.
  return value === 0 ? 0 : value;
}

/** The boundary conversion to the engine's 64-bit representation; accepts number or bigint. */
export function toLong(value: unknown, path: string): Long {
  if (typeof value === 'bigint' && isLongInRange(value)) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  return fail(path, 'expected a 64-bit integer');
}

/** A field that must be present and non-null. */
export function required(record: JsonRecord, key: string, path: string): unknown {
  const value = Object.hasOwn(record, key) ? record[key] : undefined;
  if (value === undefined || value === null) fail(fieldPath(path, key), 'required field is missing');
  return value;
}

/** A field that may be absent; JSON null counts as absent, as Java's parsers treat it. */
export function optional(record: JsonRecord, key: string): unknown {
  const value = Object.hasOwn(record, key) ? record[key] : undefined;
  return value === null ? undefined : value;
}

export function requiredString(record: JsonRecord, key: string, path: string): string {
  return expectString(required(record, key, path), fieldPath(path, key));
}

export function requiredNonEmptyString(record: JsonRecord, key: string, path: string): string {
  return expectNonEmptyString(required(record, key, path), fieldPath(path, key));
}

export function optionalString(record: JsonRecord, key: string, path: string): string | undefined {
  const value = optional(record, key);
  return value === undefined ? undefined : expectString(value, fieldPath(path, key));
}

export function requiredInt(record: JsonRecord, key: string, path: string): number {
  return expectInt(required(record, key, path), fieldPath(path, key));
}

export function optionalInt(record: JsonRecord, key: string, path: string): number | undefined {
  const value = optional(record, key);
  return value === undefined ? undefined : expectInt(value, fieldPath(path, key));
}

export function requiredLong(record: JsonRecord, key: string, path: string): Long {
  return toLong(required(record, key, path), fieldPath(path, key));
}

export function optionalLong(record: JsonRecord, key: string, path: string): Long | undefined {
  const value = optional(record, key);
  return value === undefined ? undefined : toLong(value, fieldPath(path, key));
}

export function requiredBoolean(record: JsonRecord, key: string, path: string): boolean {
  return expectBoolean(required(record, key, path), fieldPath(path, key));
}

export function optionalBoolean(record: JsonRecord, key: string, path: string): boolean | undefined {
  const value = optional(record, key);
  return value === undefined ? undefined : expectBoolean(value, fieldPath(path, key));
}

export function requiredArray<T>(
  record: JsonRecord,
  key: string,
  path: string,
  readItem: (item: unknown, itemPathText: string) => T,
): T[] {
  const arrayPath = fieldPath(path, key);
  return expectArray(required(record, key, path), arrayPath).map((item, index) => readItem(item, itemPath(arrayPath, index)));
}

export function optionalArray<T>(
  record: JsonRecord,
  key: string,
  path: string,
  readItem: (item: unknown, itemPathText: string) => T,
): T[] | undefined {
  const value = optional(record, key);
  if (value === undefined) return undefined;
  const arrayPath = fieldPath(path, key);
  return expectArray(value, arrayPath).map((item, index) => readItem(item, itemPath(arrayPath, index)));
}

export function expectStringMap(value: unknown, path: string): Record<string, string> {
  const record = expectObject(value, path);
  return recordFromEntries(Object.entries(record).map(([key, item]) => [key, expectString(item, fieldPath(path, key))] as const));
}

export function optionalStringMap(record: JsonRecord, key: string, path: string): Record<string, string> | undefined {
  const value = optional(record, key);
  return value === undefined ? undefined : expectStringMap(value, fieldPath(path, key));
}

/**
 * Bounds the nesting of free-form JSON (column default values) iteratively, so later recursive
 * comparisons cannot overflow the stack on hostile input.
 */
export function expectJsonDepthAtMost(value: unknown, maxDepth: number, path: string): void {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const next = pending.pop();
    if (next === undefined || typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= maxDepth) fail(path, `nesting deeper than ${maxDepth} levels`);
    const children = Array.isArray(next.value) ? next.value : Object.values(next.value);
    for (const child of children) pending.push({ value: child, depth: next.depth + 1 });
  }
}
