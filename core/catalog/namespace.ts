import { BadRequestError } from '../errors.js';

/** Iceberg namespace: a non-empty list of levels, outermost first. */
export type Namespace = readonly string[];

export const MAX_NAMESPACE_DEPTH = 16;
/** Characters per level or object name; the escaped store key must also fit S3's 1024-byte limit. */
export const MAX_NAME_LENGTH = 255;

/**
 * Bytes of one name once escaped for storage (C4). The catalog keeps ASCII letters, digits, `_`
 * and `-`, writes other ASCII as `%XX` and keeps non-ASCII characters; the file store (and the
 * S3 request path) then percent-encode `%` and every non-ASCII UTF-8 byte. One name becomes one
 * file name `t=<name>.obj` on fs (at most 255 bytes) and one path segment on S3, so a name may use
 * at most this many escaped bytes: 240 ASCII letters, 48 punctuation characters, 40 `é`, 26 CJK.
 */
export const MAX_ESCAPED_NAME_BYTES = 240;

// Control characters would be invisible in logs and are the namespace separator itself.
const CONTROL = /[\u0000-\u001f\u007f]/;
/**
 * Bidirectional formatting characters (C3): ALM, LRM, RLM, the embeddings and overrides
 * U+202A-U+202E and the isolates U+2066-U+2069 reorder how a name is displayed, so `txt.exe`
 * can show as `exe.txt` in listings and audit records. No Iceberg name needs them.
 */
const BIDI_FORMAT = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** The length of `name` as the stores write it; see MAX_ESCAPED_NAME_BYTES. */
export function escapedNameBytes(name: string): number {
  let bytes = 0;
  for (let index = 0; index < name.length; index += 1) {
    const code = name.charCodeAt(index);
    if (code < 0x80) bytes += keptAscii(code) ? 1 : 5;
    else if (code < 0x800) bytes += 6;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < name.length) {
      bytes += 12; // a surrogate pair: 4 UTF-8 bytes
      index += 1;
    } else bytes += 9;
  }
  return bytes;
}

function keptAscii(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code === 0x2d;
}

export function validateName(name: unknown, what: string): string {
  if (typeof name !== 'string') throw new BadRequestError(`Invalid ${what}: expected a string`);
  if (name.length === 0) throw new BadRequestError(`Invalid ${what}: must not be empty`);
  if (name.length > MAX_NAME_LENGTH) throw new BadRequestError(`Invalid ${what}: longer than ${MAX_NAME_LENGTH} characters`);
  if (CONTROL.test(name)) throw new BadRequestError(`Invalid ${what}: control characters are not allowed`);
  if (!name.isWellFormed()) throw new BadRequestError(`Invalid ${what}: not valid Unicode`);
  if (BIDI_FORMAT.test(name)) throw new BadRequestError(`Invalid ${what}: bidirectional formatting characters are not allowed`);
  if (escapedNameBytes(name) > MAX_ESCAPED_NAME_BYTES) {
    throw new BadRequestError(`Invalid ${what}: too long once escaped for storage (at most ${MAX_ESCAPED_NAME_BYTES} bytes; punctuation counts 5, non-ASCII 3 per UTF-8 byte)`);
  }
  return name;
}

export function validateNamespace(levels: unknown): Namespace {
  if (!Array.isArray(levels)) throw new BadRequestError('Invalid namespace: expected an array of strings');
  if (levels.length === 0) throw new BadRequestError('Invalid namespace: must have at least one level');
  if (levels.length > MAX_NAMESPACE_DEPTH) throw new BadRequestError(`Invalid namespace: deeper than ${MAX_NAMESPACE_DEPTH} levels`);
  return levels.map((level, i) => validateName(level, `namespace level ${i + 1}`));
}

/** The form Iceberg prints in messages: levels joined by `.`. */
export function formatNamespace(namespace: Namespace): string {
  return namespace.join('.');
}

export function sameNamespace(a: Namespace, b: Namespace): boolean {
  return a.length === b.length && a.every((level, i) => level === b[i]);
}
