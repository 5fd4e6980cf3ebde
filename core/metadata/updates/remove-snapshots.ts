import { recordChanges, type Draft } from '../draft.js';
import { MAIN_BRANCH } from '../spec-constants.js';
import { recordFromEntries } from '../own-property.js';
import type { RemoveSnapshotsUpdate, TableMetadata, TableUpdate } from '../types.js';

/**
 * Expiring snapshots also drops what only made sense with them: their statistics and any ref left
 * pointing at nothing (main included, which clears the current snapshot). The snapshot log is cut
 * in build(), once all of the commit's changes are known.
 */
export function applyRemoveSnapshots(draft: Draft, update: RemoveSnapshotsUpdate): Draft {
  const metadata = draft.metadata;
  const requested = new Set(update.snapshotIds);
  const removedIds = metadata.snapshots.filter((snapshot) => requested.has(snapshot.snapshotId)).map((snapshot) => snapshot.snapshotId);
  if (removedIds.length === 0) return draft;

  const removed = new Set(removedIds);
  const danglingRefs = Object.keys(metadata.refs).filter((name) => removed.has(metadata.refs[name]?.snapshotId ?? -1n));
  const patch: Partial<TableMetadata> = {
    snapshots: metadata.snapshots.filter((snapshot) => !removed.has(snapshot.snapshotId)),
    statistics: metadata.statistics.filter((file) => !removed.has(file.snapshotId)),
    partitionStatistics: metadata.partitionStatistics.filter((file) => !removed.has(file.snapshotId)),
    refs: recordFromEntries(Object.entries(metadata.refs).filter(([name]) => !danglingRefs.includes(name))),
    ...(danglingRefs.includes(MAIN_BRANCH) ? { currentSnapshotId: null } : {}),
  };
  const changes: TableUpdate[] = [
    { action: 'remove-snapshots', snapshotIds: removedIds },
    ...danglingRefs.map((refName): TableUpdate => ({ action: 'remove-snapshot-ref', refName })),
  ];
  return recordChanges(draft, patch, changes);
}
