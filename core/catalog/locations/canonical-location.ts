import { pathToFileURL } from 'node:url';
import { BadRequestError } from '../../errors.js';

/**
 * One canonical form for every location the catalog accepts, derives, writes, reads or deletes, so
 * that "is X inside Y" is decided on what the storage will actually address, not on the text a
 * client sent. The form follows each adapter's semantics:
 * - `s3://bucket/key` (`s3a`, `s3n` are the same store): the key is used literally (S3 keys are
 *   flat strings; `%2e` is three characters to S3), so segments are compared literally;
 * - `file:///path`: the path is what `fileURLToPath` yields (each segment percent-decoded once),
 *   with empty segments collapsed as the OS does.
 * Anything an adapter or an engine could read as a step upwards (`.`/`..` segments, also
 * percent-encoded, also hidden behind an encoded `/`) is refused rather than resolved: a location
 * that needs resolving is never one the catalog itself produced. So are query strings and fragments
 * (Iceberg's Java S3URI drops them, so the engine and the catalog would address different keys).
 */
export type LocationScheme = 's3' | 'file';

export interface CanonicalLocation {
  readonly scheme: LocationScheme;
  /** The bucket for s3; empty for file. */
  readonly authority: string;
  /** Path segments as the storage addresses them (no empty trailing segment). */
  readonly segments: readonly string[];
  /** The location in canonical URI form (`s3://bucket/key`, `file:///path`). */
  readonly uri: string;
}

/** A location the catalog refuses: the client's mistake, answered with 400 BadRequestException. */
export class InvalidLocationError extends BadRequestError {}

/** Longer than any location a catalog or an engine writes; bounds the work a hostile value costs. */
export const MAX_LOCATION_LENGTH = 4096;

const SCHEMES: Readonly<Record<string, LocationScheme>> = { s3: 's3', s3a: 's3', s3n: 's3', file: 'file' };
export const SUPPORTED_SCHEMES = Object.keys(SCHEMES);

/** Bucket names as S3-compatible stores accept them (AWS is stricter; RGW allows `_` and capitals). */
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

function isDotSegment(segment: string): boolean {
  return segment === '.' || segment === '..';
}

export function parseLocation(raw: string, what = 'location'): CanonicalLocation {
  const fail = (why: string): never => {
    throw new InvalidLocationError(`Invalid ${what} '${raw.slice(0, 200)}': ${why}`);
  };
  if (raw.length > MAX_LOCATION_LENGTH) fail(`longer than ${MAX_LOCATION_LENGTH} characters`);
  if (/[\u0000-\u001f\u007f]/.test(raw)) fail('control characters are not allowed');
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s.exec(raw);
  if (match === null) fail('expected an absolute URI such as s3://bucket/path');
  const [, schemeText, authority, rest] = match as unknown as [string, string, string, string];
  const scheme = SCHEMES[schemeText.toLowerCase()];
  if (scheme === undefined) fail(`unsupported scheme ${schemeText.toLowerCase()}; use one of ${SUPPORTED_SCHEMES.join(', ')}`);
  if (/[?#]/.test(rest)) fail('a query string or fragment is not allowed');
  if (rest !== '' && !rest.startsWith('/')) fail('expected an absolute URI such as s3://bucket/path');
  const rawSegments = rest === '' ? [] : rest.slice(1).split('/');
  while (rawSegments.length > 0 && rawSegments[rawSegments.length - 1] === '') rawSegments.pop();

  if (scheme === 's3') {
    if (!BUCKET.test(authority)) fail('missing or invalid bucket');
    for (const segment of rawSegments) {
      // Literal for S3, but Hadoop-style readers decode once: neither reading may climb.
      const decoded = segment.replace(/%2e/gi, '.').replace(/%2f/gi, '/');
      if (isDotSegment(segment) || decoded.split('/').some(isDotSegment)) fail('relative path segments (. or .., also percent-encoded) are not allowed');
    }
    const key = rawSegments.join('/');
    return { scheme, authority, segments: rawSegments, uri: `s3://${authority}/${key}` };
  }

  // file: the authority must be empty or localhost; `file://tmp/x` names host "tmp".
  if (authority !== '' && authority.toLowerCase() !== 'localhost') fail('a file location needs an absolute local path, such as file:///srv/warehouse');
  if (rawSegments.some((s) => s.includes('\\'))) fail('a backslash is not allowed in a file location');
  const segments: string[] = [];
  for (const segment of rawSegments) {
    if (segment === '') continue; // `//` is one `/` on disk
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return fail('malformed percent-encoding');
    }
    if (isDotSegment(decoded)) fail('relative path segments (. or .., also percent-encoded) are not allowed');
    if (decoded.includes('/') || decoded.includes('\u0000')) fail('an encoded / or NUL is not allowed in a file location');
    segments.push(decoded);
  }
  return { scheme: 'file', authority: '', segments, uri: pathToFileURL(`/${segments.join('/')}`).href };
}

/** Whether `child` is `root` or lies below it (segment-wise, so `wh2` is not inside `wh`). */
export function isInside(child: CanonicalLocation, root: CanonicalLocation): boolean {
  if (child.scheme !== root.scheme || child.authority !== root.authority) return false;
  if (child.segments.length < root.segments.length) return false;
  return root.segments.every((segment, i) => child.segments[i] === segment);
}

/** One contains the other: two areas that must stay apart (warehouses and catalog records). */
export function overlaps(a: CanonicalLocation, b: CanonicalLocation): boolean {
  return isInside(a, b) || isInside(b, a);
}

/** The canonical form of a local folder (config, not client input). */
export function localFolder(path: string): CanonicalLocation {
  return parseLocation(pathToFileURL(path).href, 'folder');
}

/**
 * A name as one location segment, the same for every scheme: `%` and `/` are escaped (so distinct
 * names never share a location: `a/b` is not the levels `a`, `b`), `.` and `..` become `%2E`
 * escapes (so they never climb), and the result is URI-encoded once more, because `file:` URLs are
 * decoded once by readers and a decoded `%2E%2E` would be `..` again. On disk (file:) a segment is
 * therefore the escaped name; in S3 the key holds the URI form literally.
 */
export function locationSegment(name: string): string {
  const escaped = name.replace(/%/g, '%25').replace(/\//g, '%2F');
  const dotSafe = isDotSegment(escaped) ? escaped.replace(/\./g, '%2E') : escaped;
  return encodeURIComponent(dotSafe);
}
