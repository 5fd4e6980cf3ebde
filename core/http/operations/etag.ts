import { createHash } from 'node:crypto';

/**
 * A table answer's ETag: derived from the metadata file (immutable, so the location names the
 * content) and the representation (`snapshots=all` and `refs` differ), as the spec requires.
 */
export function tableEtag(metadataLocation: string, representation: string): string {
  return `"${createHash('sha256').update(`${metadataLocation}\n${representation}`).digest('base64url').slice(0, 32)}"`;
}

/** `If-None-Match` may list several tags, or `*`; weak tags compare equal for GET. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}
