import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aField, aSchema } from '../../test-fixtures.js';
import { aViewDraft } from '../test-fixtures.js';
import { applyViewAddSchema } from './add-schema.js';

const other = aSchema({ fields: [aField(1, 'some_id', 'int', true)] });

test('a new schema gets max+1 and keeps the client field ids', () => {
  const draft = applyViewAddSchema(aViewDraft(), { action: 'add-schema', schema: { ...other, schemaId: 42 } });
  assert.deepEqual(draft.metadata.schemas.map((schema) => schema.schemaId), [0, 1]);
  assert.deepEqual(draft.changes, [{ action: 'add-schema', schema: { schemaId: 1, fields: other.fields, identifierFieldIds: [] } }]);
  assert.equal(draft.lastAddedSchemaId, 1);
});

test('an identical schema is reused without a change but counts as last added', () => {
  const draft = applyViewAddSchema(aViewDraft(), { action: 'add-schema', schema: aSchema() });
  assert.deepEqual(draft.changes, []);
  assert.equal(draft.metadata.schemas.length, 1);
  assert.equal(draft.lastAddedSchemaId, 0);
});
