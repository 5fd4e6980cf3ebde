import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { BadRequestError } from '../errors.js';

/**
 * Page tokens, in two layers:
 *
 * - Inside the catalog (`encodePageToken`/`decodePageToken`): base64url of a kind tag and the
 *   escaped name of the last item the store listed. Decoding checks the tag.
 * - What callers see (`sealPageToken`/`openPageToken`): that inner token encrypted with AES-256-GCM
 *   under a catalog secret, with the listing and the caller as associated data. A listing filtered
 *   by authorization may end a page on a name the caller may not see; sealed, the token reveals
 *   nothing, and a token cannot be forged, edited, or replayed on another listing or by another
 *   caller: each of those is a 400.
 */
export const DEFAULT_PAGE_SIZE = 100;
/** S3 returns at most 1000 keys per listing call. */
export const MAX_PAGE_SIZE = 1000;

export function encodePageToken(kind: string, lastEscapedName: string): string {
  return Buffer.from(`${kind}:${lastEscapedName}`, 'utf8').toString('base64url');
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** A sealed token is at most this long (the inner one is at most 2048 characters). */
const MAX_SEALED_TOKEN_LENGTH = 4096;

function invalidToken(token: string): BadRequestError {
  return new BadRequestError(`Invalid page token: ${token.length > 64 ? `${token.slice(0, 64)}...` : token}`);
}

/** `binding` names the listing and the caller; the same text must be given to open the token. */
export function sealPageToken(key: Uint8Array, inner: string, binding: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(binding, 'utf8'));
  const sealed = Buffer.concat([iv, cipher.update(inner, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return sealed.toString('base64url');
}

/** The inner token; BadRequestError (400) for anything this catalog did not seal for this binding. */
export function openPageToken(key: Uint8Array, token: string, binding: string): string {
  if (token.length > MAX_SEALED_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) throw invalidToken(token);
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length < IV_BYTES + TAG_BYTES + 1) throw invalidToken(token);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(binding, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw invalidToken(token);
  }
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
