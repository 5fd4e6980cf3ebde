import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createCatalogContext } from '../../catalog-runtime.js';
import { loadConfig, loadFileAccessConfig } from '../../config.js';
import { ConfigurationError } from '../../errors.js';
import { LocalFileIO } from '../../store/local-file-io.js';
import { MemoryObjectStore } from '../../store/memory-object-store.js';
import { BucketNotServedError, MAX_BUCKET_CLIENTS, S3FileIO } from '../../store/s3-file-io.js';
import { createNamespace } from '../namespaces/create-namespace.js';

const S3 = { CATALOG_STORE: 's3', CATALOG_BUCKET: 'cat', CATALOG_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'), CATALOG_AUTH: 'disabled' };
const FS = (dataDir: string) => ({ CATALOG_STORE: 'fs', CATALOG_DATA_DIR: dataDir, CATALOG_AUTH: 'disabled' });

test('start refused: a warehouse that contains, or lies inside, the catalog records or a key file (fs)', () => {
  const dataDir = '/srv/catalog';
  const refused = (warehouse: string, extra: Record<string, string> = {}) =>
    assert.throws(() => loadConfig({ ...FS(dataDir), CATALOG_WAREHOUSES: `default=${warehouse}`, ...extra }), ConfigurationError, warehouse);
  refused(pathToFileURL(dataDir).href);
  refused(pathToFileURL('/srv').href);
  refused(pathToFileURL(`${dataDir}/wh`).href);
  refused(pathToFileURL(`${dataDir}/wh/default/data`).href);
  refused(pathToFileURL(`${dataDir}/sys`).href);
  refused(pathToFileURL('/keys').href, { CATALOG_MASTER_KEY_FILE: '/keys/master-keys.txt' });
  refused(pathToFileURL('/keys').href, { CATALOG_BOOTSTRAP_KEY_FILE: '/keys/admin-api-key' });
  refused(`file://${dataDir}/x/%2e%2e/wh`);
  // The default layout (warehouse beside the records in the data folder) and a separate folder are fine.
  assert.doesNotThrow(() => loadConfig(FS(dataDir)));
  assert.doesNotThrow(() => loadConfig({ ...FS(dataDir), CATALOG_WAREHOUSES: 'default=file:///srv/warehouse' }));
});

test('start refused: in S3 a warehouse containing the record prefix, inside it, the whole bucket, or overlapping another warehouse (C11)', () => {
  const refused = (env: Record<string, string>) => assert.throws(() => loadConfig({ ...S3, ...env }), ConfigurationError, JSON.stringify(env));
  refused({ CATALOG_WAREHOUSES: 'default=s3://cat/', CATALOG_PREFIX: 'tenant' });
  refused({ CATALOG_WAREHOUSES: 'default=s3://cat/tenant', CATALOG_PREFIX: 'tenant' });
  refused({ CATALOG_WAREHOUSES: 'default=s3://cat/tenant/files', CATALOG_PREFIX: 'tenant' });
  refused({ CATALOG_WAREHOUSES: 'default=s3://cat/wh/x' });
  refused({ CATALOG_WAREHOUSES: 'default=s3://cat' });
  refused({ CATALOG_WAREHOUSES: 'a=s3://wh/x,b=s3://wh/x/y' });
  refused({ CATALOG_WAREHOUSES: 'default=gs://wh/x' });
  refused({ CATALOG_WAREHOUSES: 'default=s3://wh/a/../b' });
  // Beside the prefix, in another bucket, or the default layout: fine; two tenants' warehouses in one bucket too.
  assert.doesNotThrow(() => loadConfig({ ...S3, CATALOG_PREFIX: 'tenant' }));
  assert.doesNotThrow(() => loadConfig({ ...S3, CATALOG_PREFIX: 'tenanta', CATALOG_WAREHOUSES: 'default=s3://cat/tenanta-wh' }));
  assert.doesNotThrow(() => loadConfig({ ...S3, CATALOG_WAREHOUSES: 'default=s3://wh-bucket' }));
  assert.deepEqual(loadFileAccessConfig({ CATALOG_WAREHOUSES: 'default=s3://wh/warehouse' }).warehouses, [{ name: 'default', location: 's3://wh/warehouse' }]);
});

test('CATALOG_MAX_METADATA_BYTES: default 4 MiB, bounded, a clear error', () => {
  assert.equal(loadConfig(FS('/srv/c')).maxMetadataBytes, 4 * 1024 * 1024);
  assert.equal(loadConfig({ ...FS('/srv/c'), CATALOG_MAX_METADATA_BYTES: '1048576' }).maxMetadataBytes, 1048576);
  assert.throws(() => loadConfig({ ...FS('/srv/c'), CATALOG_MAX_METADATA_BYTES: '12' }), /CATALOG_MAX_METADATA_BYTES/);
  assert.throws(() => loadConfig({ ...FS('/srv/c'), CATALOG_MAX_METADATA_BYTES: '4MB' }), /CATALOG_MAX_METADATA_BYTES/);
});

test('E7: a missing master key file over existing records refuses the start; an empty store gets a new key', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'confinement-keys-'));
  try {
    const config = loadConfig(FS(dataDir));
    const objects = new MemoryObjectStore();
    const ctx = await createCatalogContext(config, { objects });
    await createNamespace(ctx, 'default', { namespace: ['a'], properties: {} });
    await unlink(join(dataDir, 'master-keys.txt'));
    await assert.rejects(createCatalogContext(config, { objects }), (error: Error) => error instanceof ConfigurationError && /master key file .* is missing/.test(error.message));
    await assert.rejects(import('node:fs/promises').then((fs) => fs.access(join(dataDir, 'master-keys.txt'))), 'no new key was written');
    await createCatalogContext(config, { objects: new MemoryObjectStore() });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('LocalFileIO never leaves its roots, even when handed a path that climbs', async () => {
  const root = await mkdtemp(join(tmpdir(), 'confinement-root-'));
  try {
    const io = new LocalFileIO([join(root, 'wh')]);
    assert.equal(await io.create(pathToFileURL(join(root, 'wh', 'a', 'f')).href, new Uint8Array([1])), 'created');
    for (const location of [pathToFileURL(join(root, 'master-keys.txt')).href, `${pathToFileURL(join(root, 'wh')).href}/../x`, pathToFileURL(`${root}/wh2/x`).href]) {
      await assert.rejects(io.read(location), /outside the warehouse folders/, location);
      await assert.rejects(io.delete(location), /outside the warehouse folders/, location);
      await assert.rejects(io.create(location, new Uint8Array([1])), /outside the warehouse folders/, location);
    }
    assert.equal(await io.read(pathToFileURL(join(root, 'wh', 'a')).href), undefined, 'a folder reads as missing, not as an error');
    // A symlink inside the warehouse that leads out of it: refused for reads, writes and deletes.
    await writeFile(join(root, 'secret'), 'key');
    await mkdir(join(root, 'outside'));
    await symlink(join(root, 'secret'), join(root, 'wh', 'a', 'link-to-file'));
    await symlink(join(root, 'outside'), join(root, 'wh', 'a', 'link-to-dir'));
    await assert.rejects(io.read(pathToFileURL(join(root, 'wh', 'a', 'link-to-file')).href), /through a symlink/);
    await assert.rejects(io.create(pathToFileURL(join(root, 'wh', 'a', 'link-to-dir', 'new', 'f')).href, new Uint8Array([1])), /through a symlink/);
    await assert.rejects(io.delete(pathToFileURL(join(root, 'wh', 'a', 'link-to-dir', 'x')).href), /through a symlink/);
    assert.equal(await readFile(join(root, 'secret'), 'utf8'), 'key');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('S3FileIO serves only the warehouse buckets and keeps a bounded client cache (code review 2.7)', async () => {
  const built: string[] = [];
  const buckets = Array.from({ length: MAX_BUCKET_CLIENTS + 5 }, (_, i) => `b${i}`);
  const io = new S3FileIO(async (bucket) => {
    built.push(bucket);
    return new MemoryObjectStore();
  }, buckets);
  await assert.rejects(io.read('s3://attacker-chosen/x'), BucketNotServedError);
  assert.deepEqual(built, [], 'no client for a bucket that is not a warehouse');
  for (const bucket of buckets) await io.read(`s3://${bucket}/x`);
  await io.read('s3://b0/x');
  assert.equal(built.length, buckets.length + 1, 'the oldest client was evicted and b0 built again');
});
