import type { SetLocationUpdate } from '../../types.js';
import { recordViewChange, type ViewDraft } from '../draft.js';

/** Stored exactly as sent: Java's view builder keeps a trailing `/`, and clients compare locations. */
export function applyViewSetLocation(draft: ViewDraft, update: SetLocationUpdate): ViewDraft {
  if (draft.metadata.location === update.location) return draft;
  return recordViewChange(draft, { location: update.location }, { action: 'set-location', location: update.location });
}
