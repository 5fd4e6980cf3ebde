import { createHash } from 'node:crypto';
import { isInside, parseLocation, type CanonicalLocation } from '../../catalog/locations/canonical-location.js';
import { BadRequestError, ForbiddenError } from '../../errors.js';
import { deleteObjectsKeys } from './delete-objects-body.js';
import type { S3Endpoint } from './s3-endpoint.js';
import { classifyS3Operation, type S3Access, type S3Operation } from './s3-operation.js';
import { canonicalPath, canonicalUri, hostHeader, parseS3RequestUri, type S3RequestUri } from './s3-request-uri.js';

/**
 * What the catalog will sign, decided before any key is touched: the spec's RemoteSignRequest
 * checked against one table and one caller. The rules, in order:
 * 1. form: an http(s) URI to the catalog's S3 endpoint, the catalog's region, a spec method (400 /
 *    403, see s3-request-uri.ts);
 * 2. operation: one of the S3 operations in s3-operation.ts, and a write only for a caller who may
 *    write the table (403);
 * 3. confinement: the bucket is the table location's and every key lies strictly below the
 *    table location (`<location>/…`, segment-wise, so `t1` never reaches `t10`), checked with the
 *    catalog's one location rule (core/catalog/locations); a list's prefix and every key of a
 *    DeleteObjects body likewise (403);
 * 4. headers: none that widen what the request does beyond the key it names (copy sources, ACL
 *    grants, object locks), none the signer sets itself (403 / dropped).
 */
export interface RemoteSignInput {
  readonly region: string;
  readonly uri: string;
  readonly method: string;
  /** The spec's MultiValuedMap. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly body?: string;
}

export interface SigningScope {
  /** The table's location (s3). */
  readonly root: CanonicalLocation;
  /** What the caller may do on the table: read, or also write. */
  readonly access: S3Access;
  readonly endpoint: S3Endpoint;
}

/** A request the catalog has decided to sign. */
export interface PreparedS3Request {
  readonly operation: S3Operation;
  readonly target: S3RequestUri;
  readonly method: string;
  readonly region: string;
  /** The URI the client sends (canonical encoding: the path and query that are signed). */
  readonly uri: string;
  readonly path: string;
  /** Headers to sign, lower-case names, including host and x-amz-content-sha256. */
  readonly signedHeaders: Readonly<Record<string, string>>;
  /** Headers the client sent that are passed back unsigned (they vary per attempt or are hop-by-hop). */
  readonly unsignedHeaders: Readonly<Record<string, readonly string[]>>;
}

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const CONTENT_SHA256 = 'x-amz-content-sha256';

/** The spec's method enum; PATCH and OPTIONS are in it but no S3 operation the catalog signs uses them. */
const SPEC_METHODS = new Set(['PUT', 'GET', 'HEAD', 'POST', 'DELETE', 'PATCH', 'OPTIONS']);

/** Set by the signer itself, never taken from the client. */
const SIGNER_OWNED = new Set(['authorization', 'x-amz-date', 'date', 'x-amz-security-token', 'host', CONTENT_SHA256]);

/**
 * Passed back unsigned: they change per attempt (SDK retry headers, Range on a cached read, as
 * Iceberg's reference signer does) or are hop-by-hop, which SigV4 never signs.
 */
const UNSIGNED = new Set([
  'range',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
  'amz-sdk-retry',
  'user-agent',
  'expect',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'cache-control',
  'pragma',
  'referer',
  'from',
  'max-forwards',
  'x-amzn-trace-id',
]);

/** ACLs an engine may set on its own objects: none that grants anyone else anything. */
const ALLOWED_ACLS = new Set(['private', 'bucket-owner-full-control']);

/** Headers that make S3 act on more than the key the URI names, or keep objects from a later purge. */
function forbiddenHeader(name: string, value: string): string | undefined {
  if (name.startsWith('x-amz-copy-source')) return 'a copy reads another object, which the signer cannot confine';
  if (name.startsWith('x-amz-grant-')) return 'ACL grants give other accounts access';
  if (name === 'x-amz-acl' && !ALLOWED_ACLS.has(value.trim().toLowerCase())) return 'only the private and bucket-owner-full-control ACLs are signed';
  if (name.startsWith('x-amz-object-lock-') || name === 'x-amz-bypass-governance-retention') return 'object locks would keep files from being purged';
  if (name === 'x-amz-mfa') return 'MFA deletes are not signed';
  if (name === 'x-amz-website-redirect-location') return 'website redirects are not signed';
  return undefined;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]{1,128}$/;
const MAX_HEADER_VALUE = 8192;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

export function prepareSignRequest(input: RemoteSignInput, scope: SigningScope): PreparedS3Request {
  const method = input.method.toUpperCase();
  if (!SPEC_METHODS.has(method)) throw new BadRequestError(`Invalid RemoteSignRequest method '${input.method.slice(0, 16)}'`);
  if (input.region !== scope.endpoint.region) {
    throw new BadRequestError(`Invalid RemoteSignRequest region '${input.region.slice(0, 64)}': the catalog signs for its S3 region ${scope.endpoint.region}`);
  }
  const target = parseS3RequestUri(input.uri, scope.endpoint);
  const operation = classifyS3Operation(method, target);
  if (operation.access === 'write' && scope.access !== 'write') {
    throw new ForbiddenError(`Not signed: ${operation.name} writes to the table; the caller may only read it`);
  }
  if (target.bucket !== scope.root.authority) throw new ForbiddenError(`Not signed: bucket '${target.bucket}' is not the table's bucket`);
  const headers = normaliseHeaders(input.headers);
  let payloadHash = payloadHashOf(headers[CONTENT_SHA256]?.join(','));
  if (operation.name === 'ListObjectsV2') {
    requirePrefixInside(target.bucket, target.query.get('prefix') ?? '', scope.root);
  } else if (operation.name === 'DeleteObjects') {
    if (input.body === undefined) throw new ForbiddenError('Not signed: DeleteObjects needs its body, so that the keys it deletes can be checked');
    for (const key of deleteObjectsKeys(input.body)) requireKeyInside(target.bucket, key, scope.root, 'DeleteObjects key');
    // The body is bound by its hash: a different body sent with this signature fails at S3.
    const bodyHash = createHash('sha256').update(input.body, 'utf8').digest('hex');
    if (payloadHash !== UNSIGNED_PAYLOAD && payloadHash !== bodyHash) throw new BadRequestError(`Invalid RemoteSignRequest: ${CONTENT_SHA256} does not match the body`);
    payloadHash = bodyHash;
  } else {
    requireKeyInside(target.bucket, target.key, scope.root, 'key');
  }

  const signedHeaders: Record<string, string> = { host: hostHeader(target), [CONTENT_SHA256]: payloadHash };
  const unsignedHeaders: Record<string, readonly string[]> = {};
  for (const [name, values] of Object.entries(headers)) {
    const joined = values.join(',');
    const why = forbiddenHeader(name, joined);
    if (why !== undefined) throw new ForbiddenError(`Not signed: header ${name}: ${why}`);
    if (SIGNER_OWNED.has(name)) continue;
    if (UNSIGNED.has(name) || name.startsWith('proxy-') || name.startsWith('sec-')) unsignedHeaders[name] = values;
    else signedHeaders[name] = joined;
  }
  return { operation, target, method, region: scope.endpoint.region, uri: canonicalUri(target), path: canonicalPath(target), signedHeaders, unsignedHeaders };
}

/**
 * Unsigned aws-chunked uploads with a trailing checksum (what recent AWS SDKs send for PutObject and
 * UploadPart) need only the header signature, so they can be signed remotely.
 */
const UNSIGNED_STREAMING = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

function payloadHashOf(given: string | undefined): string {
  if (given === undefined || given === UNSIGNED_PAYLOAD) return UNSIGNED_PAYLOAD;
  if (HEX_SHA256.test(given) || given === UNSIGNED_STREAMING) return given;
  // Signed streaming (STREAMING-AWS4-HMAC-SHA256-PAYLOAD…) chains each chunk's signature to the
  // previous one with the signing key, which never leaves the catalog.
  throw new BadRequestError(`Invalid RemoteSignRequest: ${CONTENT_SHA256} must be UNSIGNED-PAYLOAD, ${UNSIGNED_STREAMING} or a hex SHA-256 (signed chunks are not supported)`);
}

/** Lower-case names, one entry per name (a name twice in different case is ambiguous), values without line breaks. */
function normaliseHeaders(headers: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [rawName, values] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (!HEADER_NAME.test(name)) throw new BadRequestError(`Invalid RemoteSignRequest header name '${rawName.slice(0, 64)}'`);
    if (Object.hasOwn(out, name)) throw new BadRequestError(`Invalid RemoteSignRequest: header ${name} is given twice`);
    for (const value of values) {
      if (value.length > MAX_HEADER_VALUE || /[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) throw new BadRequestError(`Invalid RemoteSignRequest: header ${name} has an invalid value`);
    }
    out[name] = [...values];
  }
  return out;
}

const outside = (what: string, detail: string): ForbiddenError => new ForbiddenError(`Not signed: ${what} ${detail} is outside the table's location`);

/**
 * Strictly below the table location: S3 keys are flat strings, so the string test (`<root>/` as a
 * prefix) is what S3 will address; the canonical-location test adds the catalog's rule that no
 * segment may read as a step upwards to any other reader of the key.
 */
function requireKeyInside(bucket: string, key: string, root: CanonicalLocation, what: string): void {
  const rootKey = root.segments.join('/');
  const quoted = `'${key.slice(0, 200)}'`;
  if (!key.startsWith(`${rootKey}/`) || key.length === rootKey.length + 1) throw outside(what, quoted);
  let location: CanonicalLocation;
  try {
    location = parseLocation(`s3://${bucket}/${key}`, what);
  } catch (error) {
    throw new ForbiddenError(`Not signed: ${(error as Error).message}`);
  }
  if (!isInside(location, root) || location.segments.length <= root.segments.length) throw outside(what, quoted);
}

/** A list prefix must name the table's folder or something in it: `<root>/…` (never `<root>`, which also matches `<root>0`). */
function requirePrefixInside(bucket: string, prefix: string, root: CanonicalLocation): void {
  const rootKey = root.segments.join('/');
  if (!prefix.startsWith(`${rootKey}/`)) throw outside('list prefix', `'${prefix.slice(0, 200)}'`);
  try {
    parseLocation(`s3://${bucket}/${prefix}`, 'list prefix');
  } catch (error) {
    throw new ForbiddenError(`Not signed: ${(error as Error).message}`);
  }
}
