import { recordChange, type Draft } from '../draft.js';
import type { RemoveStatisticsUpdate } from '../types.js';

export function applyRemoveStatistics(draft: Draft, update: RemoveStatisticsUpdate): Draft {
  const statistics = draft.metadata.statistics;
  if (!statistics.some((file) => file.snapshotId === update.snapshotId)) return draft;
  return recordChange(draft, { statistics: statistics.filter((file) => file.snapshotId !== update.snapshotId) }, update);
}
