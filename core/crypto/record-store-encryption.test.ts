import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isJsonObject, type JsonObject, type JsonValue } from '../json/lossless-json.js';
import { MemoryObjectStore } from '../store/memory-object-store.js';
import type { RecordCodec } from '../store/record-codec.js';
import { RecordStore } from '../store/record-store.js';
import { CachingKeyProvider } from './caching-key-provider.js';
import { createRecordCodec } from './create-record-codec.js';
import { EnvelopeRecordCodec } from './envelope-record-codec.js';
import { KmsKeyProvider } from './kms-key-provider.js';
import { RecordDecryptionError } from './record-crypto-errors.js';
import { FakeKmsClient } from './testing/fake-kms-client.js';
import { aNamespaceKey, aNamespaceRecord, aTablePointer, aTablePointerKey, KEY_PREFIX, TENANT, aTempDir } from './testing/fixtures.js';

const asObject = (value: JsonValue, key: string): JsonObject => {
  if (!isJsonObject(value)) throw new Error(`${key} is not an object`);
  return value;
};

/**
 * The same conditional-write story through RecordStore for every encrypting codec: what a catalog
 * operation does with a record must not change when records are encrypted.
 */
function describeEncryptedRecordStore(name: string, makeCodec: () => Promise<RecordCodec>): void {
  describe(`RecordStore over MemoryObjectStore with ${name}`, () => {
    test('create, read, compare-and-swap and delete round-trip the values', async () => {
      const objects = new MemoryObjectStore();
      const records = new RecordStore(objects, await makeCodec());
      const key = aTablePointerKey();

      const created = await records.create(key, aTablePointer(1));
      assert.ok(created.ok);
      assert.deepEqual((await records.create(key, aTablePointer(9))).ok, false);
      const first = await records.read(key, asObject);
      assert.deepEqual(first?.value, aTablePointer(1));
      assert.equal(first?.etag, created.etag);

      const swapped = await records.replace(key, aTablePointer(2), first!.etag);
      assert.ok(swapped.ok);
      assert.deepEqual((await records.replace(key, aTablePointer(3), first!.etag)).ok, false, 'a stale etag loses');
      assert.deepEqual((await records.read(key, asObject))?.value, aTablePointer(2));

      await records.delete(key);
      assert.equal(await records.read(key, asObject), undefined);
    });

    test('the bytes in the object store hold no plaintext', async () => {
      const objects = new MemoryObjectStore();
      const records = new RecordStore(objects, await makeCodec());
      const key = aNamespaceKey();

      await records.create(key, aNamespaceRecord());
      const stored = await objects.get(key);

      for (const needle of ['alice-the-owner', 'quarterly-revenue-secret', 'properties']) {
        assert.equal(Buffer.from(stored!.body).includes(needle), false, needle);
      }
    });

    test('an object copied to another key in the store reads as RecordDecryptionError', async () => {
      const objects = new MemoryObjectStore();
      const records = new RecordStore(objects, await makeCodec());
      const from = aTablePointerKey('sales', 'orders');
      const to = aTablePointerKey('sales', 'orders_copy');
      await records.create(from, aTablePointer(1));

      await objects.put(to, (await objects.get(from))!.body);

      await assert.rejects(records.read(to, asObject), (e: unknown) => e instanceof RecordDecryptionError && e.key === to);
    });
  });
}

describeEncryptedRecordStore('the local master key (createRecordCodec local)', async () =>
  createRecordCodec({ mode: 'local', dataDir: await aTempDir(), tenant: TENANT, keyPrefix: KEY_PREFIX }),
);

describeEncryptedRecordStore('KMS (fake client)', async () =>
  new EnvelopeRecordCodec({ keys: new CachingKeyProvider(new KmsKeyProvider(new FakeKmsClient(), 'arn:aws:kms:eu-west-1:111122223333:key/fake-key-a')), tenant: TENANT, keyPrefix: KEY_PREFIX }),
);
