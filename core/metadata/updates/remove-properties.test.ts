import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aDraft, aTable } from '../test-fixtures.js';
import { applyRemoveProperties } from './remove-properties.js';

test('removes properties and records only keys that were set', () => {
  const draft = applyRemoveProperties(aDraft(aTable({ properties: { owner: 'alice' } })), {
    action: 'remove-properties',
    removals: ['owner', 'missing'],
  });
  assert.equal(Object.hasOwn(draft.metadata.properties, 'owner'), false);
  assert.deepEqual(draft.changes, [{ action: 'remove-properties', removals: ['owner'] }]);
});

test('removing keys that are not set is a no-op', () => {
  assert.deepEqual(applyRemoveProperties(aDraft(), { action: 'remove-properties', removals: ['missing', 'toString'] }).changes, []);
});
