/** ViewUpdate objects (the 8 view actions of a commit) from untrusted JSON. */
import { MAX_UPDATES_PER_COMMIT, expectBoundedArray } from '../../validate/commit-limits.js';
import {
  expectArray,
  expectObject,
  expectString,
  expectStringMap,
  fail,
  fieldPath,
  itemPath,
  optionalInt,
  required,
  requiredArray,
  requiredInt,
  requiredNonEmptyString,
  requiredString,
  type JsonRecord,
} from '../../validate/json-fields.js';
import { readSchemaInput } from '../../validate/schema.js';
import type { ViewUpdate, ViewUpdateAction } from '../types.js';
import { readViewVersion } from './view-version.js';

type UpdateReader = (record: JsonRecord, path: string) => ViewUpdate;

const READERS: { readonly [A in ViewUpdateAction]: UpdateReader } = {
  'assign-uuid': (record, path) => ({ action: 'assign-uuid', uuid: requiredNonEmptyString(record, 'uuid', path) }),
  'upgrade-format-version': (record, path) => ({
    action: 'upgrade-format-version',
    formatVersion: requiredInt(record, 'format-version', path),
  }),
  'add-schema': (record, path) => {
    // Accepted for compatibility and ignored: a view has no last-column-id.
    optionalInt(record, 'last-column-id', path);
    return { action: 'add-schema', schema: readSchemaInput(required(record, 'schema', path), fieldPath(path, 'schema')) };
  },
  'set-location': (record, path) => ({ action: 'set-location', location: requiredNonEmptyString(record, 'location', path) }),
  'set-properties': (record, path) => ({
    action: 'set-properties',
    updates: expectStringMap(required(record, 'updates', path), fieldPath(path, 'updates')),
  }),
  'remove-properties': (record, path) => ({
    action: 'remove-properties',
    removals: requiredArray(record, 'removals', path, expectString),
  }),
  'add-view-version': (record, path) => ({
    action: 'add-view-version',
    viewVersion: readViewVersion(required(record, 'view-version', path), fieldPath(path, 'view-version')),
  }),
  'set-current-view-version': (record, path) => ({
    action: 'set-current-view-version',
    viewVersionId: requiredInt(record, 'view-version-id', path),
  }),
};

export function validateViewUpdate(value: unknown, path = 'update'): ViewUpdate {
  const record = expectObject(value, path);
  const action = requiredString(record, 'action', path);
  if (!Object.hasOwn(READERS, action)) fail(fieldPath(path, 'action'), `unknown view action "${action}"`);
  return READERS[action as ViewUpdateAction](record, path);
}

export function validateViewUpdates(value: unknown, path = 'updates'): ViewUpdate[] {
  return expectBoundedArray(value, path, MAX_UPDATES_PER_COMMIT, 'updates').map((item, index) => validateViewUpdate(item, itemPath(path, index)));
}
