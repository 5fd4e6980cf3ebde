import { recordChange, type Draft } from '../draft.js';
import { stripTrailingSlash } from '../location.js';
import type { SetLocationUpdate } from '../types.js';

export function applySetLocation(draft: Draft, update: SetLocationUpdate): Draft {
  const location = stripTrailingSlash(update.location);
  if (draft.metadata.location === location) return draft;
  return recordChange(draft, { location }, { action: 'set-location', location });
}
