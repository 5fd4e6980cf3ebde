import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aDraft, aField, aSchema, assertBadRequest, aTable, commitTo } from '../test-fixtures.js';
import { applyRemoveSchemas } from './remove-schemas.js';

test('removes a schema that is not current', () => {
  const table = commitTo(aTable(), [
    { action: 'add-schema', schema: aSchema({ fields: [aField(1, 'id', 'long', true), aField(3, 'other', 'int')] }) },
    { action: 'set-current-schema', schemaId: -1 },
  ]).metadata;
  const draft = applyRemoveSchemas(aDraft(table), { action: 'remove-schemas', schemaIds: [0] });
  assert.deepEqual(draft.metadata.schemas.map((schema) => schema.schemaId), [1]);
  assert.equal(draft.metadata.lastColumnId, 3);
});

test('rejects removing the current schema', () => {
  assertBadRequest(() => applyRemoveSchemas(aDraft(), { action: 'remove-schemas', schemaIds: [0] }), 'Cannot remove the current schema');
});

test('unknown ids are a no-op', () => {
  assert.deepEqual(applyRemoveSchemas(aDraft(), { action: 'remove-schemas', schemaIds: [4] }).changes, []);
});
