import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError } from '../errors.js';
import { EnvelopeRecordCodec } from './envelope-record-codec.js';
import { DataKeyRejectedError } from './key-provider.js';
import { LocalKeyProvider } from './local-key-provider.js';
import { DEFAULT_MASTER_KEY_FILE, formatMasterKeyring, newMasterKey, parseMasterKeyring, rotateMasterKeyFile } from './master-keyring.js';
import { aNamespaceKey, aNamespaceRecord, KEY_PREFIX, TENANT, aTempDir } from './testing/fixtures.js';

const posix = process.platform !== 'win32';

function aCodecOn(provider: LocalKeyProvider): EnvelopeRecordCodec {
  return new EnvelopeRecordCodec({ keys: provider, tenant: TENANT, keyPrefix: KEY_PREFIX });
}

test('the master key file is created once, with mode 0600, and reused on the next start', { skip: posix ? false : 'POSIX file modes only' }, async () => {
  const dataDir = await aTempDir();
  const key = aNamespaceKey();

  const first = await LocalKeyProvider.open({ dataDir });
  const file = join(dataDir, DEFAULT_MASTER_KEY_FILE);
  const contentAfterFirst = await readFile(file, 'utf8');
  const bytes = await aCodecOn(first.provider).encode(key, aNamespaceRecord());
  const second = await LocalKeyProvider.open({ dataDir });

  assert.equal(first.createdKeyFile, file);
  assert.equal(second.createdKeyFile, undefined);
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.equal(await readFile(file, 'utf8'), contentAfterFirst);
  assert.equal(second.provider.activeKeyId, first.provider.activeKeyId);
  assert.deepEqual(await aCodecOn(second.provider).decode(key, bytes), aNamespaceRecord());
});

test('concurrent first starts agree on one master key', async () => {
  const dataDir = await aTempDir();

  const opened = await Promise.all(Array.from({ length: 8 }, () => LocalKeyProvider.open({ dataDir })));

  assert.equal(new Set(opened.map((o) => o.provider.activeKeyId)).size, 1);
  assert.equal(opened.filter((o) => o.createdKeyFile !== undefined).length, 1);
});

test('a master key file readable by others is refused', { skip: posix ? false : 'POSIX file modes only' }, async () => {
  const dataDir = await aTempDir();
  const file = join(dataDir, 'keys.txt');
  await writeFile(file, formatMasterKeyring([newMasterKey()]));
  await chmod(file, 0o644);

  await assert.rejects(LocalKeyProvider.open({ dataDir, masterKeyFile: file }), (e: unknown) => e instanceof ConfigurationError && /chmod 600/.test(e.message));
});

test('master keys from a configured value create no file', async () => {
  const dataDir = await aTempDir();
  const master = newMasterKey();

  const { provider, createdKeyFile } = await LocalKeyProvider.open({ dataDir, masterKeys: `${master.id}:${Buffer.from(master.key).toString('base64')}` });

  assert.equal(provider.activeKeyId, master.id);
  assert.equal(createdKeyFile, undefined);
  await assert.rejects(stat(join(dataDir, DEFAULT_MASTER_KEY_FILE)), /ENOENT/);
});

test('a keyring value: first entry active, bare keys get a derived id, bad entries name the source but not the key', () => {
  const a = newMasterKey();
  const b = newMasterKey();
  const bare = Buffer.from(newMasterKey().key).toString('base64');

  const ring = parseMasterKeyring(`${b.id}:${Buffer.from(b.key).toString('base64')}, ${a.id}:${Buffer.from(a.key).toString('base64')}`, 'CATALOG_MASTER_KEY');
  const derived = parseMasterKeyring(bare, 'CATALOG_MASTER_KEY');

  assert.equal(ring.active.id, b.id);
  assert.deepEqual([...ring.keys.keys()], [b.id, a.id]);
  assert.match(derived.active.id, /^mk-[0-9a-f]{8}$/);
  assert.equal(parseMasterKeyring(bare, 'x').active.id, derived.active.id, 'the derived id is stable');
  const short = Buffer.alloc(16).toString('base64');
  assert.throws(() => parseMasterKeyring(`k1:${short}`, 'CATALOG_MASTER_KEY'), (e: unknown) => e instanceof ConfigurationError && /CATALOG_MASTER_KEY/.test(e.message) && !e.message.includes(short));
  assert.throws(() => parseMasterKeyring('', 'CATALOG_MASTER_KEY'), ConfigurationError);
  assert.throws(() => parseMasterKeyring(`k1:${bare},k1:${bare}`, 'CATALOG_MASTER_KEY'), /twice/);
  assert.throws(() => parseMasterKeyring(`bad id:${bare}`, 'CATALOG_MASTER_KEY'), /invalid id/);
});

test('rotating the key file: old records decode, new records use the new key, and a running process picks it up', { skip: posix ? false : 'POSIX file modes only' }, async () => {
  const dataDir = await aTempDir();
  const key = aNamespaceKey();
  const running = await LocalKeyProvider.open({ dataDir });
  const underOld = await aCodecOn(running.provider).encode(key, aNamespaceRecord({ state: 'old' }));

  const fresh = await rotateMasterKeyFile(join(dataDir, DEFAULT_MASTER_KEY_FILE));
  const restarted = await LocalKeyProvider.open({ dataDir });
  const underNew = await aCodecOn(restarted.provider).encode(key, aNamespaceRecord({ state: 'new' }));

  assert.equal((await stat(join(dataDir, DEFAULT_MASTER_KEY_FILE))).mode & 0o777, 0o600);
  assert.equal(restarted.provider.activeKeyId, fresh.id);
  assert.deepEqual(await aCodecOn(restarted.provider).decode(key, underOld), aNamespaceRecord({ state: 'old' }));
  assert.deepEqual(await aCodecOn(running.provider).decode(key, underNew), aNamespaceRecord({ state: 'new' }));
  assert.equal(running.provider.activeKeyId, fresh.id, 'the running process reloaded the keyring');
});

test('an unknown master key id is a rejection, not a crash', async () => {
  const provider = new LocalKeyProvider(parseMasterKeyring(Buffer.from(newMasterKey().key).toString('base64'), 'test'));

  await assert.rejects(provider.decryptDataKey('mk-unknown', new Uint8Array(60), { catalog: TENANT }), DataKeyRejectedError);
});
