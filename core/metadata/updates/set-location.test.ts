import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aDraft, TABLE_LOCATION } from '../test-fixtures.js';
import { applySetLocation } from './set-location.js';

test('sets the location without a trailing slash', () => {
  const draft = applySetLocation(aDraft(), { action: 'set-location', location: 's3://other/place/' });
  assert.equal(draft.metadata.location, 's3://other/place');
  assert.deepEqual(draft.changes, [{ action: 'set-location', location: 's3://other/place' }]);
});

test('the same location is a no-op', () => {
  assert.deepEqual(applySetLocation(aDraft(), { action: 'set-location', location: `${TABLE_LOCATION}/` }).changes, []);
});
