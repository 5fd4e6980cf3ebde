import type { ListOptions } from './object-store.js';

/**
 * S3 ListObjectsV2 semantics over a sorted key list, for adapters that hold all keys: keys after
 * startAfter/continuation, grouped into common prefixes by the delimiter (a prefix counts once
 * toward maxKeys), at most maxKeys entries, and a continuation token when more follow.
 */
export const DEFAULT_MAX_KEYS = 1000;

export interface KeyPage {
  readonly objects: string[];
  readonly commonPrefixes: string[];
  readonly nextContinuationToken?: string;
}

export function paginate(sortedKeys: readonly string[], options: ListOptions): KeyPage {
  const maxKeys = Math.max(1, Math.min(options.maxKeys ?? DEFAULT_MAX_KEYS, DEFAULT_MAX_KEYS));
  const after = options.continuationToken !== undefined ? Buffer.from(options.continuationToken, 'base64url').toString('utf8') : options.startAfter;
  const objects: string[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  for (const key of sortedKeys) {
    if (!key.startsWith(options.prefix)) continue;
    if (after !== undefined && key <= after) continue;
    let entry = key;
    let isPrefix = false;
    if (options.delimiter !== undefined && options.delimiter !== '') {
      const cut = key.indexOf(options.delimiter, options.prefix.length);
      if (cut >= 0) {
        entry = key.slice(0, cut + options.delimiter.length);
        isPrefix = true;
      }
    }
    if (isPrefix) {
      if (commonPrefixes.at(-1) === entry) continue;
      if (after !== undefined && entry <= after) continue;
    }
    if (objects.length + commonPrefixes.length >= maxKeys) {
      return { objects, commonPrefixes, nextContinuationToken: Buffer.from(last!, 'utf8').toString('base64url') };
    }
    if (isPrefix) {
      commonPrefixes.push(entry);
      // Everything inside this prefix is skipped by continuing after its last possible key.
      last = `${entry}\uffff`;
    } else {
      objects.push(entry);
      last = entry;
    }
  }
  return { objects, commonPrefixes };
}
