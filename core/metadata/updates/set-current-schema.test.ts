import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aDraft, aField, aSchema, assertBadRequest } from '../test-fixtures.js';
import { applyAddSchema } from './add-schema.js';
import { applySetCurrentSchema } from './set-current-schema.js';

const wider = aSchema({ fields: [aField(1, 'id', 'long', true), aField(2, 'data', 'string'), aField(3, 'extra', 'int')] });

test('sets an existing schema as current', () => {
  const added = applyAddSchema(aDraft(), { action: 'add-schema', schema: wider });
  const draft = applySetCurrentSchema(added, { action: 'set-current-schema', schemaId: 1 });
  assert.equal(draft.metadata.currentSchemaId, 1);
  assert.deepEqual(draft.changes.at(-1), { action: 'set-current-schema', schemaId: 1 });
});

test('-1 means the schema added last in this commit', () => {
  const added = applyAddSchema(aDraft(), { action: 'add-schema', schema: wider });
  const draft = applySetCurrentSchema(added, { action: 'set-current-schema', schemaId: -1 });
  assert.equal(draft.metadata.currentSchemaId, 1);
  assert.deepEqual(draft.changes.at(-1), { action: 'set-current-schema', schemaId: 1 });
});

test('-1 without an added schema is rejected', () => {
  assertBadRequest(
    () => applySetCurrentSchema(aDraft(), { action: 'set-current-schema', schemaId: -1 }),
    'Cannot set last added schema: no schema has been added',
  );
});

test('-1 after re-adding a schema that existed before the commit is rejected', () => {
  const readded = applyAddSchema(aDraft(), { action: 'add-schema', schema: aSchema() });
  assertBadRequest(() => applySetCurrentSchema(readded, { action: 'set-current-schema', schemaId: -1 }), /no schema has been added/);
});

test('the current schema is a no-op', () => {
  assert.deepEqual(applySetCurrentSchema(aDraft(), { action: 'set-current-schema', schemaId: 0 }).changes, []);
});

test('an unknown schema id is rejected', () => {
  assertBadRequest(
    () => applySetCurrentSchema(aDraft(), { action: 'set-current-schema', schemaId: 7 }),
    'Cannot set current schema to unknown schema: 7',
  );
});
