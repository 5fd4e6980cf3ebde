import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ViewMetadata } from './types.js';
import { assertIllegalArgument, aView, aViewVersion, commitToView, replaceUpdates, sql } from './test-fixtures.js';

function replacedTimes(view: ViewMetadata, count: number): ViewMetadata {
  let current = view;
  for (let index = 1; index <= count; index += 1) {
    current = commitToView(current, replaceUpdates({ representations: [sql(`select ${index}`)] })).metadata;
  }
  return current;
}

test('a view keeps 10 versions by default', () => {
  const view = replacedTimes(aView(), 11);
  assert.deepEqual(view.versions.map((version) => version.versionId), [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.deepEqual(view.versionLog.map((entry) => entry.versionId), [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
});

test('version.history.num-entries bounds the versions kept', () => {
  const view = replacedTimes(aView({ properties: { 'version.history.num-entries': '2' } }), 3);
  assert.deepEqual(view.versions.map((version) => version.versionId), [3, 4]);
  assert.deepEqual(view.versionLog.map((entry) => entry.versionId), [3, 4]);
});

test('the current version survives expiry even when it is the oldest', () => {
  const bounded = aView({ properties: { 'version.history.num-entries': '2' } });
  const two = commitToView(bounded, [{ action: 'add-view-version', viewVersion: aViewVersion({ representations: [sql('select 2')] }) }]).metadata;
  const three = commitToView(two, [{ action: 'add-view-version', viewVersion: aViewVersion({ representations: [sql('select 3')] }) }]).metadata;
  assert.equal(three.currentVersionId, 1);
  assert.deepEqual(three.versions.map((version) => version.versionId), [1, 3]);
});

test('the version log restarts after an entry whose version expired', () => {
  const bounded = aView({ properties: { 'version.history.num-entries': '2' } });
  const two = commitToView(bounded, replaceUpdates({ representations: [sql('select 2')] })).metadata;
  const back = commitToView(two, [{ action: 'set-current-view-version', viewVersionId: 1 }]).metadata;
  const three = commitToView(back, replaceUpdates({ representations: [sql('select 3')] })).metadata;
  // Log 1, 2, 1, 3 with version 1 expired: the entry for 2 precedes a hole, so only 3 remains.
  assert.deepEqual(three.versions.map((version) => version.versionId), [2, 3]);
  assert.deepEqual(three.versionLog.map((entry) => entry.versionId), [3]);
});

test('a non-numeric version.history.num-entries is rejected', () => {
  assertIllegalArgument(
    () => commitToView(aView(), [{ action: 'set-properties', updates: { 'version.history.num-entries': 'ten' } }]),
    'version.history.num-entries must be an integer but was ten',
  );
});
