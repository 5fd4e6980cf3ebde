import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { CatalogContext } from '../../core/catalog/context.js';
import { createCatalogContext, createRecordCodecFor } from '../../core/catalog-runtime.js';
import { rotateMasterKeyFile } from '../../core/crypto/master-keyring.js';
import { RecordDecryptionError } from '../../core/crypto/record-crypto-errors.js';
import { RECORD_MAGIC } from '../../core/crypto/envelope-record-codec.js';
import { isJsonObject } from '../../core/json/lossless-json.js';
import { listAll } from '../../core/store/object-store.js';
import { assertError, assertStatus } from '../support/assertions.js';
import { namespacePath, startTestCatalog, uniqueName, type CatalogResponse, type TestCatalog } from '../support/catalog-harness.js';
import { createTableBody } from '../support/table-requests.js';

/**
 * Envelope encryption of catalog records, end to end over HTTP with the embedded mode's local master
 * key (the harness creates one per run, for the fs and the S3 store alike): nothing readable at rest,
 * a record moved to another key, warehouse or catalog does not decrypt and the catalog says so in
 * the spec's error model, and a master key rotation rewrites no record.
 */
let catalog: TestCatalog;
let ctx: CatalogContext;
let warehouseDir: string;
const OTHER = 'other';
let P: string;

before(async () => {
  warehouseDir = await mkdtemp(join(tmpdir(), 'catalog-enc-wh-'));
  const s3 = (process.env['S3_ENDPOINT'] ?? '') !== '';
  const base = s3 ? `s3://${process.env['CATALOG_BUCKET'] ?? process.env['S3_BUCKET'] ?? 'catalog-test'}/it-enc-${randomUUID()}` : pathToFileURL(warehouseDir).href;
  catalog = await startTestCatalog({ env: { CATALOG_WAREHOUSES: `default=${base}/default,${OTHER}=${base}/${OTHER}`, CATALOG_DEFAULT_WAREHOUSE: 'default' } });
  ctx = await catalog.context();
  P = `/v1/${catalog.warehouse}`;
});
after(async () => {
  await catalog.close();
  await rm(warehouseDir, { recursive: true, force: true });
});

const recordsPrefix = () => (ctx.config.keyPrefix === '' ? '' : `${ctx.config.keyPrefix}/`);

/** Every catalog record's raw bytes: the files under the data folder (fs), or the objects under the run's prefix (S3). */
async function storedRecords(): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  if (ctx.config.store.kind === 'fs') {
    const root = ctx.config.store.dataDir;
    for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      // The key file and the admin key file are not records (and hold no catalog content).
      if (/master-keys\.txt|admin-api-key/.test(entry.name)) continue;
      out.set(path.slice(root.length + 1), await readFile(path));
    }
    return out;
  }
  for await (const page of listAll(ctx.records.objects, { prefix: recordsPrefix() })) {
    for (const object of page.objects) {
      const stored = await ctx.records.objects.get(object.key);
      if (stored !== undefined) out.set(object.key, Buffer.from(stored.body));
    }
  }
  return out;
}

/** The master key id (local) or KMS key ARN an encrypted record names in its header. */
function keyIdOf(bytes: Uint8Array): string {
  const view = Buffer.from(bytes);
  assert.ok(view.subarray(0, RECORD_MAGIC.length).equals(Buffer.from(RECORD_MAGIC)), 'an encrypted record');
  const length = view.readUInt16BE(RECORD_MAGIC.length + 1);
  return view.subarray(RECORD_MAGIC.length + 3, RECORD_MAGIC.length + 3 + length).toString('utf8');
}

/** Runs `request`, capturing what the server logs meanwhile (it runs in this process). */
async function withServerLog(request: () => Promise<CatalogResponse>): Promise<{ response: CatalogResponse; log: string }> {
  const original = process.stderr.write.bind(process.stderr);
  let log = '';
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    log += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  try {
    return { response: await request(), log };
  } finally {
    process.stderr.write = original;
  }
}

/** A 500 in the spec's error model with an error id, no stack, no record content; the log names the record and the reason. */
async function assertUndecryptable(request: () => Promise<CatalogResponse>, key: string, reason: RegExp): Promise<void> {
  const { response, log } = await withServerLog(request);
  assertError(response, 500, 'InternalServerError');
  const message = String((response.body as { error: { message: string } }).error.message);
  const errorId = /error id ([0-9a-f-]{36})/.exec(message)?.[1];
  assert.ok(errorId !== undefined, message);
  assert.doesNotMatch(response.text, /\bat \w|RecordDecryptionError|stack/i, 'no stack trace or internals in the answer');
  const line = log.split('\n').find((l) => l.includes(errorId));
  assert.ok(line !== undefined, `the error id is logged: ${log}`);
  assert.ok(line.includes(`Catalog record '${key}' could not be decrypted`), line);
  assert.match(line, reason);
}

async function createNamespace(warehouse: string, namespace: string[], properties: Record<string, string> = {}): Promise<void> {
  assertStatus(await catalog.request('POST', `/v1/${warehouse}/namespaces`, { body: { namespace, properties } }), 200);
}

test('a stored record contains no plaintext of its content', async () => {
  const namespace = [uniqueName('secret_ns')];
  const marker = `zebra-${randomUUID()}`;
  const table = uniqueName('secret_table');
  await createNamespace(catalog.warehouse, namespace, { 'owner-note': marker });
  const created = await catalog.request('POST', `${P}/namespaces/${namespacePath(namespace)}/tables`, { body: createTableBody(table) });
  assertStatus(created, 200);
  const metadataLocation = String((created.body as Record<string, unknown>)['metadata-location']);
  const tableUuid = String(((created.body as Record<string, unknown>)['metadata'] as Record<string, unknown>)['table-uuid']);
  // A receipt too: an idempotent request stores its answer (which holds the metadata location).
  assertStatus(await catalog.request('POST', `${P}/namespaces/${namespacePath(namespace)}/properties`, { body: { updates: { more: marker } }, headers: { 'idempotency-key': randomUUID() } }), 200);

  const records = await storedRecords();
  assert.ok(records.size >= 3, `records found: ${[...records.keys()].join(', ')}`);
  for (const [key, bytes] of records) {
    assert.ok(bytes.subarray(0, RECORD_MAGIC.length).equals(Buffer.from(RECORD_MAGIC)), `${key} is an encrypted record`);
    for (const plaintext of [marker, namespace[0]!, table, metadataLocation, tableUuid, 'owner-note', '"properties"']) {
      assert.ok(!bytes.includes(plaintext), `${key} contains '${plaintext}'`);
    }
  }
  // ... while the catalog itself reads them back.
  const loaded = await catalog.request('GET', `${P}/namespaces/${namespacePath(namespace)}`);
  assertStatus(loaded, 200);
  assert.equal((loaded.body as { properties: Record<string, string> }).properties['owner-note'], marker);
});

test('a record copied under another key fails to decrypt: a clear error in the spec model, and the catalog keeps serving', async () => {
  const source = [uniqueName('copy_src')];
  const target = [uniqueName('copy_dst')];
  await createNamespace(catalog.warehouse, source, { who: 'source' });
  await createNamespace(catalog.warehouse, target, { who: 'target' });
  const sourceKey = ctx.keys.namespaceRecord(catalog.warehouse, source);
  const targetKey = ctx.keys.namespaceRecord(catalog.warehouse, target);
  const bytes = (await ctx.records.objects.get(sourceKey))!.body;

  await ctx.records.objects.put(targetKey, bytes);

  await assertUndecryptable(() => catalog.request('GET', `${P}/namespaces/${namespacePath(target)}`), targetKey, /authentication failed/);
  await assert.rejects(
    ctx.records.read(targetKey, (v) => v),
    (e: unknown) => e instanceof RecordDecryptionError && e.reason === 'authentication-failed',
  );
  const intact = await catalog.request('GET', `${P}/namespaces/${namespacePath(source)}`);
  assertStatus(intact, 200);
  assert.equal((intact.body as { properties: Record<string, string> }).properties['who'], 'source');
});

test('a record copied to another warehouse fails to decrypt: its data key is bound to its warehouse', async () => {
  const namespace = [uniqueName('moved')];
  await createNamespace(catalog.warehouse, namespace, { who: 'default' });
  await createNamespace(OTHER, namespace, { who: 'other' });
  const fromKey = ctx.keys.namespaceRecord(catalog.warehouse, namespace);
  const toKey = ctx.keys.namespaceRecord(OTHER, namespace);

  await ctx.records.objects.put(toKey, (await ctx.records.objects.get(fromKey))!.body);

  await assertUndecryptable(() => catalog.request('GET', `/v1/${OTHER}/namespaces/${namespacePath(namespace)}`), toKey, /data key was rejected/);
  await assert.rejects(
    ctx.records.read(toKey, (v) => v),
    (e: unknown) => e instanceof RecordDecryptionError && e.reason === 'data-key-rejected',
  );
  assertStatus(await catalog.request('GET', `${P}/namespaces/${namespacePath(namespace)}`), 200);
});

test('another catalog (tenant) with the same master key cannot decrypt the records', async () => {
  const namespace = [uniqueName('tenant')];
  await createNamespace(catalog.warehouse, namespace, { who: 'us' });
  const key = ctx.keys.namespaceRecord(catalog.warehouse, namespace);
  const bytes = (await ctx.records.objects.get(key))!.body;

  const sameCatalog = await createRecordCodecFor(ctx.config);
  const otherCatalog = await createRecordCodecFor({ ...ctx.config, catalogId: `${ctx.config.catalogId}-other` });

  const decoded = await sameCatalog.decode(key, bytes);
  assert.ok(isJsonObject(decoded));
  await assert.rejects(otherCatalog.decode(key, bytes), (e: unknown) => e instanceof RecordDecryptionError && e.reason === 'data-key-rejected');
});

test('rotating the local master key rewrites no record: old records still read, new containers write under the new key', async () => {
  const encryption = ctx.config.encryption;
  assert.equal(encryption.mode, 'local');
  if (encryption.mode !== 'local') return;
  const before = [uniqueName('before_rotation')];
  await createNamespace(catalog.warehouse, before, { era: 'old' });
  const beforeKey = ctx.keys.namespaceRecord(catalog.warehouse, before);
  const oldKeyId = keyIdOf((await ctx.records.objects.get(beforeKey))!.body);

  const fresh = await rotateMasterKeyFile(encryption.masterKeyFile);
  assert.notEqual(fresh.id, oldKeyId);

  // A container started after the rotation (same store, same configuration) uses the new key...
  const restarted = await createCatalogContext(ctx.config, { objects: ctx.records.objects });
  const after = [uniqueName('after_rotation')];
  const afterKey = ctx.keys.namespaceRecord(catalog.warehouse, after);
  assert.ok((await restarted.records.create(afterKey, { namespace: after, properties: { era: 'new' } })).ok);
  assert.equal(keyIdOf((await ctx.records.objects.get(afterKey))!.body), fresh.id);
  // ... and still reads what was written before it.
  assert.ok(isJsonObject((await restarted.records.read(beforeKey, (v) => v))!.value));

  // The running server reads both: the old record with the old key, the new one by reloading the key file.
  const old = await catalog.request('GET', `${P}/namespaces/${namespacePath(before)}`);
  assertStatus(old, 200);
  assert.equal((old.body as { properties: Record<string, string> }).properties['era'], 'old');
  const created = await restarted.records.read(afterKey, (v) => v);
  assert.ok(created !== undefined);
  const viaServer = await ctx.records.read(afterKey, (v) => v);
  assert.deepEqual(viaServer?.value, created.value);
  assert.equal(keyIdOf((await ctx.records.objects.get(beforeKey))!.body), oldKeyId, 'the old record was not rewritten');
});
