import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aDraft, aTableWithSnapshots, commitTo } from '../test-fixtures.js';
import { applyRemoveStatistics } from './remove-statistics.js';

test('removes the statistics file of a snapshot', () => {
  const table = commitTo(aTableWithSnapshots(1), [
    { action: 'set-statistics', statistics: { snapshotId: 1n, statisticsPath: 's3://b/a.puffin', fileSizeInBytes: 1n, fileFooterSizeInBytes: 1n, blobMetadata: [] } },
  ]).metadata;
  const draft = applyRemoveStatistics(aDraft(table), { action: 'remove-statistics', snapshotId: 1n });
  assert.deepEqual(draft.metadata.statistics, []);
  assert.equal(draft.changes.length, 1);
});

test('a snapshot without statistics is a no-op', () => {
  assert.deepEqual(applyRemoveStatistics(aDraft(), { action: 'remove-statistics', snapshotId: 1n }).changes, []);
});
