/**
 * The metadata log lists earlier metadata files, oldest first, capped by
 * `write.metadata.previous-versions-max`. What falls off the front is reported so the catalog can
 * delete those files when `write.metadata.delete-after-commit.enabled` is set.
 */
import { ownValue } from './own-property.js';
import type { MetadataLogEntry } from './types.js';

export const PREVIOUS_VERSIONS_MAX = 'write.metadata.previous-versions-max';
export const PREVIOUS_VERSIONS_MAX_DEFAULT = 100;

/**
 * Values below 1 count as 1, as in Java. An unparsable value falls back to the default rather than
 * failing every later commit of the table over one bad property.
 */
export function previousVersionsMax(properties: Readonly<Record<string, string>>): number {
  const text = ownValue(properties, PREVIOUS_VERSIONS_MAX);
  if (text === undefined || !/^\s*[+-]?\d{1,10}\s*$/.test(text)) return PREVIOUS_VERSIONS_MAX_DEFAULT;
  return Math.max(1, Number(text));
}

export function appendPreviousFile(
  log: readonly MetadataLogEntry[],
  previous: MetadataLogEntry,
  maxEntries: number,
): { log: MetadataLogEntry[]; expired: MetadataLogEntry[] } {
  const appended = [...log, previous];
  const excess = Math.max(0, appended.length - maxEntries);
  return { log: appended.slice(excess), expired: appended.slice(0, excess) };
}
