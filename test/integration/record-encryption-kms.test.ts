import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CatalogContext } from '../../core/catalog/context.js';
import { createCatalogContext } from '../../core/catalog-runtime.js';
import { RECORD_MAGIC } from '../../core/crypto/envelope-record-codec.js';
import { assertStatus } from '../support/assertions.js';
import { namespacePath, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { startFakeKmsServer, type FakeKmsServer } from '../support/fake-kms-server.js';
import { createTableBody } from '../support/table-requests.js';

/**
 * The production mode of record encryption, CATALOG_ENCRYPTION=kms, through the real wiring: the
 * configuration, createRecordCodec, KmsKeyProvider and the AWS SDK's KMS client, against a KMS
 * endpoint on this machine that counts calls (test/support/fake-kms-server.ts). Auth is on, so API
 * key, audit and auth-secret records are encrypted too. The target: a warm container makes at most a
 * handful of KMS calls per 1,000 requests.
 */
let kms: FakeKmsServer;
let catalog: TestCatalog;
let ctx: CatalogContext;
let P: string;
const namespace = [uniqueName('kms_ns')];
const table = 'kms_table';

before(async () => {
  kms = await startFakeKmsServer();
  // The SDK wants credentials to sign with; the fake endpoint does not check them.
  process.env['AWS_ACCESS_KEY_ID'] ??= 'fake-kms-access-key';
  process.env['AWS_SECRET_ACCESS_KEY'] ??= 'fake-kms-secret-key';
  catalog = await startTestCatalog({
    auth: true,
    env: { CATALOG_ENCRYPTION: 'kms', CATALOG_KMS_KEY_ID: kms.keyArn, CATALOG_KMS_ENDPOINT: kms.url, CATALOG_KMS_REGION: 'eu-west-1' },
  });
  ctx = await catalog.context();
  P = `/v1/${catalog.warehouse}`;
});
after(async () => {
  await catalog.close();
  await kms.close();
});

test('KMS is asked for data keys with an encryption context naming the catalog and the warehouse', async () => {
  assert.equal(ctx.config.encryption.mode, 'kms');
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace, properties: { a: '1' } } }), 200);
  assertStatus(await catalog.request('POST', `${P}/namespaces/${namespacePath(namespace)}/tables`, { body: createTableBody(table) }), 200);

  assert.ok(kms.calls.generateDataKey >= 1);
  assert.ok(kms.kms.contexts.some((c) => c['catalog'] === ctx.config.catalogId && c['warehouse'] === catalog.warehouse), JSON.stringify(kms.kms.contexts));
  assert.ok(kms.kms.contexts.some((c) => c['catalog'] === ctx.config.catalogId && c['warehouse'] === undefined), 'system records (auth, audit) name the catalog only');
  const stored = Buffer.from((await ctx.records.objects.get(ctx.keys.namespaceRecord(catalog.warehouse, namespace)))!.body);
  assert.ok(stored.subarray(0, RECORD_MAGIC.length).equals(Buffer.from(RECORD_MAGIC)));
  assert.ok(stored.includes(Buffer.from(kms.keyArn)), 'the record names the KMS key that wrapped its data key');
});

test('1,000 warm requests (reads and writes, authenticated) make at most a handful of KMS calls', async () => {
  const ns = `${P}/namespaces/${namespacePath(namespace)}`;
  const requests = [
    () => catalog.request('GET', `${ns}/tables/${table}`),
    () => catalog.request('GET', ns),
    () => catalog.request('GET', `${ns}/tables`),
    () => catalog.request('HEAD', `${ns}/tables/${table}`),
  ];
  // Warm up: one of each, and one write (which also audits).
  for (const send of requests) assertStatus(await send(), send === requests[3] ? 204 : 200);
  assertStatus(await catalog.request('POST', `${ns}/properties`, { body: { updates: { warm: 'up' } } }), 200);
  const before = { ...kms.calls };

  const statuses = new Map<number, number>();
  for (let i = 0; i < 1000; i++) {
    const response =
      i % 10 === 9
        ? await catalog.request('POST', `${ns}/properties`, { body: { updates: { n: String(i) } } })
        : await requests[i % requests.length]!();
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  }

  const generate = kms.calls.generateDataKey - before.generateDataKey;
  const decrypt = kms.calls.decrypt - before.decrypt;
  console.log(`KMS calls for 1,000 warm requests (900 reads, 100 writes, API key auth): ${generate + decrypt} (GenerateDataKey ${generate}, Decrypt ${decrypt})`);
  assert.deepEqual([...statuses.keys()].every((s) => s === 200 || s === 204), true, JSON.stringify([...statuses]));
  assert.ok(generate + decrypt <= 5, `${generate + decrypt} KMS calls`);
});

test('a fresh container unwraps each data key once, then serves 1,000 reads from its cache', async () => {
  const before = kms.total;
  const container = await createCatalogContext(ctx.config, { objects: ctx.records.objects });
  const key = ctx.keys.tablePointer(catalog.warehouse, namespace, table);
  for (let i = 0; i < 1000; i++) assert.ok((await container.records.read(key, (v) => v)) !== undefined);
  const calls = kms.total - before;
  console.log(`KMS calls for a cold container's first 1,000 reads of a record another container wrote: ${calls}`);
  assert.equal(calls, 1);
});
