import { ownValue, recordFromEntries } from '../../own-property.js';
import type { SetPropertiesUpdate } from '../../types.js';
import { recordViewChange, type ViewDraft } from '../draft.js';

/** Only keys whose value actually changes are recorded, so re-sending the same properties writes nothing. */
export function applyViewSetProperties(draft: ViewDraft, update: SetPropertiesUpdate): ViewDraft {
  const properties = draft.metadata.properties;
  const changed = recordFromEntries(Object.entries(update.updates).filter(([key, value]) => ownValue(properties, key) !== value));
  if (Object.keys(changed).length === 0) return draft;
  return recordViewChange(draft, { properties: { ...properties, ...changed } }, { action: 'set-properties', updates: changed });
}
