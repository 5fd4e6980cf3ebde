import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CachingKeyProvider } from './caching-key-provider.js';
import type { DataKey, EncryptionContext, KeyProvider } from './key-provider.js';
import { aLocalProvider } from './testing/fixtures.js';

/** Counts what reaches the wrapped provider. */
class CountingKeyProvider implements KeyProvider {
  generated = 0;
  decrypted = 0;
  failNext = false;
  private readonly inner = aLocalProvider();

  async generateDataKey(context: EncryptionContext): Promise<DataKey> {
    this.generated += 1;
    return this.inner.generateDataKey(context);
  }

  async decryptDataKey(keyId: string, ciphertext: Uint8Array, context: EncryptionContext): Promise<Uint8Array> {
    this.decrypted += 1;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('throttled');
    }
    return this.inner.decryptDataKey(keyId, ciphertext, context);
  }
}

const SALES = { catalog: 'c', warehouse: 'sales' };
const MARKETING = { catalog: 'c', warehouse: 'marketing' };

test('one data key serves a context until its number of uses is spent', async () => {
  const inner = new CountingKeyProvider();
  const cache = new CachingKeyProvider(inner, { maxUses: 3 });

  const keys = [];
  for (let i = 0; i < 4; i++) keys.push(await cache.generateDataKey(SALES));

  assert.equal(inner.generated, 2);
  assert.equal(keys[0], keys[2]);
  assert.notEqual(keys[2], keys[3]);
});

test('each context gets its own data key', async () => {
  const inner = new CountingKeyProvider();
  const cache = new CachingKeyProvider(inner);

  const sales = await cache.generateDataKey(SALES);
  const marketing = await cache.generateDataKey(MARKETING);
  const salesAgain = await cache.generateDataKey({ warehouse: 'sales', catalog: 'c' });

  assert.notEqual(sales, marketing);
  assert.equal(sales, salesAgain, 'entry order does not matter');
  assert.equal(inner.generated, 2);
});

test('a generated data key unwraps from the cache', async () => {
  const inner = new CountingKeyProvider();
  const cache = new CachingKeyProvider(inner);

  const key = await cache.generateDataKey(SALES);
  const plaintext = await cache.decryptDataKey(key.keyId, key.ciphertext, SALES);

  assert.deepEqual(plaintext, key.plaintext);
  assert.equal(inner.decrypted, 0);
});

test('an unwrapped data key is cached by key id, context and wrapped key', async () => {
  const inner = new CountingKeyProvider();
  const writer = await inner.generateDataKey(SALES);
  const cache = new CachingKeyProvider(inner);

  await cache.decryptDataKey(writer.keyId, writer.ciphertext, SALES);
  await cache.decryptDataKey(writer.keyId, writer.ciphertext, SALES);
  await assert.rejects(cache.decryptDataKey(writer.keyId, writer.ciphertext, MARKETING));

  assert.equal(inner.decrypted, 2, 'a different context is never answered from the cache');
});

test('the unwrapped-key cache is bounded in entries and in age', async () => {
  let now = 0;
  const inner = new CountingKeyProvider();
  const cache = new CachingKeyProvider(inner, { decryptedEntries: 2, decryptedMaxAgeMs: 1_000 }, () => now);
  const [a, b, c] = await Promise.all([SALES, SALES, SALES].map(() => inner.generateDataKey(SALES)));

  for (const k of [a!, b!, c!]) await cache.decryptDataKey(k.keyId, k.ciphertext, SALES);
  await cache.decryptDataKey(a!.keyId, a!.ciphertext, SALES);
  assert.equal(inner.decrypted, 4, 'a was evicted as least recently used');
  await cache.decryptDataKey(c!.keyId, c!.ciphertext, SALES);
  assert.equal(inner.decrypted, 4, 'c is still cached');
  now += 1_000;
  await cache.decryptDataKey(c!.keyId, c!.ciphertext, SALES);
  assert.equal(inner.decrypted, 5, 'c expired');
});

test('a failed unwrap is not cached', async () => {
  const inner = new CountingKeyProvider();
  const key = await inner.generateDataKey(SALES);
  const cache = new CachingKeyProvider(inner);
  inner.failNext = true;

  await assert.rejects(cache.decryptDataKey(key.keyId, key.ciphertext, SALES), /throttled/);
  const plaintext = await cache.decryptDataKey(key.keyId, key.ciphertext, SALES);

  assert.deepEqual(plaintext, key.plaintext);
  assert.equal(inner.decrypted, 2);
});
