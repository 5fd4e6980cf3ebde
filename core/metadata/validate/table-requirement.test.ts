import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson } from '../../json/lossless-json.js';
import { assertBadRequest } from '../test-fixtures.js';
import { validateCatalogRequirements, validateTableRequirements } from './table-requirement.js';

test('reads every requirement type', () => {
  const requirements = validateTableRequirements([
    { type: 'assert-create' },
    { type: 'assert-table-uuid', uuid: 'u' },
    { type: 'assert-ref-snapshot-id', ref: 'main', 'snapshot-id': null },
    { type: 'assert-ref-snapshot-id', ref: 'main', 'snapshot-id': 5 },
    { type: 'assert-last-assigned-field-id', 'last-assigned-field-id': 3 },
    { type: 'assert-current-schema-id', 'current-schema-id': 0 },
    { type: 'assert-last-assigned-partition-id', 'last-assigned-partition-id': 999 },
    { type: 'assert-default-spec-id', 'default-spec-id': 0 },
    { type: 'assert-default-sort-order-id', 'default-sort-order-id': 0 },
  ]);
  assert.equal(requirements.length, 9);
  assert.deepEqual(requirements[2], { type: 'assert-ref-snapshot-id', ref: 'main', snapshotId: null });
  assert.deepEqual(requirements[3], { type: 'assert-ref-snapshot-id', ref: 'main', snapshotId: 5n });
});

test('assert-ref-snapshot-id requires snapshot-id to be present, even as null', () => {
  assertBadRequest(() => validateTableRequirements([{ type: 'assert-ref-snapshot-id', ref: 'main' }]), 'requirements[0].snapshot-id: required field is missing');
});

test('a large snapshot id keeps its exact value', () => {
  const [requirement] = validateTableRequirements(parseJson('[{"type":"assert-ref-snapshot-id","ref":"main","snapshot-id":-9223372036854775808}]'));
  assert.deepEqual(requirement, { type: 'assert-ref-snapshot-id', ref: 'main', snapshotId: -9223372036854775808n });
});

test('an unknown requirement type is rejected by name', () => {
  assertBadRequest(() => validateTableRequirements([{ type: 'assert-view-uuid', uuid: 'u' }]), 'requirements[0].type: unknown requirement type "assert-view-uuid"');
});

test('requirements must be an array of objects', () => {
  assertBadRequest(() => validateTableRequirements({}), 'requirements: expected an array, got an object');
  assertBadRequest(() => validateTableRequirements([null]), 'requirements[0]: expected an object, got null');
});

test('the catalog-internal assert-snapshots-unreferenced is refused from a client, and read back from the catalog\'s own intents', () => {
  const internal = { type: 'assert-snapshots-unreferenced', 'snapshot-ids': [1, 9223372036854775807n], 'except-refs': ['old'] };
  assert.throws(() => validateTableRequirements([internal]), /unknown requirement type "assert-snapshots-unreferenced"/);
  assert.deepEqual(validateCatalogRequirements([internal]), [{ type: 'assert-snapshots-unreferenced', snapshotIds: [1n, 9223372036854775807n], exceptRefs: ['old'] }]);
});
