import { BadRequestError } from '../errors.js';

/**
 * Page tokens are opaque to clients: base64url of a kind tag and the escaped name of the last item
 * returned. Decoding checks the tag, so a token from one listing cannot steer another.
 */
export const DEFAULT_PAGE_SIZE = 100;
/** S3 returns at most 1000 keys per listing call. */
export const MAX_PAGE_SIZE = 1000;

export function encodePageToken(kind: string, lastEscapedName: string): string {
  return Buffer.from(`${kind}:${lastEscapedName}`, 'utf8').toString('base64url');
}

export function decodePageToken(kind: string, token: string): string {
  const invalid = () => new BadRequestError(`Invalid page token: ${token.length > 64 ? `${token.slice(0, 64)}...` : token}`);
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(token)) throw invalid();
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(`${kind}:`)) throw invalid();
  const name = text.slice(kind.length + 1);
  if (name.length === 0 || name.includes('/') || !name.isWellFormed()) throw invalid();
  return name;
}

/** `pageSize` from the query: a positive integer; larger values are capped. */
export function parsePageSize(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw new BadRequestError(`Invalid pageSize: ${raw.slice(0, 32)}; expected a positive integer`);
  return Math.min(Number(raw), MAX_PAGE_SIZE);
}
