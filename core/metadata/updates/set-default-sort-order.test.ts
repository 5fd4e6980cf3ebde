import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aDraft, aSortField, assertBadRequest } from '../test-fixtures.js';
import { applyAddSortOrder } from './add-sort-order.js';
import { applySetDefaultSortOrder } from './set-default-sort-order.js';

test('-1 sets the order added last in this commit', () => {
  const added = applyAddSortOrder(aDraft(), { action: 'add-sort-order', sortOrder: { fields: [aSortField()] } });
  const draft = applySetDefaultSortOrder(added, { action: 'set-default-sort-order', sortOrderId: -1 });
  assert.equal(draft.metadata.defaultSortOrderId, 1);
  assert.deepEqual(draft.changes.at(-1), { action: 'set-default-sort-order', sortOrderId: 1 });
});

test('-1 without an added order is rejected', () => {
  assertBadRequest(
    () => applySetDefaultSortOrder(aDraft(), { action: 'set-default-sort-order', sortOrderId: -1 }),
    'Cannot set last added sort order: no sort order has been added',
  );
});

test('the default order is a no-op', () => {
  assert.deepEqual(applySetDefaultSortOrder(aDraft(), { action: 'set-default-sort-order', sortOrderId: 0 }).changes, []);
});

test('an unknown order id is rejected', () => {
  assertBadRequest(
    () => applySetDefaultSortOrder(aDraft(), { action: 'set-default-sort-order', sortOrderId: 5 }),
    'Cannot set default sort order to unknown sort order: 5',
  );
});
