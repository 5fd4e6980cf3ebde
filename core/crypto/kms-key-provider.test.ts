import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CachingKeyProvider } from './caching-key-provider.js';
import { EnvelopeRecordCodec } from './envelope-record-codec.js';
import { DataKeyRejectedError } from './key-provider.js';
import { KmsKeyProvider } from './kms-key-provider.js';
import { RecordDecryptionError } from './record-crypto-errors.js';
import { FakeKmsClient } from './testing/fake-kms-client.js';
import { aNamespaceRecord, aTablePointer, catalogKeys, KEY_PREFIX, TENANT } from './testing/fixtures.js';

const KEY_A = 'arn:aws:kms:eu-west-1:111122223333:key/key-a';
const KEY_B = 'arn:aws:kms:eu-west-1:111122223333:key/key-b';

/** One container: a KMS client, a cache and a codec, built once as the composition root does. */
function aContainer(kms: FakeKmsClient, kmsKeyId = KEY_A, now?: () => number): EnvelopeRecordCodec {
  return new EnvelopeRecordCodec({ keys: new CachingKeyProvider(new KmsKeyProvider(kms, kmsKeyId), {}, now), tenant: TENANT, keyPrefix: KEY_PREFIX });
}

/** A request's record work: write a table pointer, read it back, read the namespace record. */
async function aRequest(codec: EnvelopeRecordCodec, i: number, namespaceBytes: Map<string, Uint8Array>): Promise<void> {
  const warehouse = i % 2 === 0 ? 'sales' : 'marketing';
  const pointerKey = catalogKeys.tablePointer(warehouse, ['finance'], `table-${i % 50}`);
  const pointer = await codec.decode(pointerKey, await codec.encode(pointerKey, aTablePointer(i)));
  assert.deepEqual(pointer, aTablePointer(i));
  const namespaceKey = catalogKeys.namespaceRecord(warehouse, ['finance']);
  await codec.decode(namespaceKey, namespaceBytes.get(warehouse)!);
}

test('generateDataKey and decrypt pass the key, AES_256 and the catalog and warehouse as encryption context', async () => {
  const kms = new FakeKmsClient([KEY_A]);
  const codec = new EnvelopeRecordCodec({ keys: new KmsKeyProvider(kms, 'key-a'), tenant: TENANT, keyPrefix: KEY_PREFIX });
  const key = catalogKeys.namespaceRecord('sales', ['finance']);

  await codec.decode(key, await codec.encode(key, aNamespaceRecord()));

  assert.deepEqual(kms.calls, { generateDataKey: 1, decrypt: 1 });
  assert.deepEqual(kms.contexts, [
    { catalog: TENANT, warehouse: 'sales' },
    { catalog: TENANT, warehouse: 'sales' },
  ]);
});

test('1,000 warm requests (encode + decode) make at most a handful of KMS calls', async () => {
  const kms = new FakeKmsClient([KEY_A]);
  const writer = aContainer(kms);
  const namespaceBytes = new Map<string, Uint8Array>();
  for (const warehouse of ['sales', 'marketing']) {
    namespaceBytes.set(warehouse, await writer.encode(catalogKeys.namespaceRecord(warehouse, ['finance']), aNamespaceRecord()));
  }
  const beforeWarmUp = kms.total;
  const codec = aContainer(kms);
  await aRequest(codec, 0, namespaceBytes);
  await aRequest(codec, 1, namespaceBytes);
  const warmUp = kms.total - beforeWarmUp;

  for (let i = 0; i < 1_000; i++) await aRequest(codec, i, namespaceBytes);

  const warm = kms.total - beforeWarmUp - warmUp;
  console.log(`KMS calls: warm-up of a fresh container ${warmUp} (2 warehouses, records written by another container), then ${warm} for 1,000 warm requests (3,000 record operations)`);
  assert.equal(warm, 0);
  assert.ok(warmUp <= 4, `warm-up made ${warmUp} calls`);
});

test('1,000 encode+decode operations from a cold container make one GenerateDataKey per warehouse and no Decrypt', async () => {
  const kms = new FakeKmsClient([KEY_A]);
  const codec = aContainer(kms);

  for (let i = 0; i < 1_000; i++) {
    const key = catalogKeys.tablePointer(i % 2 === 0 ? 'sales' : 'marketing', ['finance'], `t${i}`);
    await codec.decode(key, await codec.encode(key, aTablePointer(i)));
  }

  console.log(`KMS calls for 1,000 cold-start encode+decode: ${JSON.stringify(kms.calls)}`);
  assert.deepEqual(kms.calls, { generateDataKey: 2, decrypt: 0 });
});

test('concurrent requests on a cold container share one KMS call', async () => {
  const kms = new FakeKmsClient([KEY_A]);
  const codec = aContainer(kms);
  const key = catalogKeys.namespaceRecord('sales', ['finance']);

  const encoded = await Promise.all(Array.from({ length: 50 }, () => codec.encode(key, aNamespaceRecord())));
  const other = aContainer(kms);
  const before = kms.total;
  await Promise.all(encoded.map((bytes) => other.decode(key, bytes)));

  assert.equal(kms.calls.generateDataKey, 1);
  assert.equal(kms.total - before, 1);
});

test('a data key is regenerated after its time is up', async () => {
  let now = 0;
  const kms = new FakeKmsClient([KEY_A]);
  const codec = aContainer(kms, KEY_A, () => now);
  const key = catalogKeys.namespaceRecord('sales', ['finance']);

  await codec.encode(key, aNamespaceRecord());
  now += 4 * 60 * 1000;
  await codec.encode(key, aNamespaceRecord());
  assert.equal(kms.calls.generateDataKey, 1);
  now += 2 * 60 * 1000;
  await codec.encode(key, aNamespaceRecord());

  assert.equal(kms.calls.generateDataKey, 2);
});

test('a record copied to another warehouse or tenant is refused by KMS and fails with the typed error', async () => {
  const kms = new FakeKmsClient([KEY_A]);
  const codec = aContainer(kms);
  const otherTenant = new EnvelopeRecordCodec({ keys: new CachingKeyProvider(new KmsKeyProvider(kms, KEY_A)), tenant: 'other-catalog', keyPrefix: KEY_PREFIX });
  const sales = catalogKeys.namespaceRecord('sales', ['finance']);
  const marketing = catalogKeys.namespaceRecord('marketing', ['finance']);
  const bytes = await codec.encode(sales, aNamespaceRecord());

  await assert.rejects(codec.decode(marketing, bytes), (e: unknown) => e instanceof RecordDecryptionError && e.reason === 'data-key-rejected');
  await assert.rejects(otherTenant.decode(sales, bytes), (e: unknown) => e instanceof RecordDecryptionError && e.reason === 'data-key-rejected');
});

test('records written under a previous KMS key still decode after the configured key changes', async () => {
  const kms = new FakeKmsClient([KEY_A, KEY_B]);
  const key = catalogKeys.namespaceRecord('sales', ['finance']);
  const underA = await aContainer(kms, KEY_A).encode(key, aNamespaceRecord({ state: 'a' }));

  const afterChange = aContainer(kms, KEY_B);
  const underB = await afterChange.encode(key, aNamespaceRecord({ state: 'b' }));

  assert.deepEqual(await afterChange.decode(key, underA), aNamespaceRecord({ state: 'a' }));
  assert.deepEqual(await afterChange.decode(key, underB), aNamespaceRecord({ state: 'b' }));
  assert.ok(Buffer.from(underB).includes(Buffer.from(KEY_B)));
});

test('a KMS refusal becomes DataKeyRejectedError; other KMS failures pass through', async () => {
  const refusing = new KmsKeyProvider({ send: () => Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDeniedException' })) }, KEY_A);
  const throttled = new KmsKeyProvider({ send: () => Promise.reject(Object.assign(new Error('slow down'), { name: 'ThrottlingException' })) }, KEY_A);

  await assert.rejects(refusing.decryptDataKey(KEY_A, Uint8Array.of(1), {}), DataKeyRejectedError);
  await assert.rejects(throttled.decryptDataKey(KEY_A, Uint8Array.of(1), {}), (e: unknown) => e instanceof Error && e.name === 'ThrottlingException');
});

test('a KMS answer without a 32-byte data key is an error, not a weak key', async () => {
  const short = new KmsKeyProvider({ send: async () => ({ KeyId: KEY_A, Plaintext: new Uint8Array(16), CiphertextBlob: Uint8Array.of(1) }) }, KEY_A);

  await assert.rejects(short.generateDataKey({ catalog: TENANT }), /32-byte/);
  await assert.rejects(short.decryptDataKey(KEY_A, Uint8Array.of(1), {}), DataKeyRejectedError);
});

test('connect builds a provider on the SDK client without calling KMS', () => {
  const provider = KmsKeyProvider.connect({ kmsKeyId: 'alias/catalog', region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566' });

  assert.ok(provider instanceof KmsKeyProvider);
});
