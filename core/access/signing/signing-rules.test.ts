import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { parseLocation } from '../../catalog/locations/canonical-location.js';
import { BadRequestError, ForbiddenError } from '../../errors.js';
import { s3Endpoint, type S3Endpoint } from './s3-endpoint.js';
import type { S3Access } from './s3-operation.js';
import { MAX_SIGN_URI_LENGTH } from './s3-request-uri.js';
import { prepareSignRequest, type RemoteSignInput, type SigningScope } from './signing-rules.js';

// A table at s3://wh/warehouse/sales/orders behind an S3-compatible endpoint (path-style), and the
// same table on AWS (virtual-hosted).
const RGW = s3Endpoint({ endpoint: 'http://127.0.0.1:7490', region: 'us-east-1' });
const AWS = s3Endpoint({ region: 'eu-west-1' });
const ROOT = parseLocation('s3://wh/warehouse/sales/orders');
const E = 'http://127.0.0.1:7490';
const T = `${E}/wh/warehouse/sales/orders`;

const scope = (access: S3Access, endpoint: S3Endpoint = RGW): SigningScope => ({ root: ROOT, access, endpoint });
const aSignRequest = (over: Partial<RemoteSignInput> = {}): RemoteSignInput => ({ region: 'us-east-1', method: 'GET', uri: `${T}/data/a.parquet`, headers: {}, ...over });
const deleteBody = (...keys: string[]): string => `<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${keys.map((k) => `<Object><Key>${k}</Key></Object>`).join('')}</Delete>`;

interface Attack {
  readonly name: string;
  readonly input: Partial<RemoteSignInput>;
  readonly access?: S3Access;
  readonly endpoint?: S3Endpoint;
  readonly status: 400 | 403;
}

/** Each is refused; the closing note counts them. */
const ATTACKS: readonly Attack[] = [
  { name: "another table's prefix", input: { uri: `${E}/wh/warehouse/sales/customers/data/a.parquet` }, status: 403 },
  { name: 'a sibling prefix (orders10)', input: { uri: `${E}/wh/warehouse/sales/orders10/data/a.parquet` }, status: 403 },
  { name: 'a sibling prefix (orders-old)', input: { uri: `${E}/wh/warehouse/sales/orders-old/a` }, status: 403 },
  { name: 'the table location itself as a key', input: { uri: `${E}/wh/warehouse/sales/orders` }, status: 403 },
  { name: 'the table folder marker', input: { uri: `${E}/wh/warehouse/sales/orders/` }, status: 403 },
  { name: 'the parent namespace folder', input: { uri: `${E}/wh/warehouse/sales/x` }, status: 403 },
  { name: 'another bucket', input: { uri: `${E}/other/warehouse/sales/orders/data/a.parquet` }, status: 403 },
  { name: 'another host', input: { uri: 'http://evil.example:7490/wh/warehouse/sales/orders/data/a' }, status: 403 },
  { name: 'another port', input: { uri: 'http://127.0.0.1:7491/wh/warehouse/sales/orders/data/a' }, status: 403 },
  { name: 'https to an http endpoint', input: { uri: 'https://127.0.0.1:7490/wh/warehouse/sales/orders/data/a' }, status: 403 },
  { name: '.. segment', input: { uri: `${T}/../customers/data/a` }, status: 403 },
  { name: '. segment', input: { uri: `${T}/./data/a` }, status: 403 },
  { name: '%2e%2e segment', input: { uri: `${T}/%2e%2e/customers/data/a` }, status: 403 },
  { name: '.%2E segment', input: { uri: `${T}/.%2E/customers/data/a` }, status: 403 },
  { name: '%2E segment', input: { uri: `${T}/%2E/data/a` }, status: 403 },
  { name: 'double-encoded %252e%252e (a reader decoding twice climbs)', input: { uri: `${T}/%252e%252e/customers/a` }, status: 403 },
  { name: '%2F encoded slash', input: { uri: `${E}/wh/warehouse/sales/orders%2F..%2Fcustomers/a` }, status: 403 },
  { name: '%2f lower-case encoded slash inside the table', input: { uri: `${T}/data%2fa` }, status: 403 },
  { name: '%5C encoded backslash', input: { uri: `${T}/..%5Ccustomers/a` }, status: 403 },
  { name: '// inside the key', input: { uri: `${T}//data/a` }, status: 403 },
  { name: '// right after the bucket', input: { uri: `${E}/wh//warehouse/sales/orders/data/a` }, status: 403 },
  { name: 'list with a prefix outside the table', input: { uri: `${E}/wh?list-type=2&prefix=warehouse%2Fsales%2F` }, status: 403 },
  { name: 'list with the sibling-matching prefix (no trailing /)', input: { uri: `${E}/wh?list-type=2&prefix=warehouse%2Fsales%2Forders` }, status: 403 },
  { name: 'list without a prefix', input: { uri: `${E}/wh?list-type=2` }, status: 403 },
  { name: 'list of another bucket', input: { uri: `${E}/other?list-type=2&prefix=warehouse%2Fsales%2Forders%2F` }, status: 403 },
  { name: 'list v1 (no list-type)', input: { uri: `${E}/wh?prefix=warehouse%2Fsales%2Forders%2F` }, status: 403 },
  { name: 'list with a .. prefix', input: { uri: `${E}/wh?list-type=2&prefix=warehouse%2Fsales%2Forders%2F..%2Fcustomers%2F` }, status: 403 },
  { name: 'PUT by a reader', input: { method: 'PUT' }, status: 403 },
  { name: 'DELETE by a reader', input: { method: 'DELETE' }, status: 403 },
  { name: 'multipart create by a reader', input: { method: 'POST', uri: `${T}/data/a?uploads` }, status: 403 },
  { name: 'multipart part upload by a reader', input: { method: 'PUT', uri: `${T}/data/a?partNumber=1&uploadId=u1` }, status: 403 },
  { name: 'DeleteObjects by a reader', input: { method: 'POST', uri: `${E}/wh?delete`, body: deleteBody('warehouse/sales/orders/data/a') }, status: 403 },
  { name: 'unknown query parameter (?acl on an object)', input: { uri: `${T}/data/a?acl` }, status: 403 },
  { name: 'unknown query parameter (?tagging on PUT)', access: 'write', input: { method: 'PUT', uri: `${T}/data/a?tagging` }, status: 403 },
  { name: 'bucket policy read (?policy)', input: { uri: `${E}/wh?policy` }, status: 403 },
  { name: 'a query parameter given twice', input: { uri: `${E}/wh?list-type=2&prefix=warehouse%2Fsales%2Forders%2F&prefix=warehouse%2F` }, status: 403 },
  { name: 'DELETE of a specific version', access: 'write', input: { method: 'DELETE', uri: `${T}/data/a?versionId=v1` }, status: 403 },
  { name: 'PATCH', access: 'write', input: { method: 'PATCH' }, status: 403 },
  { name: 'OPTIONS', access: 'write', input: { method: 'OPTIONS' }, status: 403 },
  { name: 'non-http scheme (s3://)', input: { uri: 's3://wh/warehouse/sales/orders/data/a' }, status: 400 },
  { name: 'non-http scheme (file://)', input: { uri: 'file:///etc/passwd' }, status: 400 },
  { name: 'not a URI', input: { uri: '/wh/warehouse/sales/orders/data/a' }, status: 400 },
  { name: 'userinfo in the URI', input: { uri: 'http://127.0.0.1:7490@evil.example/wh/warehouse/sales/orders/data/a' }, status: 403 },
  { name: 'userinfo before the right host', input: { uri: 'http://user:pw@127.0.0.1:7490/wh/warehouse/sales/orders/data/a' }, status: 403 },
  { name: 'overlong URI', input: { uri: `${T}/data/${'a'.repeat(MAX_SIGN_URI_LENGTH)}` }, status: 400 },
  { name: 'a fragment', input: { uri: `${T}/data/a#x` }, status: 400 },
  { name: 'a raw space', input: { uri: `${T}/data/a b` }, status: 400 },
  { name: 'a control character (encoded)', input: { uri: `${T}/data/a%0Ab` }, status: 400 },
  { name: 'malformed percent-encoding', input: { uri: `${T}/data/a%zz` }, status: 400 },
  { name: "a raw '+' in the query", input: { uri: `${E}/wh?list-type=2&prefix=warehouse/sales/orders/a+b` }, status: 400 },
  { name: 'another region', input: { region: 'eu-central-1' }, status: 400 },
  { name: 'an unknown method', input: { method: 'PROPFIND' }, status: 400 },
  { name: 'a copy source (reads another object)', access: 'write', input: { method: 'PUT', headers: { 'x-amz-copy-source': ['/wh/warehouse/hr/salaries/data/x'] } }, status: 403 },
  { name: 'a part copy source', access: 'write', input: { method: 'PUT', uri: `${T}/data/a?partNumber=1&uploadId=u`, headers: { 'X-Amz-Copy-Source': ['/other/x'] } }, status: 403 },
  { name: 'a public ACL', access: 'write', input: { method: 'PUT', headers: { 'x-amz-acl': ['public-read'] } }, status: 403 },
  { name: 'an ACL grant', access: 'write', input: { method: 'PUT', headers: { 'x-amz-grant-read': ['uri="http://acs.amazonaws.com/groups/global/AllUsers"'] } }, status: 403 },
  { name: 'an object lock', access: 'write', input: { method: 'PUT', headers: { 'x-amz-object-lock-mode': ['COMPLIANCE'] } }, status: 403 },
  { name: 'a header twice in different case', input: { headers: { 'X-Amz-Meta-A': ['1'], 'x-amz-meta-a': ['2'] } }, status: 400 },
  { name: 'a header value with CRLF', input: { headers: { 'x-amz-meta-a': ['1\r\nx-amz-acl: public-read'] } }, status: 400 },
  { name: 'streaming (chunked) payload signing', access: 'write', input: { method: 'PUT', headers: { 'x-amz-content-sha256': ['STREAMING-AWS4-HMAC-SHA256-PAYLOAD'] } }, status: 400 },
  { name: 'DeleteObjects naming a key outside', access: 'write', input: { method: 'POST', uri: `${E}/wh?delete`, body: deleteBody('warehouse/sales/orders/data/a', 'warehouse/hr/salaries/data/b') }, status: 403 },
  { name: 'DeleteObjects with a .. key', access: 'write', input: { method: 'POST', uri: `${E}/wh?delete`, body: deleteBody('warehouse/sales/orders/../customers/a') }, status: 403 },
  { name: 'DeleteObjects with an entity-encoded .. key', access: 'write', input: { method: 'POST', uri: `${E}/wh?delete`, body: deleteBody('warehouse/sales/orders/&#46;&#46;/customers/a') }, status: 403 },
  { name: 'DeleteObjects with CDATA', access: 'write', input: { method: 'POST', uri: `${E}/wh?delete`, body: '<Delete><Object><Key><![CDATA[warehouse/hr/x]]></Key></Object></Delete>' }, status: 403 },
  { name: 'DeleteObjects with a comment', access: 'write', input: { method: 'POST', uri: `${E}/wh?delete`, body: '<Delete><!-- --><Object><Key>warehouse/sales/orders/a</Key></Object></Delete>' }, status: 403 },
  { name: 'DeleteObjects with a DOCTYPE', access: 'write', input: { method: 'POST', uri: `${E}/wh?delete`, body: '<!DOCTYPE x [<!ENTITY k "warehouse/hr/x">]><Delete><Object><Key>&k;</Key></Object></Delete>' }, status: 403 },
  { name: 'DeleteObjects of a version', access: 'write', input: { method: 'POST', uri: `${E}/wh?delete`, body: '<Delete><Object><Key>warehouse/sales/orders/a</Key><VersionId>v</VersionId></Object></Delete>' }, status: 403 },
  { name: 'DeleteObjects without its body', access: 'write', input: { method: 'POST', uri: `${E}/wh?delete` }, status: 403 },
  { name: 'DeleteObjects whose body hash differs from the one given', access: 'write', input: { method: 'POST', uri: `${E}/wh?delete`, body: deleteBody('warehouse/sales/orders/a'), headers: { 'x-amz-content-sha256': ['0'.repeat(64)] } }, status: 400 },
  { name: 'AWS: a look-alike host', endpoint: AWS, input: { region: 'eu-west-1', uri: 'https://wh.s3.eu-west-1.amazonaws.com.evil.example/warehouse/sales/orders/data/a' }, status: 403 },
  { name: 'AWS: another region\'s endpoint', endpoint: AWS, input: { region: 'eu-west-1', uri: 'https://wh.s3.us-west-2.amazonaws.com/warehouse/sales/orders/data/a' }, status: 403 },
  { name: 'AWS: another bucket, virtual-hosted', endpoint: AWS, input: { region: 'eu-west-1', uri: 'https://other.s3.eu-west-1.amazonaws.com/warehouse/sales/orders/data/a' }, status: 403 },
  { name: 'AWS: plain http', endpoint: AWS, input: { region: 'eu-west-1', uri: 'http://wh.s3.eu-west-1.amazonaws.com/warehouse/sales/orders/data/a' }, status: 403 },
];

describe('refused sign requests (attack cases)', () => {
  for (const attack of ATTACKS) {
    test(`refuses ${attack.name} with ${attack.status}`, () => {
      const run = () => prepareSignRequest(aSignRequest(attack.input), scope(attack.access ?? 'read', attack.endpoint));
      assert.throws(run, attack.status === 403 ? ForbiddenError : BadRequestError);
      if (attack.status === 400) assert.throws(run, (e: unknown) => !(e instanceof ForbiddenError));
    });
  }
  test(`${ATTACKS.length} attack cases`, () => assert.equal(ATTACKS.length, new Set(ATTACKS.map((a) => a.name)).size, "each case once"));
});

describe('signed requests', () => {
  test('a reader has a GET of a data file signed: canonical URI, host, unsigned payload', () => {
    const p = prepareSignRequest(aSignRequest({ headers: { Range: ['bytes=0-9'], 'User-Agent': ['x'] } }), scope('read'));
    assert.equal(p.operation.name, 'GetObject');
    assert.equal(p.uri, `${T}/data/a.parquet`);
    assert.deepEqual(p.signedHeaders, { host: '127.0.0.1:7490', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' });
    assert.deepEqual(p.unsignedHeaders, { range: ['bytes=0-9'], 'user-agent': ['x'] });
  });

  test('a reader has HEAD and a list confined to the table signed', () => {
    assert.equal(prepareSignRequest(aSignRequest({ method: 'HEAD' }), scope('read')).operation.name, 'HeadObject');
    const list = prepareSignRequest(aSignRequest({ uri: `${E}/wh?list-type=2&prefix=warehouse%2Fsales%2Forders%2Fdata%2F&delimiter=%2F&max-keys=10` }), scope('read'));
    assert.equal(list.operation.name, 'ListObjectsV2');
    assert.equal(list.uri, `${E}/wh?list-type=2&prefix=warehouse%2Fsales%2Forders%2Fdata%2F&delimiter=%2F&max-keys=10`);
  });

  test('a writer has PUT, DELETE and every multipart step signed', () => {
    const op = (method: string, suffix: string) => prepareSignRequest(aSignRequest({ method, uri: `${T}/data/a${suffix}` }), scope('write')).operation.name;
    assert.equal(op('PUT', ''), 'PutObject');
    assert.equal(op('DELETE', ''), 'DeleteObject');
    assert.equal(op('POST', '?uploads'), 'CreateMultipartUpload');
    assert.equal(op('PUT', '?partNumber=2&uploadId=abc'), 'UploadPart');
    assert.equal(op('POST', '?uploadId=abc'), 'CompleteMultipartUpload');
    assert.equal(op('GET', '?uploadId=abc'), 'ListParts');
    assert.equal(op('DELETE', '?uploadId=abc'), 'AbortMultipartUpload');
    assert.equal(op('PUT', '?x-id=PutObject'), 'PutObject');
  });

  test('an unsigned aws-chunked upload with a trailing checksum keeps its payload marker', () => {
    const p = prepareSignRequest(aSignRequest({ method: 'PUT', headers: { 'x-amz-content-sha256': ['STREAMING-UNSIGNED-PAYLOAD-TRAILER'], 'x-amz-trailer': ['x-amz-checksum-crc32'] } }), scope('write'));
    assert.equal(p.signedHeaders['x-amz-content-sha256'], 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    assert.equal(p.signedHeaders['x-amz-trailer'], 'x-amz-checksum-crc32');
  });

  test('DeleteObjects inside the table is signed with the SHA-256 of its body', () => {
    const body = deleteBody('warehouse/sales/orders/data/a', 'warehouse/sales/orders/metadata/b&amp;c');
    const p = prepareSignRequest(aSignRequest({ method: 'POST', uri: `${E}/wh?delete`, body, headers: { 'x-amz-content-sha256': ['UNSIGNED-PAYLOAD'] } }), scope('write'));
    assert.equal(p.operation.name, 'DeleteObjects');
    assert.equal(p.signedHeaders['x-amz-content-sha256'], createHash('sha256').update(body).digest('hex'));
    assert.equal(p.uri, `${E}/wh?delete=`);
  });

  test('keys are signed in canonical encoding, whatever encoding the client used', () => {
    const p = prepareSignRequest(aSignRequest({ uri: `${T}/data/a%20b(1)!~.parquet` }), scope('read'));
    assert.equal(p.path, '/wh/warehouse/sales/orders/data/a%20b%281%29%21~.parquet');
  });

  test('the signer-owned headers a client sends are dropped, never signed as given', () => {
    const p = prepareSignRequest(aSignRequest({ headers: { Authorization: ['AWS4 forged'], 'X-Amz-Date': ['20000101T000000Z'], Host: ['evil.example'], 'x-amz-security-token': ['t'] } }), scope('read'));
    assert.deepEqual(Object.keys(p.signedHeaders).sort(), ['host', 'x-amz-content-sha256']);
    assert.equal(p.signedHeaders['host'], '127.0.0.1:7490');
  });

  test('AWS: virtual-hosted and path-style requests on the regional endpoint', () => {
    const virtual = prepareSignRequest(aSignRequest({ region: 'eu-west-1', uri: 'https://wh.s3.eu-west-1.amazonaws.com/warehouse/sales/orders/data/a' }), scope('read', AWS));
    assert.equal(virtual.signedHeaders['host'], 'wh.s3.eu-west-1.amazonaws.com');
    assert.equal(virtual.path, '/warehouse/sales/orders/data/a');
    const path = prepareSignRequest(aSignRequest({ region: 'eu-west-1', uri: 'https://s3.eu-west-1.amazonaws.com/wh/warehouse/sales/orders/data/a' }), scope('read', AWS));
    assert.equal(path.target.bucket, 'wh');
  });

  test('a table whose name needed escaping: its literal key is inside, the unescaped name is not', () => {
    const root = parseLocation('s3://wh/warehouse/sales/a%20b');
    const ok = prepareSignRequest(aSignRequest({ uri: `${E}/wh/warehouse/sales/a%2520b/data/x` }), { root, access: 'read', endpoint: RGW });
    assert.equal(ok.target.key, 'warehouse/sales/a%20b/data/x');
    assert.throws(() => prepareSignRequest(aSignRequest({ uri: `${E}/wh/warehouse/sales/a%20b/data/x` }), { root, access: 'read', endpoint: RGW }), ForbiddenError);
  });
});
