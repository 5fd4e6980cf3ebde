/**
 * The snapshot log records when each snapshot became current on `main`. Two corrections happen once
 * a commit's changes are all known (as in Java's builder):
 * - snapshots added and made current, then superseded within the same commit were never visible
 *   to readers, so their entries go;
 * - after snapshots are removed, every entry before the last entry of a removed snapshot goes too,
 *   because keeping older entries would leave a gap and time travel would pick the wrong snapshot.
 */
import { BadRequestError } from '../errors.js';
import { MAIN_BRANCH } from './spec-constants.js';
import type { Long } from './long.js';
import type { SnapshotLogEntry, TableMetadata, TableUpdate } from './types.js';

export function correctSnapshotLog(metadata: TableMetadata, changes: readonly TableUpdate[]): readonly SnapshotLogEntry[] {
  const intermediate = intermediateSnapshotIds(changes, metadata.currentSnapshotId);
  const hasRemovedSnapshots = changes.some((change) => change.action === 'remove-snapshots');
  if (intermediate.size === 0 && !hasRemovedSnapshots) return metadata.snapshotLog;

  const existing = new Set(metadata.snapshots.map((snapshot) => snapshot.snapshotId));
  let corrected: SnapshotLogEntry[] = [];
  for (const entry of metadata.snapshotLog) {
    if (existing.has(entry.snapshotId)) {
      if (!intermediate.has(entry.snapshotId)) corrected.push(entry);
    } else if (hasRemovedSnapshots) {
      corrected = [];
    }
  }

  const last = corrected.at(-1);
  const current = metadata.currentSnapshotId;
  if (current !== null && existing.has(current) && last !== undefined && last.snapshotId !== current) {
    throw new BadRequestError('Cannot set invalid snapshot log: latest entry is not the current snapshot');
  }
  return corrected;
}

function intermediateSnapshotIds(changes: readonly TableUpdate[], currentSnapshotId: Long | null): Set<Long> {
  const added = new Set<Long>();
  const intermediate = new Set<Long>();
  for (const change of changes) {
    if (change.action === 'add-snapshot') {
      added.add(change.snapshot.snapshotId);
    } else if (
      change.action === 'set-snapshot-ref' &&
      change.refName === MAIN_BRANCH &&
      added.has(change.snapshotId) &&
      change.snapshotId !== currentSnapshotId
    ) {
      intermediate.add(change.snapshotId);
    }
  }
  return intermediate;
}
