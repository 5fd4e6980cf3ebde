import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aDraft, aTableWithSnapshots, commitTo } from '../test-fixtures.js';
import { applyRemovePartitionStatistics } from './remove-partition-statistics.js';

test('removes the partition statistics of a snapshot', () => {
  const table = commitTo(aTableWithSnapshots(1), [
    { action: 'set-partition-statistics', partitionStatistics: { snapshotId: 1n, statisticsPath: 's3://b/p', fileSizeInBytes: 1n } },
  ]).metadata;
  const draft = applyRemovePartitionStatistics(aDraft(table), { action: 'remove-partition-statistics', snapshotId: 1n });
  assert.deepEqual(draft.metadata.partitionStatistics, []);
});

test('a snapshot without partition statistics is a no-op', () => {
  assert.deepEqual(applyRemovePartitionStatistics(aDraft(), { action: 'remove-partition-statistics', snapshotId: 1n }).changes, []);
});
