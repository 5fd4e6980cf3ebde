import { ForbiddenError } from '../../errors.js';
import type { S3RequestUri } from './s3-request-uri.js';

/**
 * The S3 operations the signer signs, recognised by method, key and query parameters exactly as S3
 * routes them, and the access each needs. Anything else (bucket settings, ACLs, versions, other
 * sub-resources, an unknown parameter) is refused: a parameter the catalog did not look at could
 * turn a read into something else (`?acl`, `?policy`, `?versioning`).
 *
 * - read: GetObject, HeadObject, ListObjectsV2 (its prefix is checked by the caller);
 * - write: PutObject, DeleteObject, the multipart calls, and DeleteObjects (its body's keys are
 *   checked by the caller).
 * Deleting a specific object version is refused (it removes history a bucket's versioning keeps on
 * purpose); copies are refused by header (see signing-rules.ts).
 */
export type S3Access = 'read' | 'write';

export type S3OperationName =
  | 'GetObject'
  | 'HeadObject'
  | 'ListObjectsV2'
  | 'PutObject'
  | 'DeleteObject'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'
  | 'DeleteObjects';

export interface S3Operation {
  readonly name: S3OperationName;
  readonly access: S3Access;
  /** On the bucket itself (no key): its objects are named by `prefix` or by the body. */
  readonly bucketLevel: boolean;
}

interface OperationShape {
  readonly name: S3OperationName;
  readonly method: string;
  readonly access: S3Access;
  readonly bucketLevel: boolean;
  /** Parameters that must be present (a value, or '' for a flag such as `uploads`). */
  readonly required: readonly string[];
  readonly optional: readonly string[];
}

/** The AWS SDK for JavaScript adds `x-id=<Operation>` to some requests; S3 ignores it. */
const SDK_MARKER = 'x-id';

const SHAPES: readonly OperationShape[] = [
  { name: 'GetObject', method: 'GET', access: 'read', bucketLevel: false, required: [], optional: ['versionId', 'partNumber'] },
  { name: 'HeadObject', method: 'HEAD', access: 'read', bucketLevel: false, required: [], optional: ['versionId', 'partNumber'] },
  {
    name: 'ListObjectsV2',
    method: 'GET',
    access: 'read',
    bucketLevel: true,
    required: ['list-type', 'prefix'],
    optional: ['delimiter', 'continuation-token', 'max-keys', 'start-after', 'encoding-type', 'fetch-owner'],
  },
  { name: 'PutObject', method: 'PUT', access: 'write', bucketLevel: false, required: [], optional: [] },
  { name: 'UploadPart', method: 'PUT', access: 'write', bucketLevel: false, required: ['partNumber', 'uploadId'], optional: [] },
  { name: 'DeleteObject', method: 'DELETE', access: 'write', bucketLevel: false, required: [], optional: [] },
  { name: 'CreateMultipartUpload', method: 'POST', access: 'write', bucketLevel: false, required: ['uploads'], optional: [] },
  { name: 'CompleteMultipartUpload', method: 'POST', access: 'write', bucketLevel: false, required: ['uploadId'], optional: [] },
  { name: 'AbortMultipartUpload', method: 'DELETE', access: 'write', bucketLevel: false, required: ['uploadId'], optional: [] },
  { name: 'ListParts', method: 'GET', access: 'write', bucketLevel: false, required: ['uploadId'], optional: ['max-parts', 'part-number-marker'] },
  { name: 'DeleteObjects', method: 'POST', access: 'write', bucketLevel: true, required: ['delete'], optional: [] },
];

/** Flags carry no value; parameters with values must have one. */
const FLAGS = new Set(['uploads', 'delete']);

function fits(shape: OperationShape, method: string, target: S3RequestUri): boolean {
  if (shape.method !== method || shape.bucketLevel !== (target.key === '')) return false;
  const names = [...target.query.keys()].filter((n) => n !== SDK_MARKER);
  if (!shape.required.every((n) => target.query.has(n))) return false;
  return names.every((n) => shape.required.includes(n) || shape.optional.includes(n));
}

/** 403 for anything that is not one of the operations above. */
export function classifyS3Operation(method: string, target: S3RequestUri): S3Operation {
  // The most specific shape first: UploadPart before PutObject, AbortMultipartUpload before DeleteObject.
  const candidates = SHAPES.filter((shape) => fits(shape, method, target)).sort((a, b) => b.required.length - a.required.length);
  const shape = candidates[0];
  if (shape === undefined) {
    const params = [...target.query.keys()].map((n) => n.slice(0, 32)).join(', ');
    throw new ForbiddenError(`Not signed: ${method} ${target.key === '' ? 'on the bucket' : 'on an object'}${params === '' ? '' : ` with query parameters ${params}`} is not an S3 operation the catalog signs`);
  }
  for (const name of shape.required) {
    const value = target.query.get(name) ?? '';
    if (FLAGS.has(name) ? value !== '' : value === '') throw new ForbiddenError(`Not signed: query parameter '${name}' of ${shape.name} is malformed`);
  }
  if (shape.name === 'ListObjectsV2' && target.query.get('list-type') !== '2') throw new ForbiddenError('Not signed: only ListObjectsV2 (list-type=2) is signed');
  const marker = target.query.get(SDK_MARKER);
  if (marker !== undefined && !/^[A-Za-z0-9]{1,64}$/.test(marker)) throw new ForbiddenError(`Not signed: malformed ${SDK_MARKER} parameter`);
  return { name: shape.name, access: shape.access, bucketLevel: shape.bucketLevel };
}
