import type { Long } from '../long.js';

/** Statistics are keyed by snapshot: a new file takes the old one's place, or goes last. */
export function replaceForSnapshot<T extends { readonly snapshotId: Long }>(files: readonly T[], file: T): T[] {
  const index = files.findIndex((each) => each.snapshotId === file.snapshotId);
  if (index < 0) return [...files, file];
  return files.map((each, position) => (position === index ? file : each));
}
