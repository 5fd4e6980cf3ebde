import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { parseJson } from '../../core/json/lossless-json.js';
import { startLocalServer, type LocalServer } from '../../local/server.js';
import { namespacePath, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { assertError, assertStatus } from '../support/assertions.js';

// D6 (invalid UTF-8), D7 (content types) and D10 (slow clients, deadlines, connection cap) on the
// local server, which runs the production handlers.
let catalog: TestCatalog;
let P: string;
let strict: LocalServer;
before(async () => {
  catalog = await startTestCatalog();
  P = `/v1/${catalog.warehouse}`;
  strict = await startLocalServer({ port: 0, host: '127.0.0.1', limits: { bodyTimeoutMs: 300, maxConnections: 4 } });
});
after(async () => {
  await strict.close();
  await catalog.close();
});

async function rawPost(url: string, body: Uint8Array, contentType: string | undefined): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method: 'POST', body, headers: contentType === undefined ? {} : { 'content-type': contentType } });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : parseJson(text) };
}

function errorOf(response: { status: number; body: unknown }, status: number, type: string): void {
  assert.equal(response.status, status, JSON.stringify(response.body));
  const error = (response.body as { error: { code: number; type: string } }).error;
  assert.equal(error.code, status);
  assert.equal(error.type, type);
}

test('a body that is not valid UTF-8 is a 400 and creates nothing (D6)', async () => {
  const name = uniqueName('bad');
  const bytes = Buffer.concat([Buffer.from(`{"namespace":["${name}`), Buffer.from([0xff, 0xfe]), Buffer.from('utf"]}')]);
  const response = await rawPost(`${catalog.url}${P}/namespaces`, bytes, 'application/json');
  errorOf(response, 400, 'BadRequestException');
  assertError(await catalog.request('GET', `${P}/namespaces/${namespacePath([`${name}\ufffd\ufffdutf`])}`), 404);
  // Valid multi-byte UTF-8 still works.
  const ok = await rawPost(`${catalog.url}${P}/namespaces`, Buffer.from(JSON.stringify({ namespace: [`${name}-ünï`] })), 'application/json');
  assert.equal(ok.status, 200);
});

test('JSON routes accept no content type, application/json with a charset, +json and curl -d; refuse other types with 400 UnsupportedMediaTypeException (D7; the spec lists no 415)', async () => {
  for (const type of [undefined, 'application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/vnd.iceberg+json', 'application/x-www-form-urlencoded']) {
    const response = await rawPost(`${catalog.url}${P}/namespaces`, Buffer.from(JSON.stringify({ namespace: [uniqueName('ct')] })), type);
    assert.equal(response.status, 200, `${type}: ${JSON.stringify(response.body)}`);
  }
  for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonx']) {
    const response = await rawPost(`${catalog.url}${P}/namespaces`, Buffer.from(JSON.stringify({ namespace: [uniqueName('ct')] })), type);
    errorOf(response, 400, 'UnsupportedMediaTypeException');
  }
});

function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

function readUntilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('close', () => resolve(text));
    socket.on('error', () => undefined);
  });
}

test('a body that does not arrive within the bound gets 408 in the error model and the connection is closed (D10)', async () => {
  const socket = await openSocket(strict.url);
  const closed = readUntilClosed(socket);
  const started = Date.now();
  socket.write(`POST ${P}/namespaces HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{"namespace":`);
  const text = await closed;
  assert.ok(Date.now() - started < 5_000, 'closed promptly');
  assert.match(text, /^HTTP\/1\.1 408/);
  assert.match(text, /"code":408/);
  assert.match(text, /"type":"RequestTimeoutException"/);
});

test('a request whose handler does not answer by the deadline gets 503 in the error model (D10)', async () => {
  const hurried = await startLocalServer({ port: 0, host: '127.0.0.1', limits: { requestTimeoutMs: 0 } });
  try {
    const response = await rawPost(`${hurried.url}${P}/namespaces`, Buffer.from(JSON.stringify({ namespace: [uniqueName('late')] })), 'application/json');
    errorOf(response, 503, 'ServiceUnavailableException');
  } finally {
    await hurried.close();
  }
});

test('connections beyond the cap are closed; the server still answers afterwards (D10)', async () => {
  const held = await Promise.all(Array.from({ length: 4 }, () => openSocket(strict.url)));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const extra = await openSocket(strict.url);
  const text = await readUntilClosed(extra);
  assert.equal(text, '');
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => setTimeout(resolve, 50));
  assertStatus({ ...(await catalog.request('GET', `${P}/namespaces`)) }, 200);
  const response = await fetch(`${strict.url}${P}/namespaces`);
  assert.equal(response.status, 200);
});

test('requests Node refuses before a handler (headers over 16 KiB, a malformed request line) are answered in the error model', async () => {
  const big = await fetch(`${catalog.url}${P}/namespaces`, { headers: { 'x-big': 'x'.repeat(20_000) } });
  assert.equal(big.status, 431);
  assert.deepEqual(((await big.json()) as { error: { code: number } }).error.code, 431);
  const socket = await openSocket(catalog.url);
  const closed = readUntilClosed(socket);
  socket.write('GARBAGE / HTTP/1.1\r\n\r\n');
  const text = await closed;
  assert.match(text, /^HTTP\/1\.1 400/);
  assert.match(text, /"code":400/);
});
