/** TableUpdate objects (the 23 table actions of a commit) from untrusted JSON. */
import { MAX_UPDATES_PER_COMMIT, expectBoundedArray } from './commit-limits.js';
import type { TableUpdate, TableUpdateAction } from '../types.js';
import {
  expectArray,
  expectInt,
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
  requiredLong,
  requiredNonEmptyString,
  requiredString,
  toLong,
  type JsonRecord,
} from './json-fields.js';
import { readPartitionSpecInput } from './partition-spec.js';
import { readSchemaInput } from './schema.js';
import { readRefRetention, readRefType, readSnapshot } from './snapshot.js';
import { readSortOrderInput } from './sort-order.js';
import { readEncryptedKey, readPartitionStatisticsFile, readStatisticsFile } from './statistics.js';

type UpdateReader = (record: JsonRecord, path: string) => TableUpdate;

const READERS: { readonly [A in TableUpdateAction]: UpdateReader } = {
  'assign-uuid': (record, path) => ({ action: 'assign-uuid', uuid: requiredNonEmptyString(record, 'uuid', path) }),
  'upgrade-format-version': (record, path) => ({
    action: 'upgrade-format-version',
    formatVersion: requiredInt(record, 'format-version', path),
  }),
  'add-schema': (record, path) => {
    const lastColumnId = optionalInt(record, 'last-column-id', path);
    return {
      action: 'add-schema',
      schema: readSchemaInput(required(record, 'schema', path), fieldPath(path, 'schema')),
      ...(lastColumnId === undefined ? {} : { lastColumnId }),
    };
  },
  'set-current-schema': (record, path) => ({ action: 'set-current-schema', schemaId: requiredInt(record, 'schema-id', path) }),
  'add-spec': (record, path) => ({
    action: 'add-spec',
    spec: readPartitionSpecInput(required(record, 'spec', path), fieldPath(path, 'spec')),
  }),
  'set-default-spec': (record, path) => ({ action: 'set-default-spec', specId: requiredInt(record, 'spec-id', path) }),
  'add-sort-order': (record, path) => ({
    action: 'add-sort-order',
    sortOrder: readSortOrderInput(required(record, 'sort-order', path), fieldPath(path, 'sort-order')),
  }),
  'set-default-sort-order': (record, path) => ({
    action: 'set-default-sort-order',
    sortOrderId: requiredInt(record, 'sort-order-id', path),
  }),
  'add-snapshot': (record, path) => ({
    action: 'add-snapshot',
    snapshot: readSnapshot(required(record, 'snapshot', path), fieldPath(path, 'snapshot'), { requireSummary: true }),
  }),
  'set-snapshot-ref': (record, path) => {
    const type = readRefType(required(record, 'type', path), fieldPath(path, 'type'));
    return {
      action: 'set-snapshot-ref',
      refName: requiredNonEmptyString(record, 'ref-name', path),
      type,
      snapshotId: requiredLong(record, 'snapshot-id', path),
      ...readRefRetention(record, path, type),
    };
  },
  'remove-snapshots': (record, path) => ({
    action: 'remove-snapshots',
    snapshotIds: requiredArray(record, 'snapshot-ids', path, toLong),
  }),
  'remove-snapshot-ref': (record, path) => ({ action: 'remove-snapshot-ref', refName: requiredString(record, 'ref-name', path) }),
  'set-location': (record, path) => ({ action: 'set-location', location: requiredNonEmptyString(record, 'location', path) }),
  'set-properties': (record, path) => ({
    action: 'set-properties',
    updates: expectStringMap(required(record, 'updates', path), fieldPath(path, 'updates')),
  }),
  'remove-properties': (record, path) => ({
    action: 'remove-properties',
    removals: requiredArray(record, 'removals', path, expectString),
  }),
  'set-statistics': (record, path) => ({
    action: 'set-statistics',
    statistics: readStatisticsFile(required(record, 'statistics', path), fieldPath(path, 'statistics')),
  }),
  'remove-statistics': (record, path) => ({ action: 'remove-statistics', snapshotId: requiredLong(record, 'snapshot-id', path) }),
  'set-partition-statistics': (record, path) => ({
    action: 'set-partition-statistics',
    partitionStatistics: readPartitionStatisticsFile(
      required(record, 'partition-statistics', path),
      fieldPath(path, 'partition-statistics'),
    ),
  }),
  'remove-partition-statistics': (record, path) => ({
    action: 'remove-partition-statistics',
    snapshotId: requiredLong(record, 'snapshot-id', path),
  }),
  'remove-partition-specs': (record, path) => ({
    action: 'remove-partition-specs',
    specIds: requiredArray(record, 'spec-ids', path, expectInt),
  }),
  'remove-schemas': (record, path) => ({
    action: 'remove-schemas',
    schemaIds: requiredArray(record, 'schema-ids', path, expectInt),
  }),
  'add-encryption-key': (record, path) => ({
    action: 'add-encryption-key',
    encryptionKey: readEncryptedKey(required(record, 'encryption-key', path), fieldPath(path, 'encryption-key')),
  }),
  'remove-encryption-key': (record, path) => ({ action: 'remove-encryption-key', keyId: requiredString(record, 'key-id', path) }),
};

export function validateTableUpdate(value: unknown, path = 'update'): TableUpdate {
  const record = expectObject(value, path);
  const action = requiredString(record, 'action', path);
  if (!Object.hasOwn(READERS, action)) fail(fieldPath(path, 'action'), `unknown action "${action}"`);
  return READERS[action as TableUpdateAction](record, path);
}

export function validateTableUpdates(value: unknown, path = 'updates'): TableUpdate[] {
  return expectBoundedArray(value, path, MAX_UPDATES_PER_COMMIT, 'updates').map((item, index) => validateTableUpdate(item, itemPath(path, index)));
}
