import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLocation } from '../../catalog/locations/canonical-location.js';
import { s3Endpoint } from './s3-endpoint.js';
import { prepareSignRequest } from './signing-rules.js';
import { SigV4RequestSigner } from './sigv4-request-signer.js';

const connection = { endpoint: 'http://127.0.0.1:7490', region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } };
const prepared = prepareSignRequest(
  { region: 'us-east-1', method: 'GET', uri: 'http://127.0.0.1:7490/wh/warehouse/t/data/a', headers: { 'x-amz-meta-k': ['v'], range: ['bytes=0-1'] } },
  { root: parseLocation('s3://wh/warehouse/t'), access: 'read', endpoint: s3Endpoint(connection) },
);
const at = new Date('2026-12-07T19:00:00Z');

test('signs with the configured key for the region and date, over host, payload hash, date and the signed client headers', async () => {
  const headers = await new SigV4RequestSigner(connection).sign(prepared, at);
  assert.equal(headers['x-amz-date'], '20261207T190000Z');
  assert.match(headers['authorization'] ?? '', /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261207\/us-east-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-meta-k, Signature=[0-9a-f]{64}$/);
  assert.equal(headers['range'], undefined, 'unsigned headers are not the signer’s to return');
});

test('the same request at the same time signs the same; another key signs differently', async () => {
  const a = await new SigV4RequestSigner(connection).sign(prepared, at);
  const b = await new SigV4RequestSigner(connection).sign(prepared, at);
  const c = await new SigV4RequestSigner({ ...connection, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'other' } }).sign(prepared, at);
  assert.equal(a['authorization'], b['authorization']);
  assert.notEqual(a['authorization'], c['authorization']);
});
