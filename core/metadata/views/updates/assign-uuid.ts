import { BadRequestError } from '../../../errors.js';
import type { AssignUuidUpdate } from '../../types.js';
import { recordViewChange, type ViewDraft } from '../draft.js';

/** Readers treat a changed uuid as a different view, so an existing view's uuid never changes. */
export function applyViewAssignUuid(draft: ViewDraft, update: AssignUuidUpdate): ViewDraft {
  const current = draft.metadata.viewUuid;
  if (current.toLowerCase() === update.uuid.toLowerCase()) return draft;
  if (draft.base !== undefined) {
    throw new BadRequestError(`Cannot reassign the uuid of an existing view: ${current} != ${update.uuid}`);
  }
  return recordViewChange(draft, { viewUuid: update.uuid }, update);
}
