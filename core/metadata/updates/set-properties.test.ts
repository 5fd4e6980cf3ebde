import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aDraft } from '../test-fixtures.js';
import { applySetProperties } from './set-properties.js';

test('sets properties and records only the changed keys', () => {
  const draft = applySetProperties(aDraft(), {
    action: 'set-properties',
    updates: { 'write.parquet.compression-codec': 'zstd', owner: 'alice' },
  });
  assert.equal(draft.metadata.properties['owner'], 'alice');
  assert.deepEqual(draft.changes, [{ action: 'set-properties', updates: { owner: 'alice' } }]);
});

test('values already set are a no-op', () => {
  assert.deepEqual(applySetProperties(aDraft(), { action: 'set-properties', updates: { 'write.parquet.compression-codec': 'zstd' } }).changes, []);
});

test('a __proto__ key is stored as data', () => {
  const updates = JSON.parse('{"__proto__": "x"}') as Record<string, string>;
  const draft = applySetProperties(aDraft(), { action: 'set-properties', updates });
  assert.ok(Object.hasOwn(draft.metadata.properties, '__proto__'));
  assert.equal(Object.getPrototypeOf(draft.metadata.properties), Object.prototype);
});
