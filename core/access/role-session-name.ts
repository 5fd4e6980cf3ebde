/** STS's RoleSessionName: 2 to 64 characters of `[\w+=,.@-]`. */
const MAX_LENGTH = 64;
const PREFIX = 'iceberg-';

/**
 * The role session name for credentials vended to `caller` (a principal label such as
 * `user:alice@example.com` or `apikey:0f3c...`): it is what CloudTrail (or RGW's ops log) shows for
 * every S3 request made with them. Characters STS refuses become `-`; a name too long keeps its
 * start and ends in a short hash of the whole label, so two long labels stay distinct.
 */
export function roleSessionName(caller: string): string {
  const cleaned = `${PREFIX}${caller}`.replace(/[^\w+=,.@-]/g, '-');
  if (cleaned.length <= MAX_LENGTH) return cleaned;
  const hash = fnv1a(caller).toString(36).padStart(7, '0');
  return `${cleaned.slice(0, MAX_LENGTH - hash.length - 1)}-${hash}`;
}

/** 32-bit FNV-1a: a stable, dependency-free digest for telling truncated names apart (not security). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
