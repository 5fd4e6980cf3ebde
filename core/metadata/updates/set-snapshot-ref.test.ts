import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aDraft, aSnapshot, assertBadRequest, aTableWithSnapshots, NOW } from '../test-fixtures.js';
import { applyAddSnapshot } from './add-snapshot.js';
import { applySetSnapshotRef } from './set-snapshot-ref.js';

test('moving main makes the snapshot current and logs it at the snapshot time when added in this commit', () => {
  const snapshot = aSnapshot({ id: 7n, timestampMs: 123n });
  const added = applyAddSnapshot(aDraft(), { action: 'add-snapshot', snapshot });
  const draft = applySetSnapshotRef(added, { action: 'set-snapshot-ref', refName: 'main', type: 'branch', snapshotId: 7n });
  assert.equal(draft.metadata.currentSnapshotId, 7n);
  assert.deepEqual(draft.metadata.refs, { main: { snapshotId: 7n, type: 'branch' } });
  assert.deepEqual(draft.metadata.snapshotLog, [{ timestampMs: 123n, snapshotId: 7n }]);
});

test('a rollback to an older snapshot is logged at the commit time', () => {
  const table = aTableWithSnapshots(2);
  const draft = applySetSnapshotRef(aDraft(table), { action: 'set-snapshot-ref', refName: 'main', type: 'branch', snapshotId: 1n });
  assert.equal(draft.metadata.currentSnapshotId, 1n);
  assert.deepEqual(draft.metadata.snapshotLog.at(-1), { timestampMs: BigInt(NOW), snapshotId: 1n });
});

test('other refs keep their retention settings and leave the current snapshot alone', () => {
  const table = aTableWithSnapshots(2);
  const draft = applySetSnapshotRef(aDraft(table), {
    action: 'set-snapshot-ref',
    refName: 'audit',
    type: 'branch',
    snapshotId: 1n,
    minSnapshotsToKeep: 3,
    maxSnapshotAgeMs: 1000n,
    maxRefAgeMs: 2000n,
  });
  assert.deepEqual(draft.metadata.refs['audit'], { snapshotId: 1n, type: 'branch', minSnapshotsToKeep: 3, maxSnapshotAgeMs: 1000n, maxRefAgeMs: 2000n });
  assert.equal(draft.metadata.currentSnapshotId, 2n);
  assert.equal(draft.metadata.snapshotLog.length, table.snapshotLog.length);
});

test('an identical ref is a no-op', () => {
  const draft = applySetSnapshotRef(aDraft(aTableWithSnapshots(1)), { action: 'set-snapshot-ref', refName: 'main', type: 'branch', snapshotId: 1n });
  assert.deepEqual(draft.changes, []);
});

test('rejects a ref to an unknown snapshot', () => {
  assertBadRequest(
    () => applySetSnapshotRef(aDraft(), { action: 'set-snapshot-ref', refName: 'main', type: 'branch', snapshotId: 5n }),
    'Cannot set main to unknown snapshot: 5',
  );
});

test('rejects main as a tag', () => {
  assertBadRequest(
    () => applySetSnapshotRef(aDraft(aTableWithSnapshots(1)), { action: 'set-snapshot-ref', refName: 'main', type: 'tag', snapshotId: 1n }),
    /main must be a branch/,
  );
});

test('a ref named __proto__ is stored as data', () => {
  const draft = applySetSnapshotRef(aDraft(aTableWithSnapshots(1)), { action: 'set-snapshot-ref', refName: '__proto__', type: 'tag', snapshotId: 1n });
  assert.ok(Object.hasOwn(draft.metadata.refs, '__proto__'));
  assert.equal(Object.getPrototypeOf(draft.metadata.refs), Object.prototype);
});
