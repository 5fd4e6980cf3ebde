import { BadRequestError, ForbiddenError } from '../../errors.js';
import { defaultPort, type S3Endpoint } from './s3-endpoint.js';

/**
 * The S3 request a RemoteSignRequest's `uri` names, read the way S3 will read it: which bucket,
 * which key (percent-decoded once, as S3 decodes the request path), which query parameters.
 *
 * The text is parsed by hand, not with WHATWG `URL`: `URL` resolves `..` and `%2e%2e`, drops default
 * ports and rewrites hosts, so a hostile URI would be judged on a normalised form while the bytes
 * signed and sent are the original ones. Anything an HTTP stack or proxy on the way could read as a
 * different path (`.`/`..` segments, raw or percent-encoded, `%2F`, backslashes, `//`) is refused,
 * never resolved: an engine's own requests never contain them.
 *
 * Errors: a URI that is not a well-formed absolute http(s) URI is 400; a well-formed one the catalog
 * will not sign for (another host, user information, a path that could climb) is 403.
 */
export interface S3RequestUri {
  readonly scheme: 'http' | 'https';
  /** Lower-case host as sent (virtual-hosted: includes the bucket). */
  readonly host: string;
  readonly port: number;
  /** Whether the port was written in the URI (it is then part of the Host header). */
  readonly explicitPort: boolean;
  readonly style: 'path' | 'virtual-hosted';
  readonly bucket: string;
  /** The object key, percent-decoded once; '' for a request on the bucket itself (list, batch delete). */
  readonly key: string;
  /** The endpoint's own path prefix ('' for none). */
  readonly basePath: string;
  /** Query parameters, each decoded once, in the order sent; a parameter without `=` has the value ''. */
  readonly query: ReadonlyMap<string, string>;
}

/** S3 keys are at most 1,024 bytes; with percent-encoding, a host and a continuation token this is ample. */
export const MAX_SIGN_URI_LENGTH = 8192;

const URI = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(#.*)?$/s;
const AUTHORITY = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/;
/** Bucket names as S3-compatible stores accept them (the same rule as core/catalog/locations). */
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

const refuse = (uri: string, why: string): ForbiddenError => new ForbiddenError(`Not signed: ${why} (uri '${uri.slice(0, 200)}')`);
const malformed = (uri: string, why: string): BadRequestError => new BadRequestError(`Invalid RemoteSignRequest uri '${uri.slice(0, 200)}': ${why}`);

function decodeOnce(text: string, uri: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw malformed(uri, 'malformed percent-encoding');
  }
}

export function parseS3RequestUri(uri: string, endpoint: S3Endpoint): S3RequestUri {
  if (uri.length > MAX_SIGN_URI_LENGTH) throw malformed(uri, `longer than ${MAX_SIGN_URI_LENGTH} characters`);
  // Printable ASCII only: spaces, controls and non-ASCII travel percent-encoded in a request line.
  if (!/^[\x21-\x7e]*$/.test(uri)) throw malformed(uri, 'only printable ASCII is allowed (percent-encode the rest)');
  const match = URI.exec(uri);
  if (match === null) throw malformed(uri, 'expected an absolute http(s) URI');
  const [, schemeText, authority, rawPath, rawQuery, fragment] = match as unknown as [string, string, string, string, string | undefined, string | undefined];
  const scheme = schemeText.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') throw malformed(uri, `scheme ${scheme.slice(0, 16)} is not http or https (the signer signs HTTP requests to S3)`);
  if (fragment !== undefined) throw malformed(uri, 'a fragment is not allowed');
  // `https://s3.amazonaws.com@evil.example/` reads as one host to a person and another to a client.
  if (authority.includes('@')) throw refuse(uri, 'user information in the URI');
  const hostMatch = AUTHORITY.exec(authority);
  if (hostMatch === null) throw malformed(uri, 'invalid host');
  const host = hostMatch[1]!.toLowerCase();
  const port = hostMatch[2] === undefined ? defaultPort(scheme) : Number(hostMatch[2]);
  if (scheme !== endpoint.scheme || port !== endpoint.port) throw refuse(uri, "not the catalog's S3 endpoint");

  let style: S3RequestUri['style'];
  let bucket: string;
  let keyPath: string;
  const path = rawPath === '' ? '/' : rawPath;
  if (!path.startsWith(`${endpoint.basePath}/`) && !(path === endpoint.basePath && endpoint.basePath !== '')) {
    throw refuse(uri, "the path is not under the catalog's S3 endpoint");
  }
  const rest = path.slice(endpoint.basePath.length);
  if (endpoint.hosts.includes(host)) {
    style = 'path';
    const slash = rest.indexOf('/', 1);
    bucket = slash < 0 ? rest.slice(1) : rest.slice(1, slash);
    keyPath = slash < 0 ? '' : rest.slice(slash + 1);
  } else {
    const base = endpoint.virtualHosted ? endpoint.hosts.find((h) => host.endsWith(`.${h}`)) : undefined;
    if (base === undefined) throw refuse(uri, "the host is not the catalog's S3 endpoint");
    style = 'virtual-hosted';
    bucket = host.slice(0, host.length - base.length - 1);
    keyPath = rest.slice(1);
  }
  if (!BUCKET.test(bucket)) throw refuse(uri, 'missing or invalid bucket');
  const key = keyPath === '' ? '' : checkedKey(keyPath, uri);
  return { scheme, host, port, explicitPort: hostMatch[2] !== undefined, style, bucket, key, basePath: endpoint.basePath, query: parseQuery(rawQuery ?? '', uri) };
}

/** The key a raw request path names, refusing every form a stack on the way could read as another path. */
function checkedKey(raw: string, uri: string): string {
  if (/%2f|%5c|\\/i.test(raw)) throw refuse(uri, 'an encoded slash or a backslash in the path');
  const segments = raw.split('/');
  // A trailing '/' (a folder marker) is an empty last segment; any other empty one is a '//'.
  if (segments.slice(0, -1).some((s) => s === '')) throw refuse(uri, "an empty path segment ('//')");
  const decoded = segments.map((segment) => {
    const once = decodeOnce(segment, uri);
    if (segment === '.' || segment === '..' || once === '.' || once === '..') throw refuse(uri, "a '.' or '..' path segment (also percent-encoded)");
    if (/[\u0000-\u001f\u007f]/.test(once)) throw malformed(uri, 'control characters in the key');
    return once;
  });
  return decoded.join('/');
}

function parseQuery(raw: string, uri: string): Map<string, string> {
  const query = new Map<string, string>();
  if (raw === '') return query;
  for (const part of raw.split('&')) {
    if (part === '') throw malformed(uri, 'an empty query parameter');
    // S3 reads '+' in a query as a space, other stacks as a plus: an engine's request encodes it.
    if (part.includes('+')) throw malformed(uri, "a raw '+' in the query is ambiguous (encode it as %2B or %20)");
    const eq = part.indexOf('=');
    const name = decodeOnce(eq < 0 ? part : part.slice(0, eq), uri);
    const value = eq < 0 ? '' : decodeOnce(part.slice(eq + 1), uri);
    if (query.has(name)) throw refuse(uri, `query parameter '${name.slice(0, 64)}' given twice`);
    query.set(name, value);
  }
  return query;
}

/** RFC 3986 percent-encoding as SigV4's canonical form wants it (encodeURIComponent leaves !'()* alone). */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The request path in canonical encoding: exactly what is signed and what the client sends. */
export function canonicalPath(target: S3RequestUri): string {
  const key = target.key.split('/').map(uriEncode).join('/');
  if (target.style === 'path') return `${target.basePath}/${target.bucket}${target.key === '' ? '' : `/${key}`}`;
  return `${target.basePath}/${target.key === '' ? '' : key}`;
}

export function canonicalQueryText(query: ReadonlyMap<string, string>): string {
  return [...query].map(([name, value]) => `${uriEncode(name)}=${uriEncode(value)}`).join('&');
}

/** The URI the client is to send: the one signed, in canonical encoding (the same bytes S3 canonicalises). */
export function canonicalUri(target: S3RequestUri): string {
  const query = canonicalQueryText(target.query);
  return `${target.scheme}://${hostHeader(target)}${canonicalPath(target)}${query === '' ? '' : `?${query}`}`;
}

export function hostHeader(target: S3RequestUri): string {
  return target.explicitPort ? `${target.host}:${target.port}` : target.host;
}
