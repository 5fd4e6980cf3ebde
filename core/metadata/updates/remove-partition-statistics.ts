import { recordChange, type Draft } from '../draft.js';
import type { RemovePartitionStatisticsUpdate } from '../types.js';

export function applyRemovePartitionStatistics(draft: Draft, update: RemovePartitionStatisticsUpdate): Draft {
  const files = draft.metadata.partitionStatistics;
  if (!files.some((file) => file.snapshotId === update.snapshotId)) return draft;
  return recordChange(draft, { partitionStatistics: files.filter((file) => file.snapshotId !== update.snapshotId) }, update);
}
