import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aDraft, aPartitionField, assertBadRequest, aTable, commitTo } from '../test-fixtures.js';
import { applyRemovePartitionSpecs } from './remove-partition-specs.js';

const tableWithTwoSpecs = () =>
  commitTo(aTable(), [
    { action: 'add-spec', spec: { fields: [aPartitionField()] } },
    { action: 'set-default-spec', specId: -1 },
  ]).metadata;

test('removes a spec that is not the default', () => {
  const draft = applyRemovePartitionSpecs(aDraft(tableWithTwoSpecs()), { action: 'remove-partition-specs', specIds: [0, 17] });
  assert.deepEqual(draft.metadata.partitionSpecs.map((spec) => spec.specId), [1]);
  assert.deepEqual(draft.changes, [{ action: 'remove-partition-specs', specIds: [0] }]);
});

test('rejects removing the default spec', () => {
  assertBadRequest(() => applyRemovePartitionSpecs(aDraft(), { action: 'remove-partition-specs', specIds: [0] }), 'Cannot remove the default partition spec');
});

test('unknown ids are a no-op', () => {
  assert.deepEqual(applyRemovePartitionSpecs(aDraft(), { action: 'remove-partition-specs', specIds: [5] }).changes, []);
});
