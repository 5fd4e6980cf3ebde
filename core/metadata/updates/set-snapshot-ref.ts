import { BadRequestError } from '../../errors.js';
import { deepEqual } from '../deep-equal.js';
import { recordChange, snapshotAddedInThisCommit, type Draft } from '../draft.js';
import { MAIN_BRANCH } from '../spec-constants.js';
import { ownValue } from '../own-property.js';
import type { SetSnapshotRefUpdate, SnapshotRef } from '../types.js';

/**
 * Moving `main` is what makes a snapshot current: current-snapshot-id follows it and the snapshot
 * log gets an entry stamped with the snapshot's own time when it was added in this commit, else the
 * commit time (a rollback happens now, not when the snapshot was written).
 */
export function applySetSnapshotRef(draft: Draft, update: SetSnapshotRefUpdate): Draft {
  const metadata = draft.metadata;
  const ref = refFrom(update);
  const existing = ownValue(metadata.refs, update.refName);
  if (existing !== undefined && deepEqual(existing, ref)) return draft;

  const snapshot = metadata.snapshots.find((each) => each.snapshotId === ref.snapshotId);
  if (snapshot === undefined) throw new BadRequestError(`Cannot set ${update.refName} to unknown snapshot: ${ref.snapshotId}`);
  if (update.refName === MAIN_BRANCH && ref.type !== 'branch') throw new BadRequestError('Cannot set main to a tag: main must be a branch');

  const refs = { ...metadata.refs, [update.refName]: ref };
  if (update.refName !== MAIN_BRANCH) return recordChange(draft, { refs }, update);

  const timestampMs = snapshotAddedInThisCommit(draft, snapshot.snapshotId) ? snapshot.timestampMs : draft.now;
  return recordChange(
    draft,
    { refs, currentSnapshotId: snapshot.snapshotId, snapshotLog: [...metadata.snapshotLog, { timestampMs, snapshotId: snapshot.snapshotId }] },
    update,
  );
}

function refFrom(update: SetSnapshotRefUpdate): SnapshotRef {
  return {
    snapshotId: update.snapshotId,
    type: update.type,
    ...(update.minSnapshotsToKeep === undefined ? {} : { minSnapshotsToKeep: update.minSnapshotsToKeep }),
    ...(update.maxSnapshotAgeMs === undefined ? {} : { maxSnapshotAgeMs: update.maxSnapshotAgeMs }),
    ...(update.maxRefAgeMs === undefined ? {} : { maxRefAgeMs: update.maxRefAgeMs }),
  };
}
