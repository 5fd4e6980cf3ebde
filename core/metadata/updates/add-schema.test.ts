import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aDraft, aField, aSchema, assertBadRequest, aTable } from '../test-fixtures.js';
import { applyAddSchema } from './add-schema.js';
import { applySetCurrentSchema } from './set-current-schema.js';

const wider = aSchema({ fields: [aField(1, 'id', 'long', true), aField(2, 'data', 'string'), aField(3, 'extra', 'int')] });

test('a new schema gets max+1 and raises last-column-id', () => {
  const draft = applyAddSchema(aDraft(), { action: 'add-schema', schema: { ...wider, schemaId: 42 } });
  assert.deepEqual(draft.metadata.schemas.map((schema) => schema.schemaId), [0, 1]);
  assert.equal(draft.metadata.lastColumnId, 3);
  assert.equal(draft.lastAddedSchemaId, 1);
  assert.deepEqual(draft.changes, [{ action: 'add-schema', schema: { schemaId: 1, fields: wider.fields, identifierFieldIds: [] } }]);
});

test('an identical existing schema is reused without a change', () => {
  const draft = applyAddSchema(aDraft(), { action: 'add-schema', schema: aSchema() });
  assert.deepEqual(draft.changes, []);
  assert.equal(draft.metadata.schemas.length, 1);
  assert.equal(draft.lastAddedSchemaId, undefined);
});

test('re-adding a schema added earlier in the same commit keeps it as the last added', () => {
  const once = applyAddSchema(aDraft(), { action: 'add-schema', schema: wider });
  const twice = applyAddSchema(once, { action: 'add-schema', schema: wider });
  assert.equal(twice.lastAddedSchemaId, 1);
  assert.equal(applySetCurrentSchema(twice, { action: 'set-current-schema', schemaId: -1 }).metadata.currentSchemaId, 1);
});

test('last-column-id never decreases when a schema drops columns', () => {
  const dropped = aSchema({ fields: [aField(1, 'id', 'long', true)] });
  const draft = applyAddSchema(aDraft(aTable({ schema: wider })), { action: 'add-schema', schema: dropped });
  assert.equal(draft.metadata.lastColumnId, 3);
});

test('rejects a v3-only type on a v2 table', () => {
  const withVariant = aSchema({ fields: [aField(1, 'id', 'long', true), aField(2, 'v', 'variant')] });
  assertBadRequest(
    () => applyAddSchema(aDraft(), { action: 'add-schema', schema: withVariant }),
    'Invalid schema for v2: - Invalid type for v: variant is not supported until v3',
  );
});

test('accepts a v3-only type on a v3 table', () => {
  const withVariant = aSchema({ fields: [aField(1, 'id', 'long', true), aField(2, 'v', 'variant')] });
  const draft = applyAddSchema(aDraft(aTable({ formatVersion: 3 })), { action: 'add-schema', schema: withVariant });
  assert.equal(draft.metadata.schemas.length, 2);
});

test('rejects a non-null initial default below v3', () => {
  const withDefault = aSchema({ fields: [aField(1, 'id', 'long', true), { ...aField(3, 'n', 'int'), initialDefault: 5 }] });
  assertBadRequest(
    () => applyAddSchema(aDraft(), { action: 'add-schema', schema: withDefault }),
    'Invalid schema for v2: - Invalid initial default for n: non-null default (5) is not supported until v3',
  );
});
