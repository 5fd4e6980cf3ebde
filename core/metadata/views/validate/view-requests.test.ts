import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertBadRequest } from '../../test-fixtures.js';
import { validateCommitViewRequest, validateCreateViewRequest, validateRegisterViewRequest } from './view-requests.js';
import { validateViewRequirements } from './view-requirement.js';
import { validateViewUpdates } from './view-update.js';

const version = {
  'version-id': 1,
  'timestamp-ms': 1,
  'schema-id': 5,
  summary: { 'engine-name': 'spark' },
  representations: [{ type: 'sql', sql: 'select 1', dialect: 'spark' }],
  'default-namespace': ['ns'],
};
const schema = { type: 'struct', 'schema-id': 5, fields: [{ id: 1, name: 'a', required: false, type: 'int' }] };

test('a create request is read with its version and schema', () => {
  const request = validateCreateViewRequest({ name: 'v', schema, 'view-version': version, properties: { a: 'b' } });
  assert.equal(request.name, 'v');
  assert.equal(request.location, undefined);
  assert.equal(request.viewVersion.representations[0]?.dialect, 'spark');
  assert.deepEqual(request.properties, { a: 'b' });
});

test('a create request without properties reads as empty properties', () => {
  assert.deepEqual(validateCreateViewRequest({ name: 'v', schema, 'view-version': version }).properties, {});
});

test('a create request without default-namespace is rejected with its path', () => {
  const { 'default-namespace': _omitted, ...withoutNamespace } = version;
  assertBadRequest(
    () => validateCreateViewRequest({ name: 'v', schema, 'view-version': withoutNamespace }),
    'view-version.default-namespace: required field is missing',
  );
});

test('every view action is read', () => {
  const updates = validateViewUpdates([
    { action: 'assign-uuid', uuid: 'u' },
    { action: 'upgrade-format-version', 'format-version': 1 },
    { action: 'add-schema', schema, 'last-column-id': 1 },
    { action: 'set-location', location: 's3://x' },
    { action: 'set-properties', updates: { a: 'b' } },
    { action: 'remove-properties', removals: ['a'] },
    { action: 'add-view-version', 'view-version': { ...version, 'schema-id': -1 } },
    { action: 'set-current-view-version', 'view-version-id': -1 },
  ]);
  assert.deepEqual(updates.map((update) => update.action), [
    'assign-uuid', 'upgrade-format-version', 'add-schema', 'set-location', 'set-properties', 'remove-properties', 'add-view-version',
    'set-current-view-version',
  ]);
});

test('an unknown view action is rejected, naming it', () => {
  assertBadRequest(() => validateViewUpdates([{ action: 'add-snapshot', snapshot: {} }]), 'updates[0].action: unknown view action "add-snapshot"');
});

test('an unknown view requirement type is rejected, naming it', () => {
  assertBadRequest(() => validateViewRequirements([{ type: 'assert-table-uuid', uuid: 'u' }]), 'requirements[0].type: unknown view requirement type "assert-table-uuid"');
});

test('a commit request may omit requirements but not updates', () => {
  assert.deepEqual(validateCommitViewRequest({ updates: [] }), { requirements: [], updates: [] });
  assertBadRequest(() => validateCommitViewRequest({ requirements: [] }), 'updates: required field is missing');
});

test('a register request needs a name and a metadata location', () => {
  assert.deepEqual(validateRegisterViewRequest({ name: 'v', 'metadata-location': 's3://m.json' }), { name: 'v', metadataLocation: 's3://m.json' });
  assertBadRequest(() => validateRegisterViewRequest({ name: 'v', 'metadata-location': '' }), 'metadata-location: must not be empty');
});

test('a 64-bit version timestamp in a request stays exact', () => {
  const [update] = validateViewUpdates([{ action: 'add-view-version', 'view-version': { ...version, 'timestamp-ms': 9223372036854775807n } }]);
  assert.equal(update?.action === 'add-view-version' ? update.viewVersion.timestampMs : undefined, 9223372036854775807n);
});
