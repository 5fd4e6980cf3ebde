import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aDraft, aTableWithSnapshots, commitTo } from '../test-fixtures.js';
import { applyRemoveSnapshotRef } from './remove-snapshot-ref.js';

test('removes a branch and keeps its snapshot', () => {
  const table = commitTo(aTableWithSnapshots(1), [{ action: 'set-snapshot-ref', refName: 'dev', type: 'branch', snapshotId: 1n }]).metadata;
  const draft = applyRemoveSnapshotRef(aDraft(table), { action: 'remove-snapshot-ref', refName: 'dev' });
  assert.deepEqual(Object.keys(draft.metadata.refs), ['main']);
  assert.equal(draft.metadata.snapshots.length, 1);
});

test('removing main clears the current snapshot', () => {
  const draft = applyRemoveSnapshotRef(aDraft(aTableWithSnapshots(1)), { action: 'remove-snapshot-ref', refName: 'main' });
  assert.equal(draft.metadata.currentSnapshotId, null);
  assert.deepEqual(draft.metadata.refs, {});
});

test('a missing ref is a no-op', () => {
  assert.deepEqual(applyRemoveSnapshotRef(aDraft(), { action: 'remove-snapshot-ref', refName: 'constructor' }).changes, []);
});
