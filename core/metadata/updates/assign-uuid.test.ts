import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyDraft } from '../draft.js';
import { aDraft, assertBadRequest, TABLE_UUID } from '../test-fixtures.js';
import { applyAssignUuid } from './assign-uuid.js';

const NEW_UUID = '11111111-2222-4333-8444-555555555555';

test('assigns the uuid while the table is being created', () => {
  const draft = applyAssignUuid(emptyDraft(2, 'generated', 's3://b/t', 0n), { action: 'assign-uuid', uuid: NEW_UUID });
  assert.equal(draft.metadata.tableUuid, NEW_UUID);
  assert.deepEqual(draft.changes, [{ action: 'assign-uuid', uuid: NEW_UUID }]);
});

test('the same uuid, in any case, is a no-op', () => {
  const draft = applyAssignUuid(aDraft(), { action: 'assign-uuid', uuid: TABLE_UUID.toUpperCase() });
  assert.deepEqual(draft.changes, []);
});

test('rejects reassigning the uuid of an existing table', () => {
  assertBadRequest(() => applyAssignUuid(aDraft(), { action: 'assign-uuid', uuid: NEW_UUID }), /Cannot reassign the uuid of an existing table/);
});
