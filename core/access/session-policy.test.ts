import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sessionPolicy, sessionPolicyText, tableS3Prefix, UnscopableLocationError, type AccessLevel, type IamPolicy } from './session-policy.js';

/**
 * A small evaluator of the policies this module writes (Allow statements, `*`/`?` wildcards with
 * IAM's `${*}`/`${?}`/`${$}` literals, StringLike on s3:prefix): what STS would let the session do,
 * intersected with a data-access role that may do anything on S3.
 */
function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const literal = /^\$\{([*?$])\}/.exec(pattern.slice(i));
    if (literal !== null) {
      out += `\\${literal[1]}`;
      i += literal[0].length - 1;
    } else if (pattern[i] === '*') out += '.*';
    else if (pattern[i] === '?') out += '.';
    else out += pattern[i]!.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}

interface S3Call {
  readonly action: string;
  readonly bucket: string;
  readonly key?: string;
  /** ListBucket's prefix parameter. */
  readonly prefix?: string;
}

function allows(policy: IamPolicy, call: S3Call): boolean {
  const resource = call.key === undefined ? `arn:aws:s3:::${call.bucket}` : `arn:aws:s3:::${call.bucket}/${call.key}`;
  return policy.Statement.some((s) => {
    if (!s.Action.includes(call.action)) return false;
    if (!s.Resource.some((r) => globToRegExp(r).test(resource))) return false;
    const prefixes = s.Condition?.StringLike['s3:prefix'];
    if (prefixes === undefined) return true;
    return call.prefix !== undefined && prefixes.some((p) => globToRegExp(p).test(call.prefix!));
  });
}

const T1 = 's3://lake/warehouse/sales/t1';
const policyFor = (level: AccessLevel, location = T1) => sessionPolicy(tableS3Prefix(location), level);
const WRITES = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];

describe('session policy: read-only', () => {
  const policy = policyFor('read-only');

  test('may read objects under the table location', () => {
    assert.ok(allows(policy, { action: 's3:GetObject', bucket: 'lake', key: 'warehouse/sales/t1/metadata/v1.metadata.json' }));
    assert.ok(allows(policy, { action: 's3:GetObject', bucket: 'lake', key: 'warehouse/sales/t1/data/a/b.parquet' }));
  });

  test('may list the table prefix and below, not the bare name', () => {
    assert.ok(allows(policy, { action: 's3:ListBucket', bucket: 'lake', prefix: 'warehouse/sales/t1/' }));
    assert.ok(allows(policy, { action: 's3:ListBucket', bucket: 'lake', prefix: 'warehouse/sales/t1/data/' }));
    assert.equal(allows(policy, { action: 's3:ListBucket', bucket: 'lake', prefix: 'warehouse/sales/t1' }), false, 'prefix t1 would list t10 too');
    assert.equal(allows(policy, { action: 's3:ListBucket', bucket: 'lake' }), false, 'no listing of the whole bucket');
    assert.equal(allows(policy, { action: 's3:ListBucket', bucket: 'lake', prefix: 'warehouse/sales/' }), false);
  });

  test('may not write, delete or touch uploads, even inside the table', () => {
    for (const action of WRITES) assert.equal(allows(policy, { action, bucket: 'lake', key: 'warehouse/sales/t1/data/x.parquet' }), false, action);
  });

  test('may not read a sibling table whose name starts with the same characters (t1 vs t10)', () => {
    assert.equal(allows(policy, { action: 's3:GetObject', bucket: 'lake', key: 'warehouse/sales/t10/data/x.parquet' }), false);
    assert.equal(allows(policy, { action: 's3:ListBucket', bucket: 'lake', prefix: 'warehouse/sales/t10/' }), false);
  });

  test('may not read another table, the namespace folder or the location object itself', () => {
    assert.equal(allows(policy, { action: 's3:GetObject', bucket: 'lake', key: 'warehouse/sales/t2/data/x.parquet' }), false);
    assert.equal(allows(policy, { action: 's3:GetObject', bucket: 'lake', key: 'warehouse/sales/other.json' }), false);
    assert.equal(allows(policy, { action: 's3:GetObject', bucket: 'lake', key: 'warehouse/sales/t1' }), false);
  });

  test('may not read the same keys in another bucket', () => {
    assert.equal(allows(policy, { action: 's3:GetObject', bucket: 'lake2', key: 'warehouse/sales/t1/data/x.parquet' }), false);
    assert.equal(allows(policy, { action: 's3:ListBucket', bucket: 'lake2', prefix: 'warehouse/sales/t1/' }), false);
  });

  test('grants nothing beyond GetObject and ListBucket', () => {
    const actions = new Set(policy.Statement.flatMap((s) => s.Action));
    assert.deepEqual([...actions].sort(), ['s3:GetObject', 's3:ListBucket']);
    assert.ok(policy.Statement.every((s) => s.Effect === 'Allow' && s.Resource.every((r) => r.startsWith('arn:aws:s3:::lake'))));
  });
});

describe('session policy: read-write', () => {
  const policy = policyFor('read-write');

  test('may read, write, delete and clean up multipart uploads under the table location', () => {
    for (const action of ['s3:GetObject', ...WRITES]) assert.ok(allows(policy, { action, bucket: 'lake', key: 'warehouse/sales/t1/data/x.parquet' }), action);
    assert.ok(allows(policy, { action: 's3:ListBucket', bucket: 'lake', prefix: 'warehouse/sales/t1/' }));
  });

  test('may not write a sibling table, another table or another bucket', () => {
    for (const action of WRITES) {
      assert.equal(allows(policy, { action, bucket: 'lake', key: 'warehouse/sales/t10/x' }), false, `${action} t10`);
      assert.equal(allows(policy, { action, bucket: 'lake', key: 'warehouse/sales/t2/x' }), false, `${action} t2`);
      assert.equal(allows(policy, { action, bucket: 'other', key: 'warehouse/sales/t1/x' }), false, `${action} other bucket`);
    }
  });

  test('grants no bucket-level write (policy, ACL, delete bucket)', () => {
    const actions = new Set(policy.Statement.flatMap((s) => s.Action));
    for (const forbidden of ['s3:PutBucketPolicy', 's3:DeleteBucket', 's3:PutObjectAcl', 's3:*']) assert.equal(actions.has(forbidden), false, forbidden);
  });
});

describe('table locations', () => {
  test('IAM wildcard characters in a location are literals: table t* does not reach t1', () => {
    const policy = policyFor('read-write', 's3://lake/wh/ns/t*');
    assert.ok(allows(policy, { action: 's3:GetObject', bucket: 'lake', key: 'wh/ns/t*/data/x' }));
    assert.equal(allows(policy, { action: 's3:GetObject', bucket: 'lake', key: 'wh/ns/t1/data/x' }), false);
    assert.equal(allows(policy, { action: 's3:ListBucket', bucket: 'lake', prefix: 'wh/ns/t1/' }), false);
    // `?` never reaches a policy from a location (parseLocation refuses query strings), but a key may hold one.
    const q = sessionPolicy({ bucket: 'lake', key: 'wh/ns/t?' }, 'read-only');
    assert.equal(allows(q, { action: 's3:GetObject', bucket: 'lake', key: 'wh/ns/tx/data/x' }), false);
    assert.ok(JSON.stringify(policyFor('read-only', 's3://lake/wh/ns/a$b')).includes('a${$}b'));
  });

  test('s3a and s3n are the same store; a trailing slash does not widen the scope', () => {
    assert.deepEqual(tableS3Prefix('s3a://lake/wh/t1/'), { bucket: 'lake', key: 'wh/t1' });
    assert.deepEqual(tableS3Prefix('s3n://lake/wh/t1'), { bucket: 'lake', key: 'wh/t1' });
  });

  test('a file location, a whole bucket or a location that climbs is refused', () => {
    assert.throws(() => tableS3Prefix('file:///tmp/wh/t1'), UnscopableLocationError);
    assert.throws(() => tableS3Prefix('s3://lake'), UnscopableLocationError);
    assert.throws(() => tableS3Prefix('s3://lake/'), UnscopableLocationError);
    assert.throws(() => tableS3Prefix('s3://lake/wh/../other'));
  });

  test('a policy over STS limit is refused before STS sees it', () => {
    assert.throws(() => sessionPolicyText(tableS3Prefix(`s3://lake/${'x'.repeat(700)}`), 'read-write'), UnscopableLocationError);
    assert.ok(sessionPolicyText(tableS3Prefix(T1), 'read-write').length < 2048);
  });
});
