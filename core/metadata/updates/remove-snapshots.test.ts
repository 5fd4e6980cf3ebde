import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aDraft, aTableWithSnapshots, commitTo } from '../test-fixtures.js';
import { applyRemoveSnapshots } from './remove-snapshots.js';

test('removes the snapshots with their statistics and dangling refs', () => {
  const table = commitTo(aTableWithSnapshots(2), [
    { action: 'set-snapshot-ref', refName: 'old', type: 'tag', snapshotId: 1n },
    { action: 'set-statistics', statistics: { snapshotId: 1n, statisticsPath: 's3://b/s1.puffin', fileSizeInBytes: 1n, fileFooterSizeInBytes: 1n, blobMetadata: [] } },
    { action: 'set-partition-statistics', partitionStatistics: { snapshotId: 1n, statisticsPath: 's3://b/p1.parquet', fileSizeInBytes: 1n } },
  ]).metadata;
  const draft = applyRemoveSnapshots(aDraft(table), { action: 'remove-snapshots', snapshotIds: [1n] });
  assert.deepEqual(draft.metadata.snapshots.map((snapshot) => snapshot.snapshotId), [2n]);
  assert.deepEqual(draft.metadata.statistics, []);
  assert.deepEqual(draft.metadata.partitionStatistics, []);
  assert.deepEqual(Object.keys(draft.metadata.refs), ['main']);
  assert.deepEqual(draft.changes, [
    { action: 'remove-snapshots', snapshotIds: [1n] },
    { action: 'remove-snapshot-ref', refName: 'old' },
  ]);
});

test('removing the current snapshot clears main and the current snapshot', () => {
  const draft = applyRemoveSnapshots(aDraft(aTableWithSnapshots(1)), { action: 'remove-snapshots', snapshotIds: [1n] });
  assert.equal(draft.metadata.currentSnapshotId, null);
  assert.deepEqual(draft.metadata.refs, {});
});

test('unknown ids are a no-op', () => {
  assert.deepEqual(applyRemoveSnapshots(aDraft(aTableWithSnapshots(1)), { action: 'remove-snapshots', snapshotIds: [99n] }).changes, []);
});

test('the snapshot log loses every entry up to a removed snapshot after build', () => {
  const table = aTableWithSnapshots(3);
  const after = commitTo(table, [{ action: 'remove-snapshots', snapshotIds: [2n] }]).metadata;
  assert.deepEqual(after.snapshotLog.map((entry) => entry.snapshotId), [3n]);
});
