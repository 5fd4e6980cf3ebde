import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyDraft } from '../draft.js';
import { aDraft, aField, aPartitionField, aSchema, assertBadRequest, aTable } from '../test-fixtures.js';
import { applyAddSpec } from './add-spec.js';

const withTimestamp = aSchema({ fields: [aField(1, 'id', 'long', true), aField(2, 'data', 'string'), aField(3, 'ts', 'timestamp')] });

test('a new spec gets max+1 and field ids after last-partition-id', () => {
  const draft = applyAddSpec(aDraft(), { action: 'add-spec', spec: { fields: [aPartitionField()] } });
  assert.deepEqual(draft.metadata.partitionSpecs.at(-1), {
    specId: 1,
    fields: [{ sourceId: 1, name: 'id_bucket', transform: 'bucket[16]', fieldId: 1000 }],
  });
  assert.equal(draft.metadata.lastPartitionId, 1000);
  assert.equal(draft.lastAddedSpecId, 1);
});

test('client field ids are kept and raise last-partition-id', () => {
  const draft = applyAddSpec(aDraft(), { action: 'add-spec', spec: { fields: [aPartitionField({ fieldId: 1005 })] } });
  assert.equal(draft.metadata.partitionSpecs.at(-1)?.fields[0]?.fieldId, 1005);
  assert.equal(draft.metadata.lastPartitionId, 1005);
});

test('an equivalent spec is reused whatever its field ids', () => {
  const table = aTable({ partitionFields: [aPartitionField()] });
  const draft = applyAddSpec(aDraft(table), { action: 'add-spec', spec: { fields: [aPartitionField({ fieldId: 1042 })] } });
  assert.deepEqual(draft.changes, []);
  assert.equal(draft.metadata.partitionSpecs.length, 1);
});

test('a field with the same source and transform as an earlier spec reuses its field id', () => {
  const table = aTable({ schema: withTimestamp, partitionFields: [aPartitionField()] });
  const draft = applyAddSpec(aDraft(table), {
    action: 'add-spec',
    spec: { fields: [aPartitionField(), aPartitionField({ sourceId: 3, name: 'ts_day', transform: 'day' })] },
  });
  assert.deepEqual(draft.metadata.partitionSpecs.at(-1)?.fields.map((field) => field.fieldId), [1000, 1001]);
});

test('rejects a source column that does not exist', () => {
  assertBadRequest(
    () => applyAddSpec(aDraft(), { action: 'add-spec', spec: { fields: [aPartitionField({ sourceId: 99 })] } }),
    /Cannot find source column for partition field/,
  );
});

test('rejects a transform that does not apply to the source type', () => {
  assertBadRequest(
    () => applyAddSpec(aDraft(), { action: 'add-spec', spec: { fields: [aPartitionField({ sourceId: 2, name: 'd', transform: 'hour' })] } }),
    'Invalid source type string for transform: hour',
  );
});

test('v1 requires sequential field ids from 1000', () => {
  assertBadRequest(
    () => applyAddSpec(aDraft(aTable({ formatVersion: 1 })), { action: 'add-spec', spec: { fields: [aPartitionField({ fieldId: 1003 })] } }),
    /Spec does not use sequential IDs that are required in v1/,
  );
});

test('v1 numbers fields without ids sequentially from 1000', () => {
  const draft = applyAddSpec(aDraft(aTable({ formatVersion: 1 })), { action: 'add-spec', spec: { fields: [aPartitionField()] } });
  assert.equal(draft.metadata.partitionSpecs.at(-1)?.fields[0]?.fieldId, 1000);
});

test('a spec needs a current schema to bind to', () => {
  assertBadRequest(
    () => applyAddSpec(emptyDraft(2, 'u', 's3://b/t', 0n), { action: 'add-spec', spec: { fields: [aPartitionField()] } }),
    'Cannot add a partition spec: the table has no current schema',
  );
});
