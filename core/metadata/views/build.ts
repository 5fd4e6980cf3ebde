/**
 * Turns a view draft into the metadata to write. An unchanged draft returns its base untouched (so
 * the catalog writes no file); otherwise the version-log entry is appended, the dialect rule is
 * checked against the replaced version, old versions expire, and the document is validated.
 */
import { checkNoDialectDropped } from './dialects.js';
import type { ViewDraft } from './draft.js';
import { expireVersions } from './expire-versions.js';
import type { ViewMetadata, ViewUpdate } from './types.js';
import { dropDialectAllowed, versionHistorySize } from './view-properties.js';
import { checkViewMetadataStructure, currentViewVersion } from './view-structure.js';

export interface ViewBuildResult {
  readonly metadata: ViewMetadata;
  /** Empty when nothing changed: then `metadata` is the base itself and nothing must be written. */
  readonly changes: readonly ViewUpdate[];
}

export function buildView(draft: ViewDraft): ViewBuildResult {
  const base = draft.base;
  if (base !== undefined && draft.changes.length === 0) return { metadata: base, changes: [] };

  let metadata = draft.metadata;
  if (draft.historyEntry !== undefined) metadata = { ...metadata, versionLog: [...metadata.versionLog, draft.historyEntry] };
  checkViewMetadataStructure(metadata);
  if (base !== undefined && !dropDialectAllowed(metadata.properties)) {
    checkNoDialectDropped(currentViewVersion(base), currentViewVersion(metadata));
  }
  const added = new Set(draft.changes.flatMap((change) => (change.action === 'add-view-version' ? [change.viewVersion.versionId] : [])));
  metadata = expireVersions(metadata, added, versionHistorySize(metadata.properties));
  return { metadata, changes: draft.changes };
}
