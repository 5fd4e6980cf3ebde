import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aDraft, aTableWithSnapshots } from '../test-fixtures.js';
import type { StatisticsFile } from '../types.js';
import { applySetStatistics } from './set-statistics.js';

const stats = (path: string): StatisticsFile => ({
  snapshotId: 1n,
  statisticsPath: path,
  fileSizeInBytes: 100n,
  fileFooterSizeInBytes: 10n,
  blobMetadata: [{ type: 'apache-datasketches-theta-v1', snapshotId: 1n, sequenceNumber: 1n, fields: [1] }],
});

test('sets the statistics file of a snapshot', () => {
  const draft = applySetStatistics(aDraft(aTableWithSnapshots(1)), { action: 'set-statistics', statistics: stats('s3://b/a.puffin') });
  assert.deepEqual(draft.metadata.statistics, [stats('s3://b/a.puffin')]);
});

test('a second file for the same snapshot replaces the first', () => {
  const first = applySetStatistics(aDraft(aTableWithSnapshots(1)), { action: 'set-statistics', statistics: stats('s3://b/a.puffin') });
  const second = applySetStatistics(first, { action: 'set-statistics', statistics: stats('s3://b/b.puffin') });
  assert.deepEqual(second.metadata.statistics, [stats('s3://b/b.puffin')]);
});

test('the same file again is a no-op', () => {
  const first = applySetStatistics(aDraft(aTableWithSnapshots(1)), { action: 'set-statistics', statistics: stats('s3://b/a.puffin') });
  assert.equal(applySetStatistics(first, { action: 'set-statistics', statistics: stats('s3://b/a.puffin') }).changes.length, 1);
});
