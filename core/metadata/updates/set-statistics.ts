import { deepEqual } from '../deep-equal.js';
import { recordChange, type Draft } from '../draft.js';
import type { SetStatisticsUpdate } from '../types.js';
import { replaceForSnapshot } from './per-snapshot-files.js';

/** A snapshot has at most one statistics file: setting one replaces the previous. */
export function applySetStatistics(draft: Draft, update: SetStatisticsUpdate): Draft {
  const current = draft.metadata.statistics.find((file) => file.snapshotId === update.statistics.snapshotId);
  if (current !== undefined && deepEqual(current, update.statistics)) return draft;
  return recordChange(draft, { statistics: replaceForSnapshot(draft.metadata.statistics, update.statistics) }, update);
}
