/** ViewRequirement objects from untrusted JSON; `assert-view-uuid` is the only type. */
import { MAX_REQUIREMENTS_PER_COMMIT, expectBoundedArray } from '../../validate/commit-limits.js';
import { expectArray, expectObject, fail, fieldPath, itemPath, requiredString } from '../../validate/json-fields.js';
import type { ViewRequirement } from '../types.js';

export function validateViewRequirement(value: unknown, path = 'requirement'): ViewRequirement {
  const record = expectObject(value, path);
  const type = requiredString(record, 'type', path);
  if (type !== 'assert-view-uuid') fail(fieldPath(path, 'type'), `unknown view requirement type "${type}"`);
  return { type, uuid: requiredString(record, 'uuid', path) };
}

export function validateViewRequirements(value: unknown, path = 'requirements'): ViewRequirement[] {
  return expectBoundedArray(value, path, MAX_REQUIREMENTS_PER_COMMIT, 'requirements').map((item, index) => validateViewRequirement(item, itemPath(path, index)));
}
