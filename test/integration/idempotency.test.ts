import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { namespacePath, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { assertError, assertStatus } from '../support/assertions.js';
import { createTableBody } from '../support/table-requests.js';

/** Invariant 6: a request repeated with the same Idempotency-Key returns the first answer and acts once. */
const LIFETIME_MS = 2_000;
let catalog: TestCatalog;
let P: string;
before(async () => {
  process.env['CATALOG_IDEMPOTENCY_LIFETIME'] = 'PT2S';
  catalog = await startTestCatalog();
  P = `/v1/${catalog.warehouse}`;
});
after(async () => catalog.close());

const withKey = (key: string) => ({ 'idempotency-key': key });

test('GET /v1/config advertises the lifetime', async () => {
  const config = await catalog.request('GET', '/v1/config');
  assert.equal((config.body as Record<string, unknown>)['idempotency-key-lifetime'], 'PT2S');
});

test('the same create sent twice in sequence creates once and answers the same body (testIdempotentDuplicateCreateReturnsCached)', async () => {
  const key = randomUUID();
  const body = { namespace: [uniqueName('idem')], properties: { a: '1' } };
  const first = await catalog.request('POST', `${P}/namespaces`, { body, headers: withKey(key) });
  const second = await catalog.request('POST', `${P}/namespaces`, { body, headers: withKey(key) });
  assertStatus(first, 200);
  assertStatus(second, 200);
  assert.equal(second.text, first.text);
  const third = await catalog.request('POST', `${P}/namespaces`, { body, headers: withKey(randomUUID()) });
  assertError(third, 409, 'AlreadyExistsException');
});

test('the same table create sent concurrently creates once, and both get the same answer', async () => {
  const namespace = [uniqueName('idemc')];
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace } }), 200);
  const key = randomUUID();
  const send = () => catalog.request('POST', `${P}/namespaces/${namespacePath(namespace)}/tables`, { body: createTableBody('t'), headers: withKey(key) });
  const answers = await Promise.all([send(), send(), send(), send()]);
  for (const answer of answers) assertStatus(answer, 200);
  assert.equal(new Set(answers.map((a) => a.text)).size, 1, 'every duplicate must replay the first answer');
  const listed = await catalog.request('GET', `${P}/namespaces/${namespacePath(namespace)}/tables`);
  assert.deepEqual((listed.body as { identifiers: unknown[] }).identifiers.length, 1);
});

test('a repeated DELETE with the same key answers 204 again, not 404 (testIdempotentDropDuplicateNoop)', async () => {
  const namespace = [uniqueName('idemd')];
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace } }), 200);
  const key = randomUUID();
  assertStatus(await catalog.request('DELETE', `${P}/namespaces/${namespacePath(namespace)}`, { headers: withKey(key) }), 204);
  assertStatus(await catalog.request('DELETE', `${P}/namespaces/${namespacePath(namespace)}`, { headers: withKey(key) }), 204);
  assertError(await catalog.request('DELETE', `${P}/namespaces/${namespacePath(namespace)}`, { headers: withKey(randomUUID()) }), 404);
});

test('a deterministic 4xx is final: it is replayed even after the cause went away', async () => {
  const namespace = [uniqueName('idem4')];
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace } }), 200);
  const key = randomUUID();
  assertError(await catalog.request('POST', `${P}/namespaces`, { body: { namespace }, headers: withKey(key) }), 409);
  assertStatus(await catalog.request('DELETE', `${P}/namespaces/${namespacePath(namespace)}`), 204);
  assertError(await catalog.request('POST', `${P}/namespaces`, { body: { namespace }, headers: withKey(key) }), 409);
});

test('a key reused with a different body is refused with 400 (the spec lists no 422 for most keyed operations)', async () => {
  const key = randomUUID();
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace: [uniqueName('idemx')] }, headers: withKey(key) }), 200);
  assertError(await catalog.request('POST', `${P}/namespaces`, { body: { namespace: [uniqueName('idemy')] }, headers: withKey(key) }), 400, 'BadRequestException', 'Idempotency-Key');
});

test('a malformed key is a 400', async () => {
  assertError(await catalog.request('POST', `${P}/namespaces`, { body: { namespace: ['k'] }, headers: withKey('not-a-uuid') }), 400);
});

test('a 5xx is never replayed: the retry runs again', async (t) => {
  // Only a file system has regular files a folder cannot be made under; S3 has no such failure to provoke.
  if (catalog.storeKind !== 'fs') return t.skip('needs the local-files store');
  const namespace = [uniqueName('idem5')];
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace } }), 200);
  const key = randomUUID();
  // A location under a regular file inside the namespace (locations elsewhere are a 400): the
  // write fails on the server's side, a 500 with a fresh error id.
  const ctx = await catalog.context();
  const warehouse = ctx.config.warehouses.find((w) => w.name === catalog.warehouse)!.location;
  const blocker = `${warehouse}/${namespace[0]}/blocker`;
  assert.equal(await ctx.files.create(blocker, new Uint8Array([1])), 'created');
  const body = createTableBody('t', { location: `${blocker}/catalog-cannot-write-here/t` });
  const first = await catalog.request('POST', `${P}/namespaces/${namespacePath(namespace)}/tables`, { body, headers: withKey(key) });
  const second = await catalog.request('POST', `${P}/namespaces/${namespacePath(namespace)}/tables`, { body, headers: withKey(key) });
  assertError(first, 500);
  assertError(second, 500);
  assert.notEqual(second.text, first.text, 'the second attempt must run again (new error id), not replay');
});

test('after the lifetime the key is forgotten and the request runs anew (testIdempotencyKeyLifetimeExpiredTreatsAsNew)', async () => {
  const key = randomUUID();
  const body = { namespace: [uniqueName('idemt')] };
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body, headers: withKey(key) }), 200);
  await new Promise((resolve) => setTimeout(resolve, LIFETIME_MS + 500));
  assertError(await catalog.request('POST', `${P}/namespaces`, { body, headers: withKey(key) }), 409, 'AlreadyExistsException');
});
