import { deepEqual } from '../deep-equal.js';
import { recordChange, type Draft } from '../draft.js';
import type { SetPartitionStatisticsUpdate } from '../types.js';
import { replaceForSnapshot } from './per-snapshot-files.js';

/** A snapshot has at most one partition statistics file: setting one replaces the previous. */
export function applySetPartitionStatistics(draft: Draft, update: SetPartitionStatisticsUpdate): Draft {
  const files = draft.metadata.partitionStatistics;
  const current = files.find((file) => file.snapshotId === update.partitionStatistics.snapshotId);
  if (current !== undefined && deepEqual(current, update.partitionStatistics)) return draft;
  return recordChange(draft, { partitionStatistics: replaceForSnapshot(files, update.partitionStatistics) }, update);
}
