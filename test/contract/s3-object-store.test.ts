import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ServiceUnavailableError } from '../../core/errors.js';
import { ensureBucket, S3ObjectStore, type S3ObjectStoreOptions } from '../../core/store/s3-object-store.js';
import { describeObjectStore } from './object-store.contract.js';

const endpoint = process.env['S3_ENDPOINT'];

if (endpoint === undefined || endpoint === '') {
  test('ObjectStore contract: S3ObjectStore', { skip: 'S3_ENDPOINT not set' }, () => {});
} else {
  const accessKeyId = process.env['S3_ACCESS_KEY'] ?? process.env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = process.env['S3_SECRET_KEY'] ?? process.env['AWS_SECRET_ACCESS_KEY'];
  const options: S3ObjectStoreOptions = {
    bucket: process.env['S3_BUCKET'] ?? 'catalog-test',
    endpoint,
    region: process.env['S3_REGION'] ?? 'us-east-1',
    forcePathStyle: (process.env['S3_FORCE_PATH_STYLE'] ?? 'true') !== 'false',
    ...(accessKeyId !== undefined && secretAccessKey !== undefined ? { credentials: { accessKeyId, secretAccessKey } } : {}),
  };
  let bucketReady: Promise<void> | undefined;
  describeObjectStore(`S3ObjectStore (${endpoint})`, async () => {
    bucketReady ??= ensureBucket(options);
    await bucketReady;
    return new S3ObjectStore({ ...options, prefix: `contract-tests/${randomUUID()}` });
  });

  // The protocol deletes transitional pointers with If-Match where the server enforces it, and only
  // under a deadline where it does not: the setting the catalog reads must match the server.
  test(`S3_CONDITIONAL_DELETE matches what ${endpoint} does with a stale If-Match on DELETE`, async () => {
    bucketReady ??= ensureBucket(options);
    await bucketReady;
    const probe = new S3ObjectStore({ ...options, prefix: `contract-tests/${randomUUID()}`, conditionalDelete: true });
    const stale = await probe.put('probe', new TextEncoder().encode('v1'));
    await probe.put('probe', new TextEncoder().encode('v2'));
    const answer = await probe.delete('probe', { ifMatch: stale.etag });
    const honoured = !answer.deleted && (await probe.get('probe')) !== undefined;
    await probe.delete('probe');
    console.log(`# ${endpoint}: conditional DELETE ${honoured ? 'honoured' : 'ignored'}`);
    const configured = (process.env['S3_CONDITIONAL_DELETE'] ?? 'false') === 'true';
    // Claiming support the server lacks would make deadline-free deletes unsafe; the reverse only costs safety margin.
    if (configured) assert.equal(honoured, true, 'S3_CONDITIONAL_DELETE=true but the server deletes despite a stale If-Match');
  });
}

interface PutStep {
  readonly status?: number;
  readonly code?: string;
  /** Store the body before answering (the server wrote, then failed to say so). */
  readonly applyFirst?: boolean;
  /** Answer without storing, then store the body when the next PUT arrives (a slow write). */
  readonly landsLater?: boolean;
  /** Someone else's write lands while this request fails. */
  readonly rivalWrites?: string;
  readonly drop?: boolean;
}

class ScriptedS3 {
  readonly objects = new Map<string, Buffer>();
  readonly puts: { key: string; ifMatch?: string; ifNoneMatch?: string }[] = [];
  readonly putScript: PutStep[] = [];
  getStatus: { status: number; code: string } | undefined;
  private pending: (() => void) | undefined;
  private server: Server | undefined;
  endpoint = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  reset(): void {
    this.objects.clear();
    this.puts.length = 0;
    this.putScript.length = 0;
    this.getStatus = undefined;
    this.pending = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const content = Buffer.concat(chunks);
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const key = path.replace(/^\/b\//, '');
    if (req.method === 'GET') {
      if (this.getStatus !== undefined) return sendError(res, this.getStatus.status, this.getStatus.code);
      const stored = this.objects.get(key);
      if (stored === undefined) return sendError(res, 404, 'NoSuchKey');
      res.writeHead(200, { ETag: `"${md5(stored)}"`, 'Content-Length': stored.length });
      res.end(stored);
      return;
    }
    if (req.method !== 'PUT') return sendError(res, 405, 'MethodNotAllowed');
    const ifMatch = header(req, 'if-match');
    const ifNoneMatch = header(req, 'if-none-match');
    this.puts.push({ key, ...(ifMatch !== undefined ? { ifMatch } : {}), ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}) });
    this.pending?.();
    this.pending = undefined;
    const step = this.putScript.shift();
    if (step !== undefined) {
      if (step.applyFirst === true) this.objects.set(key, content);
      if (step.rivalWrites !== undefined) this.objects.set(key, Buffer.from(step.rivalWrites));
      if (step.landsLater === true) this.pending = () => this.objects.set(key, content);
      if (step.drop === true) {
        req.socket.destroy();
        return;
      }
      return sendError(res, step.status ?? 500, step.code ?? 'InternalError');
    }
    const current = this.objects.get(key);
    if (ifNoneMatch === '*' && current !== undefined) return sendError(res, 412, 'PreconditionFailed');
    if (ifMatch !== undefined && current === undefined) return sendError(res, 404, 'NoSuchKey');
    if (ifMatch !== undefined && current !== undefined && md5(current) !== ifMatch) return sendError(res, 412, 'PreconditionFailed');
    this.objects.set(key, content);
    res.writeHead(200, { ETag: `"${md5(content)}"`, 'Content-Length': 0 });
    res.end();
  }
}

/**
 * What a real server does only under load or failure (a race loser's 500, a lost answer, a
 * throttle), scripted on a minimal path-style S3 so each outcome rule is tested on demand.
 */
describe('S3ObjectStore outcome mapping (scripted fake S3)', () => {
  const fake = new ScriptedS3();
  let store: S3ObjectStore;

  before(() => fake.start());
  after(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    store = new S3ObjectStore({
      bucket: 'b',
      prefix: 'pre/fix',
      endpoint: fake.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      retryBaseDelayMs: 1,
    });
  });

  const body = (text: string) => new TextEncoder().encode(text);

  test('If-Match goes out unquoted under the prefix, and a 412 is final after one request', async () => {
    fake.objects.set('pre/fix/k', Buffer.from('current'));
    assert.deepEqual(await store.putIfMatch('k', body('mine'), '"0123abcd"'), { ok: false, reason: 'precondition-failed' });
    assert.deepEqual(fake.puts, [{ key: 'pre/fix/k', ifMatch: '0123abcd' }]);
  });

  test('If-Match on a missing key answered 404 NoSuchKey (AWS) is a refusal', async () => {
    assert.deepEqual(await store.putIfMatch('k', body('mine'), 'abc'), { ok: false, reason: 'precondition-failed' });
    assert.equal(fake.puts.length, 1);
  });

  test('a 500 with nothing written (Ceph race loser) is re-read and retried', async () => {
    fake.putScript.push({ status: 500, code: 'UnknownError' });
    const result = await store.putIfAbsent('k', body('mine'));
    assert.deepEqual(result, { ok: true, etag: md5('mine') });
    assert.equal(fake.puts.length, 2);
  });

  test('a 500 after the write landed is a success, found by the re-read', async () => {
    fake.putScript.push({ status: 500, code: 'InternalError', applyFirst: true });
    assert.deepEqual(await store.putIfAbsent('k', body('mine')), { ok: true, etag: md5('mine') });
    assert.equal(fake.puts.length, 1);
  });

  test("a 409 ConditionalRequestConflict with a rival's content now there is moved (ours can no longer land)", async () => {
    fake.objects.set('pre/fix/k', Buffer.from('v1'));
    fake.putScript.push({ status: 409, code: 'ConditionalRequestConflict', rivalWrites: 'rival' });
    assert.deepEqual(await store.putIfMatch('k', body('mine'), md5('v1')), { ok: false, reason: 'moved' });
    assert.equal(fake.puts.length, 1);
  });

  test('a dropped connection after the write landed is a success', async () => {
    fake.objects.set('pre/fix/k', Buffer.from('v1'));
    fake.putScript.push({ drop: true, applyFirst: true });
    assert.deepEqual(await store.putIfMatch('k', body('mine'), md5('v1')), { ok: true, etag: md5('mine') });
  });

  test('an earlier attempt landing late turns the retry\'s 412 into our success', async () => {
    fake.putScript.push({ status: 500, code: 'UnknownError', landsLater: true });
    assert.deepEqual(await store.putIfAbsent('k', body('mine')), { ok: true, etag: md5('mine') });
    assert.equal(fake.puts.length, 2);
  });

  test('connections dropped on every attempt leave the outcome unknown', async () => {
    for (let i = 0; i < 4; i++) fake.putScript.push({ drop: true });
    assert.deepEqual(await store.putIfAbsent('k', body('mine')), { ok: false, reason: 'unknown' });
    assert.equal(fake.puts.length, 4);
  });

  test('a 412 after a 503 is settled by a re-read, not trusted: a proxy may have forwarded the 503 request', async () => {
    fake.objects.set('pre/fix/k', Buffer.from('v1'));
    fake.putScript.push({ status: 503, code: 'SlowDown', applyFirst: true });
    assert.deepEqual(await store.putIfMatch('k', body('mine'), md5('v1')), { ok: true, etag: md5('mine') });
    assert.equal(fake.puts.length, 2);
  });

  test('503 SlowDown is retried with backoff', async () => {
    fake.putScript.push({ status: 503, code: 'SlowDown' }, { status: 503, code: 'SlowDown' });
    assert.deepEqual(await store.putIfAbsent('k', body('mine')), { ok: true, etag: md5('mine') });
    assert.equal(fake.puts.length, 3);
  });

  test('503 SlowDown on every attempt throws ServiceUnavailableError; the SDK itself never retries a conditional PUT', async () => {
    fake.objects.set('pre/fix/k', Buffer.from('v1'));
    for (let i = 0; i < 10; i++) fake.putScript.push({ status: 503, code: 'SlowDown' });
    await assert.rejects(store.putIfMatch('k', body('mine'), md5('v1')), ServiceUnavailableError);
    assert.equal(fake.puts.length, 4);
  });

  test('a re-read that fails after a doubtful attempt leaves the write unknown, it does not throw "not processed"', async () => {
    fake.objects.set('pre/fix/k', Buffer.from('v1'));
    for (let i = 0; i < 4; i++) fake.putScript.push({ drop: true });
    fake.getStatus = { status: 500, code: 'InternalError' };
    assert.deepEqual(await store.putIfMatch('k', body('mine'), md5('v1')), { ok: false, reason: 'unknown' });
  });

  test('a 403 on a conditional write is an unexpected failure, not an outcome', async () => {
    fake.putScript.push({ status: 403, code: 'AccessDenied' });
    await assert.rejects(store.putIfAbsent('k', body('mine')), (error: Error) => !(error instanceof ServiceUnavailableError) && /AccessDenied/.test(error.message));
  });

  test('reads throttled past the SDK retries throw ServiceUnavailableError', async () => {
    fake.getStatus = { status: 503, code: 'SlowDown' };
    await assert.rejects(store.get('k'), ServiceUnavailableError);
  });
});

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function sendError(res: ServerResponse, status: number, code: string): void {
  const xml = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message><RequestId>fake</RequestId></Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(xml) });
  res.end(xml);
}

function md5(content: string | Uint8Array): string {
  return createHash('md5').update(content).digest('hex');
}
