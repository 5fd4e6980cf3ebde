import { BadRequestError, IllegalArgumentError } from '../../../errors.js';
import { recordViewChange, versionAddedInThisCommit, type ViewDraft } from '../draft.js';
import type { SetCurrentViewVersionUpdate } from '../types.js';

const LAST_ADDED = -1;

/**
 * The version-log entry is stamped with the version's own timestamp when this commit added it (so
 * create and replace log the time the client built the version), else with the commit time (a
 * rollback to an older version happens now).
 */
export function applyViewSetCurrentVersion(draft: ViewDraft, update: SetCurrentViewVersionUpdate): ViewDraft {
  let versionId = update.viewVersionId;
  if (versionId === LAST_ADDED) {
    if (draft.lastAddedVersionId === undefined) throw new BadRequestError('Cannot set last version id: no current version id has been set');
    versionId = draft.lastAddedVersionId;
  }
  if (draft.metadata.currentVersionId === versionId) return draft;
  const version = draft.metadata.versions.find((each) => each.versionId === versionId);
  if (version === undefined) throw new IllegalArgumentError(`Cannot set current version to unknown version: ${versionId}`);

  const timestampMs = versionAddedInThisCommit(draft, versionId) ? version.timestampMs : draft.now;
  return recordViewChange(
    draft,
    { currentVersionId: versionId },
    { action: 'set-current-view-version', viewVersionId: versionId },
    { historyEntry: { timestampMs, versionId } },
  );
}
