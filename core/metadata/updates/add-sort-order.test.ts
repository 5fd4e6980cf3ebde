import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyDraft } from '../draft.js';
import { aDraft, aSortField, assertBadRequest, aTable } from '../test-fixtures.js';
import { applyAddSortOrder } from './add-sort-order.js';

test('the first sorted order gets id 1', () => {
  const draft = applyAddSortOrder(aDraft(), { action: 'add-sort-order', sortOrder: { orderId: 9, fields: [aSortField()] } });
  assert.deepEqual(draft.metadata.sortOrders.at(-1), { orderId: 1, fields: [aSortField()] });
  assert.equal(draft.lastAddedOrderId, 1);
});

test('later sorted orders get max+1', () => {
  const table = aTable({ sortFields: [aSortField()] });
  const draft = applyAddSortOrder(aDraft(table), { action: 'add-sort-order', sortOrder: { fields: [aSortField({ direction: 'desc' })] } });
  assert.equal(draft.metadata.sortOrders.at(-1)?.orderId, 2);
});

test('an identical order is reused', () => {
  const table = aTable({ sortFields: [aSortField()] });
  const draft = applyAddSortOrder(aDraft(table), { action: 'add-sort-order', sortOrder: { fields: [aSortField()] } });
  assert.deepEqual(draft.changes, []);
});

test('unsorted is order 0, reused when present', () => {
  assert.deepEqual(applyAddSortOrder(aDraft(), { action: 'add-sort-order', sortOrder: { fields: [] } }).changes, []);
  const created = applyAddSortOrder(emptyDraft(2, 'u', 's3://b/t', 0n), { action: 'add-sort-order', sortOrder: { fields: [] } });
  assert.deepEqual(created.metadata.sortOrders, [{ orderId: 0, fields: [] }]);
});

test('rejects a sort on a missing column', () => {
  assertBadRequest(
    () => applyAddSortOrder(aDraft(), { action: 'add-sort-order', sortOrder: { fields: [aSortField({ sourceId: 99 })] } }),
    /Cannot find source column for sort field/,
  );
});
