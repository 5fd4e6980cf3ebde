/**
 * When an added view version "behaves the same" as an existing one, the existing id is reused
 * (Java's `sameViewVersion`): the id, timestamp and anything else a replay would change do not
 * count, so a retried or repeated replace lands on the version it already created.
 */
import { deepEqual } from '../deep-equal.js';
import type { ViewVersion } from './types.js';

export function sameViewVersion(existing: ViewVersion, candidate: ViewVersion): boolean {
  return (
    existing.schemaId === candidate.schemaId &&
    existing.defaultCatalog === candidate.defaultCatalog &&
    deepEqual(existing.defaultNamespace, candidate.defaultNamespace) &&
    deepEqual(existing.summary, candidate.summary) &&
    deepEqual(existing.representations, candidate.representations)
  );
}
