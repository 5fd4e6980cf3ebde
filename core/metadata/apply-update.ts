/**
 * The one dispatch from a spec action to its update function. The `never` check makes a new
 * TableUpdate variant fail to compile until it is handled here.
 */
import { stringifyJson } from '../json/lossless-json.js';
import { recordChanges, type Draft } from './draft.js';
import { applyPropertyRun, updateRuns } from './property-updates.js';
import type { TableUpdate } from './types.js';
import { applyAddEncryptionKey } from './updates/add-encryption-key.js';
import { applyAddSchema } from './updates/add-schema.js';
import { applyAddSnapshot } from './updates/add-snapshot.js';
import { applyAddSortOrder } from './updates/add-sort-order.js';
import { applyAddSpec } from './updates/add-spec.js';
import { applyAssignUuid } from './updates/assign-uuid.js';
import { applyRemoveEncryptionKey } from './updates/remove-encryption-key.js';
import { applyRemovePartitionSpecs } from './updates/remove-partition-specs.js';
import { applyRemovePartitionStatistics } from './updates/remove-partition-statistics.js';
import { applyRemoveProperties } from './updates/remove-properties.js';
import { applyRemoveSchemas } from './updates/remove-schemas.js';
import { applyRemoveSnapshotRef } from './updates/remove-snapshot-ref.js';
import { applyRemoveSnapshots } from './updates/remove-snapshots.js';
import { applyRemoveStatistics } from './updates/remove-statistics.js';
import { applySetCurrentSchema } from './updates/set-current-schema.js';
import { applySetDefaultSortOrder } from './updates/set-default-sort-order.js';
import { applySetDefaultSpec } from './updates/set-default-spec.js';
import { applySetLocation } from './updates/set-location.js';
import { applySetPartitionStatistics } from './updates/set-partition-statistics.js';
import { applySetProperties } from './updates/set-properties.js';
import { applySetSnapshotRef } from './updates/set-snapshot-ref.js';
import { applySetStatistics } from './updates/set-statistics.js';
import { applyUpgradeFormatVersion } from './updates/upgrade-format-version.js';

/**
 * Applies a commit's updates in order. Consecutive property updates share one copy of the
 * properties, so the work is linear in the number of updates (F6).
 */
export function applyUpdates(draft: Draft, updates: readonly TableUpdate[]): Draft {
  let result = draft;
  for (const run of updateRuns(updates)) {
    if ('single' in run) {
      result = applyUpdate(result, run.single);
      continue;
    }
    const applied = applyPropertyRun(result.metadata.properties, run.properties);
    if (applied.properties !== undefined) result = recordChanges(result, { properties: applied.properties }, applied.changes);
  }
  return result;
}

export function applyUpdate(draft: Draft, update: TableUpdate): Draft {
  switch (update.action) {
    case 'assign-uuid':
      return applyAssignUuid(draft, update);
    case 'upgrade-format-version':
      return applyUpgradeFormatVersion(draft, update);
    case 'add-schema':
      return applyAddSchema(draft, update);
    case 'set-current-schema':
      return applySetCurrentSchema(draft, update);
    case 'add-spec':
      return applyAddSpec(draft, update);
    case 'set-default-spec':
      return applySetDefaultSpec(draft, update);
    case 'add-sort-order':
      return applyAddSortOrder(draft, update);
    case 'set-default-sort-order':
      return applySetDefaultSortOrder(draft, update);
    case 'add-snapshot':
      return applyAddSnapshot(draft, update);
    case 'set-snapshot-ref':
      return applySetSnapshotRef(draft, update);
    case 'remove-snapshots':
      return applyRemoveSnapshots(draft, update);
    case 'remove-snapshot-ref':
      return applyRemoveSnapshotRef(draft, update);
    case 'set-location':
      return applySetLocation(draft, update);
    case 'set-properties':
      return applySetProperties(draft, update);
    case 'remove-properties':
      return applyRemoveProperties(draft, update);
    case 'set-statistics':
      return applySetStatistics(draft, update);
    case 'remove-statistics':
      return applyRemoveStatistics(draft, update);
    case 'set-partition-statistics':
      return applySetPartitionStatistics(draft, update);
    case 'remove-partition-statistics':
      return applyRemovePartitionStatistics(draft, update);
    case 'remove-partition-specs':
      return applyRemovePartitionSpecs(draft, update);
    case 'remove-schemas':
      return applyRemoveSchemas(draft, update);
    case 'add-encryption-key':
      return applyAddEncryptionKey(draft, update);
    case 'remove-encryption-key':
      return applyRemoveEncryptionKey(draft, update);
    default:
      return unhandled(update);
  }
}

function unhandled(update: never): never {
  throw new Error(`Unhandled table update: ${stringifyJson(update)}`);
}
