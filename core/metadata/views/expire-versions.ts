/**
 * `version.history.num-entries` bounds the versions a view keeps (Java `ViewMetadata.Builder
 * #build`). The current version and every version this commit added always stay, whatever the
 * bound; the rest are kept newest id first. Versions stay in their original order: readers look
 * them up by id, and a stable order keeps re-written files easy to compare.
 */
import type { ViewHistoryEntry, ViewMetadata } from './types.js';

export function expireVersions(metadata: ViewMetadata, addedVersionIds: ReadonlySet<number>, historySize: number): ViewMetadata {
  const mustKeep = new Set([...addedVersionIds, metadata.currentVersionId]);
  const keepCount = Math.max(mustKeep.size, historySize);
  if (metadata.versions.length <= keepCount) return metadata;

  const retained = new Set(mustKeep);
  const newestFirst = metadata.versions.map((version) => version.versionId).sort((left, right) => right - left);
  for (const id of newestFirst) {
    if (retained.size >= keepCount) break;
    retained.add(id);
  }
  return {
    ...metadata,
    versions: metadata.versions.filter((version) => retained.has(version.versionId)),
    versionLog: retainedHistory(metadata.versionLog, retained),
  };
}

/**
 * The log keeps only the entries after the last one that names an expired version: a log with a
 * hole would claim a history it can no longer show (Java `updateHistory`).
 */
function retainedHistory(log: readonly ViewHistoryEntry[], retained: ReadonlySet<number>): ViewHistoryEntry[] {
  let start = 0;
  log.forEach((entry, index) => {
    if (!retained.has(entry.versionId)) start = index + 1;
  });
  return log.slice(start);
}
