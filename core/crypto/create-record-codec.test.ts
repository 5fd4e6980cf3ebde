import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { stringifyJson } from '../json/lossless-json.js';
import { JsonRecordCodec } from '../store/record-codec.js';
import { createRecordCodec } from './create-record-codec.js';
import { EnvelopeRecordCodec } from './envelope-record-codec.js';
import { DEFAULT_MASTER_KEY_FILE, newMasterKey } from './master-keyring.js';
import { RecordDecryptionError } from './record-crypto-errors.js';
import { aNamespaceKey, aNamespaceRecord, KEY_PREFIX, TENANT, aTempDir } from './testing/fixtures.js';

test('plaintext mode is the plain JSON codec', async () => {
  assert.ok((await createRecordCodec({ mode: 'plaintext', tenant: TENANT })) instanceof JsonRecordCodec);
});

test('kms mode builds an envelope codec without calling KMS', async () => {
  const codec = await createRecordCodec({ mode: 'kms', kmsKeyId: 'alias/catalog', region: 'eu-west-1', tenant: TENANT });

  assert.ok(codec instanceof EnvelopeRecordCodec);
});

test('local mode creates the master key file on first start and reports it', async () => {
  const dataDir = await aTempDir();
  const created: string[] = [];

  const codec = await createRecordCodec({ mode: 'local', dataDir, tenant: TENANT, onMasterKeyFileCreated: (path) => created.push(path) });
  await createRecordCodec({ mode: 'local', dataDir, tenant: TENANT, onMasterKeyFileCreated: (path) => created.push(path) });

  assert.ok(codec instanceof EnvelopeRecordCodec);
  assert.deepEqual(created, [join(dataDir, DEFAULT_MASTER_KEY_FILE)]);
  await stat(join(dataDir, DEFAULT_MASTER_KEY_FILE));
});

test('local mode with a configured key: two containers with the same key read each other', async () => {
  const master = newMasterKey();
  const masterKeys = `${master.id}:${Buffer.from(master.key).toString('base64')}`;
  const settings = { mode: 'local', dataDir: '/nonexistent', masterKeys, tenant: TENANT, keyPrefix: KEY_PREFIX } as const;
  const key = aNamespaceKey();

  const bytes = await (await createRecordCodec(settings)).encode(key, aNamespaceRecord());

  assert.deepEqual(await (await createRecordCodec(settings)).decode(key, bytes), aNamespaceRecord());
});

test('the migration flag lets an encrypting codec read plaintext records', async () => {
  const master = Buffer.from(newMasterKey().key).toString('base64');
  const key = aNamespaceKey();
  const plaintext = new TextEncoder().encode(stringifyJson(aNamespaceRecord()));

  const strict = await createRecordCodec({ mode: 'local', dataDir: '/nonexistent', masterKeys: master, tenant: TENANT });
  const migrating = await createRecordCodec({ mode: 'local', dataDir: '/nonexistent', masterKeys: master, tenant: TENANT, allowPlaintext: true });

  await assert.rejects(strict.decode(key, plaintext), RecordDecryptionError);
  assert.deepEqual(await migrating.decode(key, plaintext), aNamespaceRecord());
});
