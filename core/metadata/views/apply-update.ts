/**
 * The one dispatch from a view action to its update function. The `never` check makes a new
 * ViewUpdate variant fail to compile until it is handled here.
 */
import { stringifyJson } from '../../json/lossless-json.js';
import { applyPropertyRun, updateRuns } from '../property-updates.js';
import { recordViewChanges, type ViewDraft } from './draft.js';
import type { ViewUpdate } from './types.js';
import { applyViewAddSchema } from './updates/add-schema.js';
import { applyViewAddVersion } from './updates/add-view-version.js';
import { applyViewAssignUuid } from './updates/assign-uuid.js';
import { applyViewRemoveProperties } from './updates/remove-properties.js';
import { applyViewSetCurrentVersion } from './updates/set-current-view-version.js';
import { applyViewSetLocation } from './updates/set-location.js';
import { applyViewSetProperties } from './updates/set-properties.js';
import { applyViewUpgradeFormatVersion } from './updates/upgrade-format-version.js';

/** Applies a commit's updates in order, consecutive property updates with one copy (F6). */
export function applyViewUpdates(draft: ViewDraft, updates: readonly ViewUpdate[]): ViewDraft {
  let result = draft;
  for (const run of updateRuns(updates)) {
    if ('single' in run) {
      result = applyViewUpdate(result, run.single);
      continue;
    }
    const applied = applyPropertyRun(result.metadata.properties, run.properties);
    if (applied.properties !== undefined) result = recordViewChanges(result, { properties: applied.properties }, applied.changes);
  }
  return result;
}

export function applyViewUpdate(draft: ViewDraft, update: ViewUpdate): ViewDraft {
  switch (update.action) {
    case 'assign-uuid':
      return applyViewAssignUuid(draft, update);
    case 'upgrade-format-version':
      return applyViewUpgradeFormatVersion(draft, update);
    case 'add-schema':
      return applyViewAddSchema(draft, update);
    case 'set-location':
      return applyViewSetLocation(draft, update);
    case 'set-properties':
      return applyViewSetProperties(draft, update);
    case 'remove-properties':
      return applyViewRemoveProperties(draft, update);
    case 'add-view-version':
      return applyViewAddVersion(draft, update);
    case 'set-current-view-version':
      return applyViewSetCurrentVersion(draft, update);
    default:
      return unhandled(update);
  }
}

function unhandled(update: never): never {
  throw new Error(`Unhandled view update: ${stringifyJson(update)}`);
}
