import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { assertError, assertStatus } from '../support/assertions.js';
import { auditRecords, keyWithRole } from '../support/auth-fixtures.js';
import { startTestCatalog, uniqueName, type CatalogResponse, type TestCatalog } from '../support/catalog-harness.js';
import { createTableBody } from '../support/table-requests.js';

/**
 * X-Iceberg-Access-Delegation over HTTP with auth on, on whatever store the run has:
 * - local files: every mode is negotiated and nothing is vended (file:// tables), unknown mode 400;
 * - S3 without a data-access role: access-delegation-without-role.test.ts;
 * - S3 with a real STS (CATALOG_DATA_ACCESS_ROLE_ARN + CATALOG_STS_ENDPOINT, as scripts/rgw-up.sh
 *   exports them, or AWS): real credentials, whose scope is then tried against the store itself.
 * Nothing here stands in for STS: the vending tests are skipped, with the reason, where none exists.
 */
const STS = (process.env['CATALOG_DATA_ACCESS_ROLE_ARN'] ?? '') !== '' && (process.env['S3_ENDPOINT'] ?? '') !== '';
const S3 = (process.env['S3_ENDPOINT'] ?? '') !== '';
const NO_STS = 'needs S3 with a real STS (CATALOG_DATA_ACCESS_ROLE_ARN, CATALOG_STS_ENDPOINT: scripts/rgw-up.sh exports them)';
const HEADER = 'X-Iceberg-Access-Delegation';

let catalog: TestCatalog;
let ns: string;
let otherNs: string;
let keys: { writer: string; reader: string; outsider: string };
const WH = 'default';
const tables = (namespace: string) => `/v1/${WH}/namespaces/${namespace}/tables`;

type LoadResult = { config: Record<string, string>; metadata: { location: string }; 'storage-credentials'?: { prefix: string; config: Record<string, string> }[]; 'remote-signing-config'?: { properties?: Record<string, string> } };
const result = (r: CatalogResponse): LoadResult => r.body as unknown as LoadResult;

before(async () => {
  catalog = await startTestCatalog({ auth: true });
  ns = uniqueName('deleg');
  otherNs = uniqueName('deleg_other');
  for (const n of [ns, otherNs]) assertStatus(await catalog.request('POST', `/v1/${WH}/namespaces`, { body: { namespace: [n] } }), 200);
  for (const t of ['t1', 't10', 'orders']) assertStatus(await catalog.request('POST', tables(ns), { body: createTableBody(t) }), 200);
  assertStatus(await catalog.request('POST', tables(otherNs), { body: createTableBody('hidden') }), 200);
  const scope = { type: 'Namespace' as const, warehouse: WH, namespace: [ns] };
  keys = {
    writer: await keyWithRole(catalog, 'writer', 'TableWriter', scope),
    reader: await keyWithRole(catalog, 'reader', 'TableReader', scope),
    outsider: await keyWithRole(catalog, 'outsider'),
  };
});
after(async () => catalog.close());

const load = (table: string, delegation?: string, token?: string, namespace = ns) =>
  catalog.request('GET', `${tables(namespace)}/${table}`, { ...(delegation !== undefined ? { headers: { [HEADER]: delegation } } : {}), ...(token !== undefined ? { token } : {}) });
const credentials = (table: string, token?: string, headers: Record<string, string> = {}) =>
  catalog.request('GET', `${tables(ns)}/${table}/credentials`, { headers, ...(token !== undefined ? { token } : {}) });

describe('negotiation (every store)', () => {
  test('no header: no delegation, the answer as before', async () => {
    const r = await load('orders');
    assertStatus(r, 200);
    assert.deepEqual(result(r).config, {});
    assert.equal(result(r)['storage-credentials'], undefined);
    assert.equal(result(r)['remote-signing-config'], undefined);
  });

  test('an unknown mechanism is a 400 on loadTable, createTable, registerTable and loadCredentials', async () => {
    assertError(await load('orders', 'vended-credentials,sftp'), 400, 'BadRequestException', 'sftp');
    assertError(await catalog.request('POST', tables(ns), { body: createTableBody(uniqueName('never')), headers: { [HEADER]: 'keys' } }), 400, 'BadRequestException');
    assertError(await catalog.request('POST', `/v1/${WH}/namespaces/${ns}/register`, { body: { name: uniqueName('never'), 'metadata-location': 's3://x/y.metadata.json' }, headers: { [HEADER]: 'keys' } }), 400, 'BadRequestException');
    assertError(await credentials('orders', undefined, { [HEADER]: 'nope' }), 400, 'BadRequestException');
  });

  test('a caller that may not read the table gets 404 and no credentials, with any mode', async () => {
    for (const mode of ['vended-credentials', 'remote-signing', 'vended-credentials,remote-signing']) {
      const r = await load('hidden', mode, keys.reader, otherNs);
      assertError(r, 404, 'NoSuchTableException');
      assert.ok(!r.text.includes('s3.'), 'no storage settings in a refusal');
    }
    assertError(await credentials('orders', keys.outsider), 404, 'NoSuchTableException');
    assertError(await load('orders', 'vended-credentials', keys.outsider), 404, 'NoSuchTableException');
  });

  test('GET /v1/config advertises loadCredentials (live)', async () => {
    const r = await catalog.request('GET', '/v1/config');
    assert.ok((r.body as { endpoints: string[] }).endpoints.includes('GET /v1/{prefix}/namespaces/{namespace}/tables/{table}/credentials'));
  });
});

describe('local files: nothing is vended', { skip: S3 ? 'the store is S3' : false }, () => {
  test('every mode and combination answers none, says why, and carries no credentials', async () => {
    for (const mode of ['vended-credentials', 'remote-signing', 'vended-credentials,remote-signing', 'remote-signing, vended-credentials']) {
      const r = await load('orders', mode, keys.writer);
      assertStatus(r, 200);
      assert.equal(result(r).config['catalog.access-delegation'], 'none', mode);
      assert.match(result(r).config['catalog.access-delegation.reason'] ?? '', /file/);
      assert.equal(result(r)['storage-credentials'], undefined);
      assert.equal(r.headers.get('cache-control'), null, 'nothing secret, nothing to forbid');
      assert.equal(r.headers.get('vary'), 'X-Iceberg-Access-Delegation', 'caches key on the delegation asked for');
    }
  });

  test('loadCredentials answers an empty list', async () => {
    const r = await credentials('orders', keys.reader);
    assertStatus(r, 200);
    assert.deepEqual(r.body, { 'storage-credentials': [] });
  });

  test('createTable (also staged) and registerTable negotiate the same way', async () => {
    const created = await catalog.request('POST', tables(ns), { body: createTableBody(uniqueName('c')), headers: { [HEADER]: 'vended-credentials' } });
    assertStatus(created, 200);
    assert.equal(result(created).config['catalog.access-delegation'], 'none');
    const staged = await catalog.request('POST', tables(ns), { body: createTableBody(uniqueName('s'), { 'stage-create': true }), headers: { [HEADER]: 'remote-signing' } });
    assertStatus(staged, 200);
    assert.equal(result(staged).config['catalog.access-delegation'], 'none');
    const source = await load('orders');
    const location = (source.body as { 'metadata-location': string })['metadata-location'];
    const registered = await catalog.request('POST', `/v1/${WH}/namespaces/${ns}/register`, { body: { name: uniqueName('r'), 'metadata-location': location }, headers: { [HEADER]: 'vended-credentials,remote-signing' } });
    assertStatus(registered, 200);
    assert.equal(result(registered).config['catalog.access-delegation'], 'none');
  });
});

describe('S3 with STS: vended credentials, scoped and enforced by the store', { skip: STS ? false : NO_STS }, () => {
  // Destroyed at the end: their keep-alive sockets would hold the test process for a minute.
  const clients: S3Client[] = [];
  after(() => clients.forEach((c) => c.destroy()));
  const s3 = (c?: Record<string, string>) => {
    const client = new S3Client({
      region: process.env['S3_REGION'] ?? 'us-east-1',
      endpoint: process.env['S3_ENDPOINT']!,
      forcePathStyle: true,
      credentials: c === undefined
        ? { accessKeyId: process.env['S3_ACCESS_KEY']!, secretAccessKey: process.env['S3_SECRET_KEY']! }
        : { accessKeyId: c['s3.access-key-id']!, secretAccessKey: c['s3.secret-access-key']!, sessionToken: c['s3.session-token']! },
    });
    clients.push(client);
    return client;
  };
  const split = (location: string) => {
    const m = /^s3a?:\/\/([^/]+)\/(.+)$/.exec(location)!;
    return { bucket: m[1]!, key: m[2]!.replace(/\/+$/, '') };
  };
  const outcome = async (p: Promise<unknown>): Promise<'allowed' | number> => {
    try {
      await p;
      return 'allowed';
    } catch (e) {
      return (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? -1;
    }
  };
  let t1: { bucket: string; key: string };
  let t10: { bucket: string; key: string };

  before(async () => {
    t1 = split(result(await load('t1')).metadata.location);
    t10 = split(result(await load('t10')).metadata.location);
    const admin = s3();
    for (const t of [t1, t10]) await admin.send(new PutObjectCommand({ Bucket: t.bucket, Key: `${t.key}/data/probe.txt`, Body: 'probe' }));
  });

  test('vended-credentials: storage-credentials for the table location, the same keys in config, a refresh endpoint, no-store', async () => {
    const r = await load('t1', 'vended-credentials', keys.reader);
    assertStatus(r, 200);
    const body = result(r);
    const [credential, ...more] = body['storage-credentials'] ?? [];
    assert.equal(more.length, 0);
    assert.equal(credential?.prefix, body.metadata.location);
    for (const k of ['s3.access-key-id', 's3.secret-access-key', 's3.session-token', 's3.session-token-expires-at-ms']) assert.ok(credential?.config[k], k);
    assert.equal(body.config['s3.session-token'], credential?.config['s3.session-token']);
    assert.equal(body.config['client.refresh-credentials-endpoint'], `v1/${WH}/namespaces/${ns}/tables/t1/credentials`);
    assert.ok(Number(credential?.config['s3.session-token-expires-at-ms']) > Date.now() + 10 * 60_000);
    assert.match(r.headers.get('cache-control') ?? '', /no-store/);
  });

  test('both: the preferred vended credentials; remote-signing alone: signer settings and no credentials', async () => {
    assert.ok(result(await load('t1', 'remote-signing,vended-credentials', keys.reader))['storage-credentials']);
    const signing = result(await load('t1', 'remote-signing', keys.reader));
    assert.equal(signing['storage-credentials'], undefined);
    assert.equal(signing.config['s3.remote-signing-enabled'], 'true');
  });

  test('a reader gets read-only scope: GET inside the table, no PUT or DELETE, nothing of the sibling t10, no listing outside', async () => {
    const c = result(await load('t1', 'vended-credentials', keys.reader))['storage-credentials']![0]!.config;
    const client = s3(c);
    assert.equal(await outcome(client.send(new GetObjectCommand({ Bucket: t1.bucket, Key: `${t1.key}/data/probe.txt` }))), 'allowed');
    assert.equal(await outcome(client.send(new ListObjectsV2Command({ Bucket: t1.bucket, Prefix: `${t1.key}/` }))), 'allowed');
    assert.equal(await outcome(client.send(new PutObjectCommand({ Bucket: t1.bucket, Key: `${t1.key}/data/new.txt`, Body: 'x' }))), 403);
    assert.equal(await outcome(client.send(new DeleteObjectCommand({ Bucket: t1.bucket, Key: `${t1.key}/data/probe.txt` }))), 403);
    assert.equal(await outcome(client.send(new GetObjectCommand({ Bucket: t10.bucket, Key: `${t10.key}/data/probe.txt` }))), 403);
    assert.equal(await outcome(client.send(new ListObjectsV2Command({ Bucket: t1.bucket, Prefix: t1.key }))), 403, 'prefix without / would list t10');
  });

  test('a writer gets read-write scope: PUT and DELETE inside the table, nothing in the sibling t10', async () => {
    const c = result(await load('t1', 'vended-credentials', keys.writer))['storage-credentials']![0]!.config;
    const client = s3(c);
    assert.equal(await outcome(client.send(new PutObjectCommand({ Bucket: t1.bucket, Key: `${t1.key}/data/written.txt`, Body: 'x' }))), 'allowed');
    assert.equal(await outcome(client.send(new DeleteObjectCommand({ Bucket: t1.bucket, Key: `${t1.key}/data/written.txt` }))), 'allowed');
    assert.equal(await outcome(client.send(new PutObjectCommand({ Bucket: t10.bucket, Key: `${t10.key}/data/x.txt`, Body: 'x' }))), 403);
    assert.equal(await outcome(client.send(new GetObjectCommand({ Bucket: t10.bucket, Key: `${t10.key}/data/probe.txt` }))), 403);
  });

  test('reader and writer never share credentials; a burst of loads reuses them', async () => {
    const read = result(await load('t1', 'vended-credentials', keys.reader))['storage-credentials']![0]!.config;
    const write = result(await load('t1', 'vended-credentials', keys.writer))['storage-credentials']![0]!.config;
    assert.notEqual(read['s3.access-key-id'], write['s3.access-key-id']);
    for (let i = 0; i < 5; i++) assert.equal(result(await load('t1', 'vended-credentials', keys.reader))['storage-credentials']![0]!.config['s3.access-key-id'], read['s3.access-key-id']);
  });

  test('refresh through loadCredentials: the same scope, answered for readers and writers', async () => {
    const r = await credentials('t1', keys.reader);
    assertStatus(r, 200);
    const list = (r.body as { 'storage-credentials': { prefix: string; config: Record<string, string> }[] })['storage-credentials'];
    assert.equal(list.length, 1);
    assert.equal(list[0]!.prefix, result(await load('t1')).metadata.location);
    assert.match(r.headers.get('cache-control') ?? '', /no-store/);
    const client = s3(list[0]!.config);
    assert.equal(await outcome(client.send(new GetObjectCommand({ Bucket: t1.bucket, Key: `${t1.key}/data/probe.txt` }))), 'allowed');
    assert.equal(await outcome(client.send(new PutObjectCommand({ Bucket: t1.bucket, Key: `${t1.key}/data/n.txt`, Body: 'x' }))), 403);
    assert.deepEqual((await credentials('t1', keys.reader, { [HEADER]: 'remote-signing' })).body, { 'storage-credentials': [] });
  });

  test('an ETag revalidation is a 304 without a body (the client keeps its credentials)', async () => {
    const first = await load('t1', 'vended-credentials', keys.reader);
    const etag = first.headers.get('etag')!;
    const again = await catalog.request('GET', `${tables(ns)}/t1`, { token: keys.reader, headers: { [HEADER]: 'vended-credentials', 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
  });

  test('createTable, a staged create and registerTable vend for the new location', async () => {
    const name = uniqueName('created');
    const created = result(await catalog.request('POST', tables(ns), { body: createTableBody(name), headers: { [HEADER]: 'vended-credentials' } }));
    assert.equal(created['storage-credentials']?.[0]?.prefix, created.metadata.location);
    const staged = result(await catalog.request('POST', tables(ns), { body: createTableBody(uniqueName('staged'), { 'stage-create': true }), headers: { [HEADER]: 'vended-credentials' } }));
    assert.equal(staged['storage-credentials']?.[0]?.prefix, staged.metadata.location);
    const location = (await load(name)).body as { 'metadata-location': string };
    const registered = result(await catalog.request('POST', `/v1/${WH}/namespaces/${ns}/register`, { body: { name: uniqueName('reg'), 'metadata-location': location['metadata-location'] }, headers: { [HEADER]: 'vended-credentials' } }));
    assert.equal(registered['storage-credentials']?.[0]?.prefix, registered.metadata.location);
  });

  test('credentials appear in no log line and no audit record', async () => {
    const { setLogLevel } = await import('../../functions/lib/logger.js');
    const captured: string[] = [];
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    // Only the catalog's JSON log lines are kept; anything else (the test runner's own reports
    // to its parent process) goes through.
    const capturing = (forward: typeof process.stdout.write) => ((chunk: unknown, ...rest: unknown[]): boolean => {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk);
      if (text.startsWith('{"level"')) {
        captured.push(text);
        return true;
      }
      return (forward as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
    const name = uniqueName('logged');
    let secrets: string[] = [];
    setLogLevel('debug');
    process.stdout.write = capturing(out);
    process.stderr.write = capturing(err);
    try {
      const created = result(await catalog.request('POST', tables(ns), { body: createTableBody(name), headers: { [HEADER]: 'vended-credentials' } }));
      const loaded = result(await load(name, 'vended-credentials', keys.writer));
      const refreshed = (await credentials(name, keys.reader)).body as { 'storage-credentials': { config: Record<string, string> }[] };
      secrets = [created, loaded].flatMap((b) => [b.config['s3.secret-access-key']!, b.config['s3.session-token']!]);
      secrets.push(refreshed['storage-credentials'][0]!.config['s3.secret-access-key']!, refreshed['storage-credentials'][0]!.config['s3.session-token']!);
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
      setLogLevel('warn');
    }
    assert.ok(secrets.every((s) => typeof s === 'string' && s.length > 8));
    assert.ok(captured.length > 0, 'debug logging captured the requests');
    const logs = captured.join('');
    for (const secret of secrets) assert.ok(!logs.includes(secret), 'a secret or session token reached the log');
    const audit = await auditRecords(catalog);
    assert.ok(audit.length > 0);
    const records = JSON.stringify(audit);
    for (const secret of secrets) assert.ok(!records.includes(secret), 'a secret reached an audit record');
  });
});
