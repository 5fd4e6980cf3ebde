import { parseLocation } from '../catalog/locations/canonical-location.js';
import { BadRequestError } from '../errors.js';

/**
 * What vended credentials may do, as Cedar decides per caller and table: `read-only` for a caller
 * that may only read the table, `read-write` for one that may also update it.
 */
export type AccessLevel = 'read-only' | 'read-write';

/** A table's location as S3 addresses it: a bucket and a key prefix without a trailing `/`. */
export interface S3Prefix {
  readonly bucket: string;
  readonly key: string;
}

/** AWS STS accepts an inline session policy of at most 2,048 characters (plain text, before packing). */
export const MAX_SESSION_POLICY_CHARS = 2048;

export const READ_ACTIONS = ['s3:GetObject'] as const;
/** PutObject covers CreateMultipartUpload, UploadPart and CompleteMultipartUpload in IAM. */
export const WRITE_ACTIONS = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'] as const;

export interface IamStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: { readonly StringLike: { readonly 's3:prefix': readonly string[] } };
}

export interface IamPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: readonly IamStatement[];
}

/** A table whose location the catalog cannot scope credentials to (not S3, or a whole bucket). */
export class UnscopableLocationError extends BadRequestError {}

/** The S3 bucket and key prefix of a table location (`s3`, `s3a`, `s3n`), in the catalog's canonical form. */
export function tableS3Prefix(location: string): S3Prefix {
  const canonical = parseLocation(location, 'table location');
  if (canonical.scheme !== 's3') throw new UnscopableLocationError(`Cannot vend S3 credentials for table location '${location.slice(0, 200)}': not an S3 location`);
  // Never the whole bucket: a table at the bucket root would share its scope with every other table.
  if (canonical.segments.length === 0) throw new UnscopableLocationError(`Cannot vend S3 credentials for table location '${location.slice(0, 200)}': it is a whole bucket`);
  return { bucket: canonical.authority, key: canonical.segments.join('/') };
}

/**
 * IAM reads `*` and `?` in a resource or a StringLike value as wildcards, and `$` starts a policy
 * variable; a table named `t*` must not reach `t1` and `t10`. `${*}`, `${?}` and `${$}` are IAM's
 * literal forms (policy Version 2012-10-17). A store that does not know them matches the literal
 * text `${*}`, which fails closed (less access, never more).
 */
export function iamLiteral(text: string): string {
  return text.replace(/[$*?]/g, (c) => `\${${c}}`);
}

/**
 * The inline session policy for AssumeRole: the effective permissions are the intersection of the
 * data-access role's own policy and this one, so this policy alone decides the table scope.
 * - Objects: only keys under `<prefix>/` (the trailing `/` keeps table `t1` out of `t10/`).
 * - Listing: ListBucket on the bucket, only with an `s3:prefix` of `<prefix>/` or below it; a
 *   listing with prefix `t1` would show the keys of `t10` too, so it is refused.
 * - read-write adds writing, deleting and multipart clean-up on the same keys.
 * Nothing else: no other bucket, no bucket configuration, no ACLs, no versions.
 */
export function sessionPolicy(prefix: S3Prefix, level: AccessLevel): IamPolicy {
  const keys = iamLiteral(`${prefix.key}/`);
  const objects = `arn:aws:s3:::${prefix.bucket}/${keys}*`;
  const statements: IamStatement[] = [
    { Sid: 'ReadTableObjects', Effect: 'Allow', Action: [...READ_ACTIONS], Resource: [objects] },
    { Sid: 'ListTablePrefix', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [`arn:aws:s3:::${prefix.bucket}`], Condition: { StringLike: { 's3:prefix': [keys, `${keys}*`] } } },
  ];
  if (level === 'read-write') statements.push({ Sid: 'WriteTableObjects', Effect: 'Allow', Action: [...WRITE_ACTIONS], Resource: [objects] });
  return { Version: '2012-10-17', Statement: statements };
}

/** The policy as sent to STS; a location so long that the policy exceeds STS's limit is refused here, not by STS. */
export function sessionPolicyText(prefix: S3Prefix, level: AccessLevel): string {
  const text = JSON.stringify(sessionPolicy(prefix, level));
  if (text.length > MAX_SESSION_POLICY_CHARS) {
    throw new UnscopableLocationError(`Cannot vend S3 credentials for s3://${prefix.bucket}/${prefix.key.slice(0, 200)}: the table location is too long for an STS session policy (${MAX_SESSION_POLICY_CHARS} characters)`);
  }
  return text;
}
