import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringifyJson } from '../json/lossless-json.js';
import { EnvelopeRecordCodec, RECORD_MAGIC } from './envelope-record-codec.js';
import { CachingKeyProvider } from './caching-key-provider.js';
import { GCM_NONCE_BYTES } from './aes-gcm.js';
import { LocalKeyProvider } from './local-key-provider.js';
import { newMasterKey } from './master-keyring.js';
import { RecordDecryptionError, RecordEncryptionError, type RecordDecryptionFailure } from './record-crypto-errors.js';
import { aCodec, aKeyring, aLocalProvider, aNamespaceKey, aNamespaceRecord, aTablePointerKey, TENANT } from './testing/fixtures.js';
import type { KeyProvider } from './key-provider.js';

function contains(haystack: Uint8Array, needle: string): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle, 'utf8'));
}

async function assertDecryptionFails(promise: Promise<unknown>, key: string, reason: RecordDecryptionFailure): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof RecordDecryptionError, `expected RecordDecryptionError, got ${String(error)}`);
    assert.equal(error.reason, reason);
    assert.equal(error.key, key);
    assert.match(error.message, new RegExp(`'${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`));
    return true;
  });
}

/** Offsets inside an encoded record, read from its header. */
function layoutOf(bytes: Uint8Array): { keyIdAt: number; wrappedAt: number; nonceAt: number; bodyAt: number } {
  const view = Buffer.from(bytes);
  const keyIdAt = RECORD_MAGIC.length + 1 + 2;
  const wrappedLengthAt = keyIdAt + view.readUInt16BE(keyIdAt - 2);
  const wrappedAt = wrappedLengthAt + 2;
  const nonceAt = wrappedAt + view.readUInt16BE(wrappedLengthAt);
  return { keyIdAt, wrappedAt, nonceAt, bodyAt: nonceAt + GCM_NONCE_BYTES };
}

function flipByte(bytes: Uint8Array, at: number): Uint8Array {
  const copy = bytes.slice();
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

test('round-trips a record losslessly, 64-bit integers included', async () => {
  const codec = aCodec();
  const key = aNamespaceKey();
  const record = aNamespaceRecord();

  const decoded = await codec.decode(key, await codec.encode(key, record));

  assert.deepEqual(decoded, record);
  assert.equal(stringifyJson(decoded), stringifyJson(record));
});

test('a stored record contains no plaintext of its content', async () => {
  const codec = aCodec();
  const record = aNamespaceRecord();

  const bytes = await codec.encode(aNamespaceKey(), record);

  for (const needle of ['alice-the-owner', 'quarterly-revenue-secret', 's3://acme-lake', 'active', 'properties', '9223372036854775807', '{"']) {
    assert.equal(contains(bytes, needle), false, `stored bytes contain '${needle}'`);
  }
  assert.deepEqual(bytes.subarray(0, 4), RECORD_MAGIC);
});

test('two encodings of the same record differ (fresh nonce per record)', async () => {
  const codec = aCodec();
  const key = aNamespaceKey();

  const first = await codec.encode(key, aNamespaceRecord());
  const second = await codec.encode(key, aNamespaceRecord());

  assert.notDeepEqual(first, second);
});

test('a record copied under another object key fails with the typed error', async () => {
  const codec = aCodec();
  const bytes = await codec.encode(aTablePointerKey('sales', 'orders'), aNamespaceRecord());

  await assertDecryptionFails(codec.decode(aTablePointerKey('sales', 'customers'), bytes), aTablePointerKey('sales', 'customers'), 'authentication-failed');
});

test('a record copied into another warehouse fails with the typed error', async () => {
  const codec = aCodec();
  const bytes = await codec.encode(aNamespaceKey('sales'), aNamespaceRecord());

  await assertDecryptionFails(codec.decode(aNamespaceKey('marketing'), bytes), aNamespaceKey('marketing'), 'data-key-rejected');
});

test('a record copied to another tenant fails with the typed error, even with the same master key', async () => {
  const shared = aLocalProvider();
  const ours = aCodec({ keys: shared, tenant: TENANT });
  const theirs = aCodec({ keys: shared, tenant: 'other-catalog' });
  const key = aNamespaceKey();

  const bytes = await ours.encode(key, aNamespaceRecord());

  await assertDecryptionFails(theirs.decode(key, bytes), key, 'data-key-rejected');
});

test('a record copied to another tenant fails even when the data key is cached', async () => {
  const shared = new CachingKeyProvider(aLocalProvider());
  const ours = aCodec({ keys: shared, tenant: TENANT });
  const theirs = aCodec({ keys: shared, tenant: 'other-catalog' });
  const key = aNamespaceKey();

  const bytes = await ours.encode(key, aNamespaceRecord());
  await ours.decode(key, bytes);

  await assertDecryptionFails(theirs.decode(key, bytes), key, 'data-key-rejected');
});

test('a flipped bit anywhere in ciphertext, tag, nonce or wrapped key fails with the typed error', async () => {
  const codec = aCodec();
  const key = aNamespaceKey();
  const bytes = await codec.encode(key, aNamespaceRecord());
  const { wrappedAt, nonceAt, bodyAt } = layoutOf(bytes);

  await assertDecryptionFails(codec.decode(key, flipByte(bytes, bodyAt)), key, 'authentication-failed');
  await assertDecryptionFails(codec.decode(key, flipByte(bytes, bytes.length - 1)), key, 'authentication-failed');
  await assertDecryptionFails(codec.decode(key, flipByte(bytes, nonceAt)), key, 'authentication-failed');
  await assertDecryptionFails(codec.decode(key, flipByte(bytes, wrappedAt + 20)), key, 'data-key-rejected');
});

test('an altered header (key id, version, lengths) fails with the typed error', async () => {
  const codec = aCodec();
  const key = aNamespaceKey();
  const bytes = await codec.encode(key, aNamespaceRecord());
  const { keyIdAt, wrappedAt } = layoutOf(bytes);

  await assertDecryptionFails(codec.decode(key, flipByte(bytes, keyIdAt)), key, 'data-key-rejected');
  await assertDecryptionFails(codec.decode(key, flipByte(bytes, RECORD_MAGIC.length)), key, 'unsupported-format');
  const longerId = bytes.slice();
  Buffer.from(longerId.buffer).writeUInt16BE(0xfff0, keyIdAt - 2);
  await assertDecryptionFails(codec.decode(key, longerId), key, 'malformed-header');
  const longerWrapped = bytes.slice();
  Buffer.from(longerWrapped.buffer).writeUInt16BE(0xfff0, wrappedAt - 2);
  await assertDecryptionFails(codec.decode(key, longerWrapped), key, 'malformed-header');
});

test('a truncated record fails with the typed error', async () => {
  const codec = aCodec();
  const key = aNamespaceKey();
  const bytes = await codec.encode(key, aNamespaceRecord());

  for (const length of [4, 5, 7, layoutOf(bytes).bodyAt, bytes.length - 1]) {
    await assert.rejects(codec.decode(key, bytes.subarray(0, length)), RecordDecryptionError, `truncated to ${length}`);
  }
});

test('the error message names the key but never the content', async () => {
  const codec = aCodec();
  const key = aNamespaceKey();
  const bytes = await codec.encode(key, aNamespaceRecord());

  const error = await codec.decode(aNamespaceKey('sales', ['other']), flipByte(bytes, bytes.length - 1)).catch((e: unknown) => e);

  assert.ok(error instanceof RecordDecryptionError);
  assert.doesNotMatch(`${error.message} ${String(error.cause)}`, /alice|quarterly|acme-lake/);
});

test('plaintext JSON records are refused by default', async () => {
  const codec = aCodec();
  const key = aNamespaceKey();

  await assertDecryptionFails(codec.decode(key, new TextEncoder().encode(stringifyJson(aNamespaceRecord()))), key, 'not-encrypted');
});

test('plaintext JSON records are read when the migration flag allows them, and written encrypted', async () => {
  const codec = aCodec({ allowPlaintext: true });
  const key = aNamespaceKey();
  const record = aNamespaceRecord();

  const decoded = await codec.decode(key, new TextEncoder().encode(stringifyJson(record)));
  const rewritten = await codec.encode(key, decoded);

  assert.deepEqual(decoded, record);
  assert.equal(contains(rewritten, 'alice-the-owner'), false);
  await assertDecryptionFails(codec.decode(key, new TextEncoder().encode('{"oops":')), key, 'malformed-content');
});

test('rotation: records under master key A still decode after B becomes active, and new records use B', async () => {
  const a = newMasterKey();
  const b = newMasterKey();
  const key = aNamespaceKey();
  const beforeRotation = new EnvelopeRecordCodec({ keys: new LocalKeyProvider(aKeyring(a)), tenant: TENANT, keyPrefix: 'prod' });
  const underA = await beforeRotation.encode(key, aNamespaceRecord({ state: 'written-under-a' }));

  const afterRotation = new EnvelopeRecordCodec({ keys: new CachingKeyProvider(new LocalKeyProvider(aKeyring(b, a))), tenant: TENANT, keyPrefix: 'prod' });
  const underB = await afterRotation.encode(key, aNamespaceRecord({ state: 'written-under-b' }));

  assert.deepEqual(await afterRotation.decode(key, underA), aNamespaceRecord({ state: 'written-under-a' }));
  assert.deepEqual(await afterRotation.decode(key, underB), aNamespaceRecord({ state: 'written-under-b' }));
  assert.ok(contains(underA, a.id) && !contains(underA, b.id), 'the old record names key A');
  assert.ok(contains(underB, b.id) && !contains(underB, a.id), 'the new record names key B');
  await assertDecryptionFails(beforeRotation.decode(key, underB), key, 'data-key-rejected');
});

test('a key service that cannot be reached gives typed errors, not crashes', async () => {
  const down: KeyProvider = {
    generateDataKey: () => Promise.reject(new Error('connect ETIMEDOUT')),
    decryptDataKey: () => Promise.reject(new Error('connect ETIMEDOUT')),
  };
  const key = aNamespaceKey();
  const bytes = await aCodec({ keys: aLocalProvider() }).encode(key, aNamespaceRecord());
  const codec = aCodec({ keys: down });

  await assert.rejects(codec.encode(key, aNamespaceRecord()), RecordEncryptionError);
  await assertDecryptionFails(codec.decode(key, bytes), key, 'key-unavailable');
});
