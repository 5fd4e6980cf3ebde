/** TableRequirement objects (the 8 commit preconditions) from untrusted JSON. */
import { MAX_REQUIREMENTS_PER_COMMIT, expectBoundedArray } from './commit-limits.js';
import type { TableRequirement, TableRequirementType } from '../types.js';
import { expectArray, expectObject, expectString, fail, fieldPath, itemPath, requiredInt, requiredString, toLong, type JsonRecord } from './json-fields.js';

type RequirementReader = (record: JsonRecord, path: string) => TableRequirement;

const READERS: { readonly [T in TableRequirementType]: RequirementReader } = {
  'assert-create': () => ({ type: 'assert-create' }),
  'assert-table-uuid': (record, path) => ({ type: 'assert-table-uuid', uuid: requiredString(record, 'uuid', path) }),
  'assert-ref-snapshot-id': (record, path) => {
    // The field is required but nullable: null asserts that the ref does not exist yet.
    if (!Object.hasOwn(record, 'snapshot-id')) fail(fieldPath(path, 'snapshot-id'), 'required field is missing');
    const value = record['snapshot-id'];
    return {
      type: 'assert-ref-snapshot-id',
      ref: requiredString(record, 'ref', path),
      snapshotId: value === null ? null : toLong(value, fieldPath(path, 'snapshot-id')),
    };
  },
  'assert-last-assigned-field-id': (record, path) => ({
    type: 'assert-last-assigned-field-id',
    lastAssignedFieldId: requiredInt(record, 'last-assigned-field-id', path),
  }),
  'assert-current-schema-id': (record, path) => ({
    type: 'assert-current-schema-id',
    currentSchemaId: requiredInt(record, 'current-schema-id', path),
  }),
  'assert-last-assigned-partition-id': (record, path) => ({
    type: 'assert-last-assigned-partition-id',
    lastAssignedPartitionId: requiredInt(record, 'last-assigned-partition-id', path),
  }),
  'assert-default-spec-id': (record, path) => ({
    type: 'assert-default-spec-id',
    defaultSpecId: requiredInt(record, 'default-spec-id', path),
  }),
  'assert-default-sort-order-id': (record, path) => ({
    type: 'assert-default-sort-order-id',
    defaultSortOrderId: requiredInt(record, 'default-sort-order-id', path),
  }),
};

/**
 * Requirements only the catalog writes (its own commits, waiting as group-commit intents): never
 * read from a client's request, which the route validates with READERS alone.
 */
const CATALOG_READERS: Readonly<Record<string, RequirementReader>> = {
  ...READERS,
  'assert-snapshots-unreferenced': (record, path) => ({
    type: 'assert-snapshots-unreferenced',
    snapshotIds: expectArray(record['snapshot-ids'], fieldPath(path, 'snapshot-ids')).map((id, index) => toLong(id, itemPath(fieldPath(path, 'snapshot-ids'), index))),
    exceptRefs: expectArray(record['except-refs'], fieldPath(path, 'except-refs')).map((ref, index) => expectString(ref, itemPath(fieldPath(path, 'except-refs'), index))),
  }),
};

export function validateTableRequirement(value: unknown, path = 'requirement', readers: Readonly<Record<string, RequirementReader>> = READERS): TableRequirement {
  const record = expectObject(value, path);
  const type = requiredString(record, 'type', path);
  if (!Object.hasOwn(readers, type)) fail(fieldPath(path, 'type'), `unknown requirement type "${type}"`);
  return readers[type]!(record, path);
}

export function validateTableRequirements(value: unknown, path = 'requirements'): TableRequirement[] {
  return expectBoundedArray(value, path, MAX_REQUIREMENTS_PER_COMMIT, 'requirements').map((item, index) => validateTableRequirement(item, itemPath(path, index)));
}

/** The requirements of a commit the catalog itself wrote down (a group-commit intent): the spec's and the catalog's own. */
export function validateCatalogRequirements(value: unknown, path = 'requirements'): TableRequirement[] {
  return expectBoundedArray(value, path, MAX_REQUIREMENTS_PER_COMMIT, 'requirements').map((item, index) => validateTableRequirement(item, itemPath(path, index), CATALOG_READERS));
}
