import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { ROUTE_FUNCTIONS } from '../../../infra/functions.js';
import { buildFunction, type BuiltFunction } from '../../../scripts/build-functions.js';

/**
 * The bundles as deployed (code splitting on: lazily imported modules are chunks beside index.mjs)
 * must still run: each is imported by a fresh node process, as Lambda does, and answers a request
 * that loads its lazy chunks (store adapter, record encryption), verifies an OIDC token and asks
 * Cedar (its WebAssembly module is found beside the bundle).
 */
let dir: string;
const built = new Map<string, BuiltFunction>();

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bundled-handlers-'));
  for (const operationId of ['createNamespace', 'listNamespaces']) {
    const spec = ROUTE_FUNCTIONS.find((f) => f.operationId === operationId)!;
    built.set(operationId, await buildFunction(spec, join(dir, 'dist')));
  }
});
after(async () => rm(dir, { recursive: true, force: true }));

const PROBE = `
const [createUrl, listUrl, token] = process.argv.slice(1);
const event = (method, path, body) => ({ version: '2.0', routeKey: method + ' ' + path, rawPath: path, rawQueryString: '', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, requestContext: { http: { method, path, sourceIp: '127.0.0.1' }, requestId: 'r' }, body: body === undefined ? undefined : JSON.stringify(body), isBase64Encoded: false });
const context = { awsRequestId: 'a', getRemainingTimeInMillis: () => 10000 };
const created = await (await import(createUrl)).handler(event('POST', '/v1/default/namespaces', { namespace: ['bundled'] }), context);
const listed = await (await import(listUrl)).handler(event('GET', '/v1/default/namespaces'), context);
process.stdout.write(JSON.stringify({ created: created.statusCode, listed: listed.statusCode, body: listed.body }));
`;

test('bundles are split: lazily imported modules are chunks beside the entry', async () => {
  const fn = built.get('createNamespace')!;
  const files = await readdir(join(fn.outfile, '..'));
  assert.ok(files.includes('index.mjs'));
  assert.ok(files.filter((f) => f.endsWith('.mjs')).length > 1, 'more than one chunk');
  assert.ok(fn.totalBytes > fn.bytes, 'some code loads only when a request needs it');
});

test('split bundles run a request end to end in a fresh process: store, encryption, OIDC, Cedar', async () => {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] });
  const issuer = 'https://idp.example.test';
  const token = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('alice').setIssuer(issuer).setAudience('catalog').setIssuedAt().setExpirationTime('5m').sign(privateKey);
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, pathToFileURL(built.get('createNamespace')!.outfile).href, pathToFileURL(built.get('listNamespaces')!.outfile).href, token], {
    env: {
      PATH: process.env['PATH'] ?? '',
      CATALOG_DATA_DIR: join(dir, 'data'),
      CATALOG_LOG_LEVEL: 'error',
      CATALOG_OIDC_ISSUER: issuer,
      CATALOG_OIDC_AUDIENCE: 'catalog',
      CATALOG_OIDC_JWKS: jwks,
      CATALOG_AUTH_ADMINS: 'user:alice',
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { created: number; listed: number; body: string };
  assert.deepEqual([result.created, result.listed], [200, 200], result.body);
  assert.deepEqual(JSON.parse(result.body).namespaces, [['bundled']]);
});
