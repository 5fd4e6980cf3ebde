import { hasOwnKey, recordFromEntries } from '../../own-property.js';
import type { RemovePropertiesUpdate } from '../../types.js';
import { recordViewChange, type ViewDraft } from '../draft.js';

/** Removing a key that is not set is not a change. */
export function applyViewRemoveProperties(draft: ViewDraft, update: RemovePropertiesUpdate): ViewDraft {
  const properties = draft.metadata.properties;
  const removals = [...new Set(update.removals)].filter((key) => hasOwnKey(properties, key));
  if (removals.length === 0) return draft;
  const removed = new Set(removals);
  return recordViewChange(
    draft,
    { properties: recordFromEntries(Object.entries(properties).filter(([key]) => !removed.has(key))) },
    { action: 'remove-properties', removals },
  );
}
