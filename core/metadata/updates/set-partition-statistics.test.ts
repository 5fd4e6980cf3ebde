import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aDraft, aTableWithSnapshots } from '../test-fixtures.js';
import { applySetPartitionStatistics } from './set-partition-statistics.js';

const file = (path: string) => ({ snapshotId: 1n, statisticsPath: path, fileSizeInBytes: 42n });

test('sets and then replaces the partition statistics of a snapshot', () => {
  const first = applySetPartitionStatistics(aDraft(aTableWithSnapshots(1)), { action: 'set-partition-statistics', partitionStatistics: file('s3://b/a') });
  const second = applySetPartitionStatistics(first, { action: 'set-partition-statistics', partitionStatistics: file('s3://b/b') });
  assert.deepEqual(second.metadata.partitionStatistics, [file('s3://b/b')]);
  assert.equal(second.changes.length, 2);
});

test('the same file again is a no-op', () => {
  const first = applySetPartitionStatistics(aDraft(aTableWithSnapshots(1)), { action: 'set-partition-statistics', partitionStatistics: file('s3://b/a') });
  assert.equal(applySetPartitionStatistics(first, { action: 'set-partition-statistics', partitionStatistics: file('s3://b/a') }).changes.length, 1);
});
