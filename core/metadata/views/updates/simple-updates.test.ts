import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertBadRequest } from '../../test-fixtures.js';
import { aView, aViewDraft, VIEW_UUID } from '../test-fixtures.js';
import { applyViewAssignUuid } from './assign-uuid.js';
import { applyViewRemoveProperties } from './remove-properties.js';
import { applyViewSetLocation } from './set-location.js';
import { applyViewSetProperties } from './set-properties.js';
import { applyViewUpgradeFormatVersion } from './upgrade-format-version.js';

test('assign-uuid with the same uuid in any case is a no-op', () => {
  assert.deepEqual(applyViewAssignUuid(aViewDraft(), { action: 'assign-uuid', uuid: VIEW_UUID.toUpperCase() }).changes, []);
});

test('assign-uuid cannot change an existing view uuid', () => {
  assertBadRequest(
    () => applyViewAssignUuid(aViewDraft(), { action: 'assign-uuid', uuid: 'other' }),
    `Cannot reassign the uuid of an existing view: ${VIEW_UUID} != other`,
  );
});

test('upgrade-format-version to 1 is a no-op; other versions are rejected', () => {
  assert.deepEqual(applyViewUpgradeFormatVersion(aViewDraft(), { action: 'upgrade-format-version', formatVersion: 1 }).changes, []);
  assertBadRequest(
    () => applyViewUpgradeFormatVersion(aViewDraft(), { action: 'upgrade-format-version', formatVersion: 2 }),
    'Cannot upgrade view to unsupported format version: v2 (supported: v1)',
  );
  assertBadRequest(() => applyViewUpgradeFormatVersion(aViewDraft(), { action: 'upgrade-format-version', formatVersion: 0 }), 'Cannot downgrade v1 view to v0');
});

test('set-location stores the location as sent and skips an unchanged one', () => {
  const draft = applyViewSetLocation(aViewDraft(), { action: 'set-location', location: 's3://other/loc/' });
  assert.equal(draft.metadata.location, 's3://other/loc/');
  assert.deepEqual(applyViewSetLocation(aViewDraft(), { action: 'set-location', location: aView().location }).changes, []);
});

test('set-properties records only values that change', () => {
  const draft = applyViewSetProperties(aViewDraft(aView({ properties: { a: '1' } })), { action: 'set-properties', updates: { a: '1', b: '2' } });
  assert.deepEqual(draft.metadata.properties, { a: '1', b: '2' });
  assert.deepEqual(draft.changes, [{ action: 'set-properties', updates: { b: '2' } }]);
});

test('remove-properties records only keys that were set', () => {
  const draft = applyViewRemoveProperties(aViewDraft(aView({ properties: { a: '1' } })), { action: 'remove-properties', removals: ['a', 'x', 'a'] });
  assert.deepEqual(draft.metadata.properties, {});
  assert.deepEqual(draft.changes, [{ action: 'remove-properties', removals: ['a'] }]);
});

test('a __proto__ property key stays plain data', () => {
  const draft = applyViewSetProperties(aViewDraft(), { action: 'set-properties', updates: JSON.parse('{"__proto__":"x"}') as Record<string, string> });
  assert.equal(Object.getPrototypeOf(draft.metadata.properties), Object.prototype);
  assert.equal(Object.hasOwn(draft.metadata.properties, '__proto__'), true);
});
