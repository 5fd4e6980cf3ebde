/**
 * Bounds on one commit (a table commit, a view commit, or each table of a transaction). Real clients
 * send a handful of requirements and at most a few dozen updates; the bounds keep the work of one
 * request small however large the body is (F6). Beyond them the request is a 400.
 */
import { expectArray, fail } from './json-fields.js';

export const MAX_UPDATES_PER_COMMIT = 1_000;
export const MAX_REQUIREMENTS_PER_COMMIT = 100;

export function expectBoundedArray(value: unknown, path: string, max: number, what: string): readonly unknown[] {
  const items = expectArray(value, path);
  if (items.length > max) fail(path, `at most ${max} ${what} per commit, got ${items.length}`);
  return items;
}
