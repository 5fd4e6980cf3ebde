import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aDraft, aPartitionField, assertBadRequest } from '../test-fixtures.js';
import { applyAddSpec } from './add-spec.js';
import { applySetDefaultSpec } from './set-default-spec.js';

test('-1 sets the spec added last in this commit', () => {
  const added = applyAddSpec(aDraft(), { action: 'add-spec', spec: { fields: [aPartitionField()] } });
  const draft = applySetDefaultSpec(added, { action: 'set-default-spec', specId: -1 });
  assert.equal(draft.metadata.defaultSpecId, 1);
  assert.deepEqual(draft.changes.at(-1), { action: 'set-default-spec', specId: 1 });
});

test('-1 without an added spec is rejected', () => {
  assertBadRequest(() => applySetDefaultSpec(aDraft(), { action: 'set-default-spec', specId: -1 }), 'Cannot set last added spec: no spec has been added');
});

test('the default spec is a no-op', () => {
  assert.deepEqual(applySetDefaultSpec(aDraft(), { action: 'set-default-spec', specId: 0 }).changes, []);
});

test('an unknown spec id is rejected', () => {
  assertBadRequest(
    () => applySetDefaultSpec(aDraft(), { action: 'set-default-spec', specId: 3 }),
    'Cannot set default partition spec to unknown spec: 3',
  );
});
