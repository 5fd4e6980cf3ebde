import { recordChange, type Draft } from '../draft.js';
import { ownValue, recordFromEntries } from '../own-property.js';
import type { SetPropertiesUpdate } from '../types.js';

/** Only keys whose value actually changes are recorded, so re-sending the same properties writes nothing. */
export function applySetProperties(draft: Draft, update: SetPropertiesUpdate): Draft {
  const properties = draft.metadata.properties;
  const changed = recordFromEntries(Object.entries(update.updates).filter(([key, value]) => ownValue(properties, key) !== value));
  if (Object.keys(changed).length === 0) return draft;
  return recordChange(draft, { properties: { ...properties, ...changed } }, { action: 'set-properties', updates: changed });
}
