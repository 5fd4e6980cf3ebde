import assert from 'node:assert/strict';
import { test } from 'node:test';
import { API_KEY, API_KEY_CACHE_SIZE, LAST_USED_RESOLUTION_MS, readApiKey, UNKNOWN_KEY_CACHE_MS } from './api-keys.js';
import { anAuthFixture } from './testing/fixtures.js';

test('a created key is <id>.<43 characters of secret> and verifies to its principal', async () => {
  const fx = anAuthFixture();
  const { key, record } = await fx.apiKeys().create({ name: 'ci', groups: ['etl'], user: 'bob' }, 'admin');
  assert.match(key, API_KEY);
  assert.deepEqual(await fx.apiKeys().verify(key), { type: 'ApiKey', id: record.id, groups: ['etl'], user: 'bob', authMethod: 'api-key' });
});

test('the store keeps a keyed hash, never the secret', async () => {
  const fx = anAuthFixture();
  const { key, record } = await fx.apiKeys().create({ name: 'ci' }, 'admin');
  const stored = await fx.records.objects.get(fx.keys.apiKey(record.id));
  const secret = key.split('.')[1]!;
  assert.ok(!Buffer.from(stored!.body).toString('utf8').includes(secret));
  assert.match(record.hash, /^[0-9a-f]{64}$/);
});

test('a wrong secret, an unknown id or a malformed key does not verify', async () => {
  const fx = anAuthFixture();
  const keys = fx.apiKeys();
  const { key } = await keys.create({ name: 'ci' }, 'admin');
  const [id, secret] = key.split('.') as [string, string];
  const flipped = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
  assert.equal(await keys.verify(`${id}.${flipped}`), undefined);
  assert.equal(await keys.verify(`ak_AAAAAAAAAAAAAAAA.${secret}`), undefined);
  assert.equal(await keys.verify(`${id}.short`), undefined);
});

test('a revoked key stops verifying at once in the container that revoked it', async () => {
  const fx = anAuthFixture();
  const keys = fx.apiKeys();
  const { key, record } = await keys.create({ name: 'ci' }, 'admin');
  assert.ok(await keys.verify(key));
  const revoked = await keys.revoke(record.id, 'admin');
  assert.equal(revoked?.revokedBy, 'admin');
  assert.equal(await keys.verify(key), undefined);
});

test('an expired key does not verify', async () => {
  const fx = anAuthFixture();
  const keys = fx.apiKeys();
  const { key } = await keys.create({ name: 'ci', expiresAt: new Date(fx.clock.now() + 60_000).toISOString() }, 'admin');
  assert.ok(await keys.verify(key));
  fx.clock.advance(60_000);
  assert.equal(await keys.verify(key), undefined);
});

test('last use is written at most once per key per hour, not on every request', async () => {
  const fx = anAuthFixture();
  const keys = fx.apiKeys(0);
  const { key, record } = await keys.create({ name: 'ci' }, 'admin');
  const stored = async () => (await fx.records.read(fx.keys.apiKey(record.id), readApiKey))!;
  await keys.verify(key);
  const first = await stored();
  assert.equal(first.value.lastUsedAt, new Date(fx.clock.now()).toISOString());
  for (let i = 0; i < 20; i++) {
    fx.clock.advance(60_000);
    await keys.verify(key);
  }
  assert.equal((await stored()).etag, first.etag, 'no write within the hour');
  fx.clock.advance(LAST_USED_RESOLUTION_MS);
  await keys.verify(key);
  assert.notEqual((await stored()).etag, first.etag);
});

test('measured: API key verification on a warm function', async (t) => {
  const fx = anAuthFixture();
  const keys = fx.apiKeys();
  const { key } = await keys.create({ name: 'bench' }, 'admin');
  for (let i = 0; i < 200; i++) await keys.verify(key);
  const N = 2_000;
  const start = performance.now();
  for (let i = 0; i < N; i++) assert.ok(await keys.verify(key));
  const us = ((performance.now() - start) / N) * 1000;
  t.diagnostic(`API key verification (warm: cached record, keyed BLAKE3 with hash-wasm, constant-time compare): ${us.toFixed(1)} µs`);
});

test('random ids that name no key do not grow the cache without bound, and are forgotten soon (A14)', async () => {
  const fx = anAuthFixture();
  const keys = fx.apiKeys();
  const gets = countGets(fx);
  const secret = 'A'.repeat(43);
  for (let i = 0; i < API_KEY_CACHE_SIZE + 500; i++) await keys.verify(`ak_${String(i).padStart(16, '0')}.${secret}`);
  assert.ok(keys.cachedIds <= API_KEY_CACHE_SIZE, `${keys.cachedIds} ids cached`);
  // A retry within the negative TTL is answered from the cache; after it, the store is asked again.
  const unknown = `ak_${'z'.repeat(16)}.${secret}`;
  await keys.verify(unknown);
  const before = gets();
  await keys.verify(unknown);
  assert.equal(gets(), before);
  fx.clock.advance(UNKNOWN_KEY_CACHE_MS);
  await keys.verify(unknown);
  assert.equal(gets(), before + 1);
});

test('a key created after its id was looked up verifies at once (the negative entry is dropped)', async () => {
  const fx = anAuthFixture();
  const keys = fx.apiKeys();
  const id = 'ak_0123456789abcdef';
  assert.equal(await keys.verify(`${id}.${'A'.repeat(43)}`), undefined);
  const { key } = await keys.create({ name: 'late', id }, 'admin');
  assert.ok(await keys.verify(key));
});

function countGets(fx: ReturnType<typeof anAuthFixture>): () => number {
  let gets = 0;
  const objects = fx.records.objects;
  const get = objects.get.bind(objects);
  objects.get = (...args: Parameters<typeof objects.get>) => {
    gets++;
    return get(...args);
  };
  return () => gets;
}
