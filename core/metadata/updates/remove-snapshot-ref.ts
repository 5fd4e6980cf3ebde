import { recordChange, type Draft } from '../draft.js';
import { MAIN_BRANCH } from '../spec-constants.js';
import { hasOwnKey, recordFromEntries } from '../own-property.js';
import type { RemoveSnapshotRefUpdate } from '../types.js';

/** Removing `main` leaves the table without a current snapshot; the snapshots themselves stay. */
export function applyRemoveSnapshotRef(draft: Draft, update: RemoveSnapshotRefUpdate): Draft {
  const metadata = draft.metadata;
  if (!hasOwnKey(metadata.refs, update.refName)) return draft;
  const refs = recordFromEntries(Object.entries(metadata.refs).filter(([name]) => name !== update.refName));
  return recordChange(draft, { refs, ...(update.refName === MAIN_BRANCH ? { currentSnapshotId: null } : {}) }, update);
}
