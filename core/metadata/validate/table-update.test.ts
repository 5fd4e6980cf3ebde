import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson } from '../../json/lossless-json.js';
import { assertBadRequest } from '../test-fixtures.js';
import { validateTableUpdate, validateTableUpdates } from './table-update.js';

const snapshotJson = {
  'snapshot-id': 1,
  'sequence-number': 1,
  'timestamp-ms': 1700000000000,
  'manifest-list': 's3://b/m.avro',
  summary: { operation: 'append', 'added-files': '1' },
};

test('reads every table action from its JSON form', () => {
  const updates = validateTableUpdates([
    { action: 'assign-uuid', uuid: 'u' },
    { action: 'upgrade-format-version', 'format-version': 3 },
    { action: 'add-schema', schema: { type: 'struct', 'schema-id': 4, fields: [{ id: 1, name: 'a', required: true, type: 'Decimal( 9 ,2)' }] }, 'last-column-id': 1 },
    { action: 'set-current-schema', 'schema-id': -1 },
    { action: 'add-spec', spec: { fields: [{ 'source-id': 1, name: 'a_b', transform: 'BUCKET[4]' }] } },
    { action: 'set-default-spec', 'spec-id': -1 },
    { action: 'add-sort-order', 'sort-order': { 'order-id': 1, fields: [{ 'source-id': 1, transform: 'identity', direction: 'asc', 'null-order': 'nulls-first' }] } },
    { action: 'set-default-sort-order', 'sort-order-id': -1 },
    { action: 'add-snapshot', snapshot: snapshotJson },
    { action: 'set-snapshot-ref', 'ref-name': 'main', type: 'branch', 'snapshot-id': 1, 'max-ref-age-ms': 10 },
    { action: 'remove-snapshots', 'snapshot-ids': [1, 2] },
    { action: 'remove-snapshot-ref', 'ref-name': 'dev' },
    { action: 'set-location', location: 's3://b/t' },
    { action: 'set-properties', updates: { a: 'b' } },
    { action: 'remove-properties', removals: ['a'] },
    { action: 'set-statistics', 'snapshot-id': 1, statistics: { 'snapshot-id': 1, 'statistics-path': 'p', 'file-size-in-bytes': 1, 'file-footer-size-in-bytes': 1, 'blob-metadata': [] } },
    { action: 'remove-statistics', 'snapshot-id': 1 },
    { action: 'set-partition-statistics', 'partition-statistics': { 'snapshot-id': 1, 'statistics-path': 'p', 'file-size-in-bytes': 1 } },
    { action: 'remove-partition-statistics', 'snapshot-id': 1 },
    { action: 'remove-partition-specs', 'spec-ids': [1] },
    { action: 'remove-schemas', 'schema-ids': [1] },
    { action: 'add-encryption-key', 'encryption-key': { 'key-id': 'k', 'encrypted-key-metadata': 'AA==' } },
    { action: 'remove-encryption-key', 'key-id': 'k' },
  ]);
  assert.equal(updates.length, 23);
  assert.deepEqual(updates[2], {
    action: 'add-schema',
    schema: { schemaId: 4, fields: [{ id: 1, name: 'a', required: true, type: 'decimal(9, 2)' }], identifierFieldIds: [] },
    lastColumnId: 1,
  });
  assert.deepEqual(updates[4], { action: 'add-spec', spec: { fields: [{ sourceId: 1, name: 'a_b', transform: 'bucket[4]' }] } });
  assert.deepEqual(updates[9], { action: 'set-snapshot-ref', refName: 'main', type: 'branch', snapshotId: 1n, maxRefAgeMs: 10n });
  assert.deepEqual(updates[10], { action: 'remove-snapshots', snapshotIds: [1n, 2n] });
});

test('an unknown action is rejected by name', () => {
  assertBadRequest(() => validateTableUpdates([{ action: 'add-view-version' }]), 'updates[0].action: unknown action "add-view-version"');
  assertBadRequest(() => validateTableUpdate({ action: 'constructor' }), 'update.action: unknown action "constructor"');
});

test('a wrong type names the field path', () => {
  const updates = [{ action: 'set-location', location: 's3://b' }, { action: 'set-location', location: 's3://c' }, { action: 'add-snapshot', snapshot: { ...snapshotJson, 'snapshot-id': 1.5 } }];
  assertBadRequest(() => validateTableUpdates(updates), 'updates[2].snapshot.snapshot-id: expected a 64-bit integer');
});

test('a missing field names the field path', () => {
  assertBadRequest(() => validateTableUpdates([{ action: 'add-snapshot', snapshot: { ...snapshotJson, summary: undefined } }]), 'updates[0].snapshot.summary: required field is missing');
  assertBadRequest(() => validateTableUpdate({ action: 'set-current-schema' }), 'update.schema-id: required field is missing');
});

test('ids near 2^63 from lossless JSON arrive as exact bigints', () => {
  const update = validateTableUpdate(parseJson('{"action":"remove-snapshots","snapshot-ids":[9223372036854775807,-9223372036854775808]}'));
  assert.deepEqual(update, { action: 'remove-snapshots', snapshotIds: [9223372036854775807n, -9223372036854775808n] });
});

test('ids beyond 64 bits or rounded by plain JSON.parse are rejected', () => {
  assertBadRequest(() => validateTableUpdate(parseJson('{"action":"remove-statistics","snapshot-id":9223372036854775808}')), 'update.snapshot-id: expected a 64-bit integer');
  assertBadRequest(() => validateTableUpdate({ action: 'remove-statistics', 'snapshot-id': 9223372036854775807 }), 'update.snapshot-id: expected a 64-bit integer');
});

test('32-bit ids must be 32-bit integers', () => {
  assertBadRequest(() => validateTableUpdate({ action: 'set-default-spec', 'spec-id': 2 ** 31 }), 'update.spec-id: expected a 32-bit integer');
  assertBadRequest(() => validateTableUpdate({ action: 'set-default-spec', 'spec-id': '1' }), 'update.spec-id: expected a 32-bit integer');
});

test('tags cannot carry branch retention settings', () => {
  assertBadRequest(
    () => validateTableUpdate({ action: 'set-snapshot-ref', 'ref-name': 't', type: 'tag', 'snapshot-id': 1, 'min-snapshots-to-keep': 2 }),
    'update.min-snapshots-to-keep: tags do not support setting minSnapshotsToKeep',
  );
});

test('a malformed transform is rejected', () => {
  assertBadRequest(
    () => validateTableUpdate({ action: 'add-spec', spec: { fields: [{ 'source-id': 1, name: 'b', transform: 'bucket[0]' }] } }),
    'update.spec.fields[0].transform: invalid transform "bucket[0]": number of buckets must be > 0',
  );
});

test('negative added-rows is rejected', () => {
  assertBadRequest(
    () => validateTableUpdate({ action: 'add-snapshot', snapshot: { ...snapshotJson, 'first-row-id': 0, 'added-rows': -1 } }),
    'update.snapshot.added-rows: must not be negative',
  );
});

test('property maps keep a __proto__ key as data', () => {
  const update = validateTableUpdate(parseJson('{"action":"set-properties","updates":{"__proto__":"x"}}'));
  assert.ok(update.action === 'set-properties' && Object.hasOwn(update.updates, '__proto__'));
  assert.equal(Object.getPrototypeOf(update.action === 'set-properties' ? update.updates : {}), Object.prototype);
});
