import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { CatalogContext } from '../../core/catalog/context.js';
import { confinementOf, namespaceLocationText } from '../../core/catalog/locations/confinement.js';
import type { PurgeJob } from '../../core/maintenance/jobs/job-queue.js';
import { purgeTable } from '../../core/catalog/tables/purge-table.js';
import { assertError, assertStatus } from '../support/assertions.js';
import { purgesSettled, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { aCreateTableRequest, aField, aSchema, anAppend, anUpdateCommit, setLocation, setProperties, tableApi, type LoadTableResultJson, type TableApi, type TableId } from '../support/table-fixtures.js';
import { aCreateViewRequest, viewApi, type ViewApi } from '../support/view-fixtures.js';

/**
 * Invariant 9, "the catalog touches only what it owns", attacked through every path a client
 * names (security review C5, C6, C8–C12, D14, D15, B11; code review 2.1, 2.2; fault review F6).
 * Runs on the local-files store and, with S3_ENDPOINT set, on S3: the victims are then the S3
 * records of this run.
 */

/** Small enough that a few dozen commits of wide schemas pass it; large enough for every ordinary table here. */
const MAX_METADATA_BYTES = 128 * 1024;

let catalog: TestCatalog;
let ctx: CatalogContext;
let api: TableApi;
let views: ViewApi;
let warehouseLocation: string;
let outsideDir: string;

before(async () => {
  catalog = await startTestCatalog({ env: { CATALOG_MAX_METADATA_BYTES: String(MAX_METADATA_BYTES) } });
  ctx = await catalog.context();
  api = tableApi(catalog);
  views = viewApi(catalog);
  warehouseLocation = ctx.config.warehouses.find((w) => w.name === catalog.warehouse)!.location;
  outsideDir = await mkdtemp(join(tmpdir(), 'confinement-outside-'));
});

after(async () => {
  await rm(outsideDir, { recursive: true, force: true });
  await catalog.close();
});

const nsLocation = (namespace: readonly string[]) => namespaceLocationText(warehouseLocation, namespace);

/** A catalog record as a client path would name it (fs: the record's file; S3: its object). */
function recordLocation(key: string): string {
  const store = ctx.config.store;
  if (store.kind === 'fs') return pathToFileURL(join(store.dataDir, ...key.split('/')) + '.obj').href;
  return `s3://${store.bucket}/${key}`;
}

async function recordExists(key: string): Promise<boolean> {
  return (await ctx.records.objects.get(key)) !== undefined;
}

/** The master keyring file (fs) or, on S3, a record of another catalog prefix in the same bucket. */
async function plantForeignVictim(): Promise<{ location: string; exists: () => Promise<boolean> }> {
  const store = ctx.config.store;
  if (store.kind === 'fs') {
    const encryption = ctx.config.encryption;
    assert.equal(encryption.mode, 'local');
    const file = encryption.mode === 'local' ? encryption.masterKeyFile : '';
    assert.ok(existsSync(file), 'the key file exists where the attack names it');
    return { location: pathToFileURL(file).href, exists: async () => existsSync(file) };
  }
  const key = `other-tenant-${randomUUID()}/sys/auth/bootstrap`;
  assert.equal((await ctx.records.objects.putIfAbsent(key, new TextEncoder().encode('victim'))).ok, true);
  return { location: `s3://${store.bucket}/${key}`, exists: async () => (await ctx.records.objects.get(key)) !== undefined };
}

const stat = (path: string) => ({ 'snapshot-id': 1, 'statistics-path': path, 'file-size-in-bytes': 1, 'file-footer-size-in-bytes': 1, 'blob-metadata': [] });
const partitionStat = (path: string) => ({ 'snapshot-id': 1, 'statistics-path': path, 'file-size-in-bytes': 1 });
const setStatistics = (path: string) => ({ action: 'set-statistics', statistics: stat(path) });
const setPartitionStatistics = (path: string) => ({ action: 'set-partition-statistics', 'partition-statistics': partitionStat(path) });

async function newTable(namespace?: string[], name = 'tbl', extra: Record<string, unknown> = {}): Promise<{ id: TableId; created: LoadTableResultJson }> {
  const ns = namespace ?? (await api.newNamespace('conf'));
  const created = await api.createOk(ns, { ...aCreateTableRequest(name), ...extra });
  return { id: { namespace: ns, name }, created };
}

/** The locations every bound is tried with: each must be refused with 400 BadRequestException, never 500. */
function escapes(table: LoadTableResultJson, namespace: readonly string[]): Record<string, string> {
  const own = table.metadata.location;
  const bucketOrRoot = warehouseLocation.replace(/^(s3[an]?:\/\/[^/]+|file:\/\/).*$/, '$1');
  return {
    'dot-dot': `${own}/../../../escaped`,
    'encoded dot-dot': `${own}/%2e%2e/%2E%2e/%2e%2e/escaped`,
    'encoded slash': `${own}/x%2F..%2F..%2Fescaped`,
    'another namespace': `${nsLocation([`${namespace[0]}_other`])}/t`,
    'outside the warehouse': `${bucketOrRoot}${warehouseLocation.startsWith('file:') ? outsideDir : '/not-the-warehouse'}/t`,
    'another bucket': 's3://some-other-bucket/warehouse/t',
    'the catalog records': recordLocation(ctx.keys.namespaceRecord(catalog.warehouse, [...namespace]).replace(/\/_ns$/, '')),
    relative: 'relative/path',
    'absolute path without scheme': '/tmp/x',
    gopher: 'gopher://host/x',
    http: 'http://host/x',
  };
}

describe('locations a client names are confined to the namespace subtree: 400, never 500, nothing written', () => {
  test('create location, stage-create location, write.metadata.path, write.data.path (C5, code review 2.2)', async () => {
    const namespace = await api.newNamespace('conf');
    const { created } = await newTable(namespace, 'probe');
    for (const [why, location] of Object.entries(escapes(created, namespace))) {
      assertError(await api.create(namespace, aCreateTableRequest('t1', { location })), 400, 'BadRequestException');
      assertError(await api.create(namespace, { ...aCreateTableRequest('t2', { location }), 'stage-create': true }), 400, 'BadRequestException');
      // A relative write.metadata.path is legal (spec Appendix F: under the table location).
      if (why !== 'relative') assertError(await api.create(namespace, aCreateTableRequest('t3', { properties: { 'write.metadata.path': location } })), 400, 'BadRequestException');
      assertError(await api.create(namespace, aCreateTableRequest('t4', { properties: { 'write.data.path': location } })), 400, 'BadRequestException');
    }
    assert.deepEqual(await api.listNames(namespace), ['probe']);
  });

  test('set-location and set-properties on a commit, and on the staged-create commit (C5, D15, fault review F6)', async () => {
    const namespace = await api.newNamespace('conf');
    const { id, created } = await newTable(namespace);
    for (const [why, location] of Object.entries(escapes(created, namespace))) {
      const updates = [setLocation(location), setProperties({ 'write.data.path': location }), ...(why !== 'relative' ? [setProperties({ 'write.metadata.path': location })] : [])];
      for (const update of updates) {
        const response = await api.commit(id, { requirements: [], updates: [update] });
        assert.equal(response.status, 400, `${why}: ${JSON.stringify(update)} → ${response.status} ${response.text}`);
        assertError(response, 400, 'BadRequestException');
      }
      // The second half of a staged create goes through commitTable's create path.
      const staged = { requirements: [{ type: 'assert-create' }], updates: [{ action: 'assign-uuid', uuid: randomUUID() }, { action: 'upgrade-format-version', 'format-version': 2 }, { action: 'add-schema', schema: aSchema() }, { action: 'set-current-schema', 'schema-id': -1 }, setLocation(location)] };
      assertError(await api.commit({ namespace, name: 'staged' }, staged), 400, 'BadRequestException');
    }
    // A multi-table transaction commits each table's updates through the same check.
    const { id: other } = await newTable(namespace, 'other');
    for (const update of [setLocation(escapes(created, namespace)['dot-dot']!), setStatistics(`${warehouseLocation}/elsewhere/x.stats`)]) {
      const changes = [
        { identifier: other, requirements: [], updates: [setProperties({ fine: 'yes' })] },
        { identifier: id, requirements: [], updates: [update] },
      ];
      assertError(await catalog.request('POST', `${api.prefix}/transactions/commit`, { body: { 'table-changes': changes } }), 400, 'BadRequestException');
    }
    assert.equal((await api.loadOk(other)).metadata.properties['fine'], undefined, 'the transaction committed nothing');
    const loaded = await api.loadOk(id);
    assert.equal(loaded['metadata-location'], created['metadata-location'], 'no refused commit changed the table');
    // Relocating inside the namespace is still allowed, and so is a relative write.metadata.path under the table.
    assertStatus(await api.commit(id, { requirements: [], updates: [setLocation(`${nsLocation(namespace)}/moved`), setProperties({ 'write.metadata.path': 'meta' })] }), 200);
    assert.match((await api.loadOk(id))['metadata-location']!, /\/moved\/meta\/00001-/);
  });

  test('a namespace location property and a view location are confined the same way', async () => {
    const namespace = await api.newNamespace('conf');
    const { created } = await newTable(namespace, 'probe');
    for (const location of Object.values(escapes(created, namespace))) {
      assertError(await catalog.request('POST', `${api.prefix}/namespaces`, { body: { namespace: [uniqueName('nsloc')], properties: { location } } }), 400, 'BadRequestException');
      assertError(await catalog.request('POST', `${api.prefix}/namespaces/${namespace[0]}/properties`, { body: { updates: { location } } }), 400, 'BadRequestException');
      assertError(await views.create(namespace, aCreateViewRequest('v', { location })), 400, 'BadRequestException');
    }
    assertStatus(await catalog.request('POST', `${api.prefix}/namespaces/${namespace[0]}/properties`, { body: { updates: { location: `${nsLocation(namespace)}/custom` } } }), 200);
  });
});

describe('client-named files: statistics and manifest lists are refused at commit unless inside the table (C8, C10, C11)', () => {
  test('statistics paths naming another table\'s pointer record, the master key or another tenant, or outside the warehouse: 400', async () => {
    const { id: victim } = await newTable(undefined, 'victim');
    const victimKey = ctx.keys.tablePointer(catalog.warehouse, victim.namespace, victim.name);
    assert.ok(await recordExists(victimKey), 'the victim pointer exists where the attack names it');
    const foreign = await plantForeignVictim();
    const { id, created } = await newTable(undefined, 'attacker');
    const targets = [recordLocation(victimKey), foreign.location, `${warehouseLocation}/elsewhere/x.stats`, `${created.metadata.location}/../victim/x`];
    for (const path of targets) {
      assertError(await api.commit(id, { requirements: [], updates: [setStatistics(path)] }), 400, 'BadRequestException');
      assertError(await api.commit(id, { requirements: [], updates: [setPartitionStatistics(path)] }), 400, 'BadRequestException');
    }
    const base = (await api.loadOk(id)).metadata;
    const [add, ref] = anAppend(base);
    const elsewhere = { ...add!, snapshot: { ...(add as unknown as { snapshot: Record<string, unknown> }).snapshot, 'manifest-list': `${warehouseLocation}/elsewhere/snap.avro` } };
    assertError(await api.commit(id, anUpdateCommit(base, [elsewhere, ref!])), 400, 'BadRequestException', 'manifest-list');
    // Inside the table: accepted as before.
    assertStatus(await api.commit(id, { requirements: [], updates: [setStatistics(`${created.metadata.location}/metadata/1.stats`)] }), 200);
    assertStatus(await api.commit(id, anUpdateCommit(base, anAppend(base))), 200);

    assertStatus(await api.drop(id, true), 204);
    await purgesSettled(catalog);
    assert.ok(await recordExists(victimKey));
    assert.ok(await foreign.exists());
    assertStatus(await api.exists(victim), 204);
  });
});

/**
 * Metadata written straight into the warehouse (as an engine or a compromised writer could), naming
 * victims everywhere, registered in the attacker's own namespace: the purge must report them, not
 * delete them, and a commit's metadata-log clean-up must not delete them either.
 */
describe('purge and later deletions delete only inside the dropped object (C8, C9, code review 2.1)', () => {
  async function plantRegistered(namespace: string[], name: string, victims: readonly string[]): Promise<{ id: TableId; metadataLocation: string }> {
    const { created } = await newTable(namespace, `${name}_src`);
    const location = `${nsLocation(namespace)}/${name}`;
    const metadataLocation = `${location}/metadata/00003-${randomUUID()}.metadata.json`;
    const metadata = {
      ...created.metadata,
      'table-uuid': randomUUID(),
      location,
      statistics: victims.slice(0, 2).map(stat),
      'partition-statistics': victims.slice(0, 2).map(partitionStat),
      'metadata-log': victims.map((file, i) => ({ 'metadata-file': file, 'timestamp-ms': 1000 + i })),
    };
    const { stringifyJson } = await import('../../core/json/lossless-json.js');
    assert.equal(await ctx.files.create(metadataLocation, new TextEncoder().encode(stringifyJson(metadata))), 'created');
    assertStatus(await api.register(namespace, name, metadataLocation), 200);
    return { id: { namespace, name }, metadataLocation };
  }

  test('a registered table naming another table\'s files, the catalog\'s records and keys: purge reports them and deletes only its own', async () => {
    const { id: victim, created: victimTable } = await newTable(undefined, 'victim');
    const victimKey = ctx.keys.tablePointer(catalog.warehouse, victim.namespace, victim.name);
    const foreign = await plantForeignVictim();
    const victims = [recordLocation(victimKey), victimTable['metadata-location']!, foreign.location, pathToFileURL(join(outsideDir, 'x')).href];
    await writeFile(join(outsideDir, 'x'), 'outside');
    const namespace = await api.newNamespace('attacker');
    const planted = await plantRegistered(namespace, 'copy', victims);

    const job: PurgeJob = { kind: 'table', uuid: 'planted', metadataLocation: planted.metadataLocation, requestedAtMs: Date.now() };
    const report = await purgeTable(ctx.files, confinementOf(ctx.config), job);
    assert.deepEqual([...report.refused].sort(), [...victims].sort(), 'every victim reported, none deleted');
    assert.equal(report.deleted, 1, 'only its own metadata file');
    assert.equal(await ctx.files.read(planted.metadataLocation), undefined);

    assertStatus(await api.drop(planted.id, true), 204);
    await purgesSettled(catalog);
    assert.ok(await recordExists(victimKey));
    assert.ok(await foreign.exists());
    assert.notEqual(await ctx.files.read(victimTable['metadata-location']!), undefined);
    assertStatus(await api.exists(victim), 204);
    assert.equal((await api.loadOk(victim))['metadata-location'], victimTable['metadata-location']);
  });

  test('write.metadata.delete-after-commit removes only the table\'s own expired metadata files', async () => {
    const { id: victim, created: victimTable } = await newTable(undefined, 'victim');
    const victimKey = ctx.keys.tablePointer(catalog.warehouse, victim.namespace, victim.name);
    const namespace = await api.newNamespace('attacker');
    const planted = await plantRegistered(namespace, 'expiring', [recordLocation(victimKey), victimTable['metadata-location']!]);
    assertStatus(await api.commit(planted.id, { requirements: [], updates: [setProperties({ 'write.metadata.delete-after-commit.enabled': 'true', 'write.metadata.previous-versions-max': '1' })] }), 200);
    assertStatus(await api.commit(planted.id, { requirements: [], updates: [setProperties({ touch: '1' })] }), 200);
    assert.ok(await recordExists(victimKey));
    assert.notEqual(await ctx.files.read(victimTable['metadata-location']!), undefined);
    assertStatus(await api.exists(victim), 204);
  });
});

describe('register: only files inside the namespace, one fixed answer (B11, C6, C9, C12, D15)', () => {
  test('a copy of another namespace\'s table or view: 400; inside the namespace: 200', async () => {
    const { id: victim, created } = await newTable(undefined, 'secret');
    const namespace = await api.newNamespace('attacker');
    assertError(await api.register(namespace, 'stolen', created['metadata-location']!), 400, 'BadRequestException');
    const view = await views.createOk(victim.namespace, aCreateViewRequest('secret_view'));
    assertError(await views.register(namespace, 'stolen_view', view['metadata-location']), 400, 'BadRequestException');
    assert.deepEqual(await api.listNames(namespace), []);
    // Registered back into its own namespace (after a drop without purge) still works.
    assertStatus(await api.drop(victim), 204);
    assertStatus(await api.register(victim.namespace, victim.name, created['metadata-location']!), 200);
  });

  test('a metadata file inside the namespace whose location names another namespace: 400', async () => {
    const { created } = await newTable(undefined, 'secret');
    const namespace = await api.newNamespace('attacker');
    const metadataLocation = `${nsLocation(namespace)}/x/metadata/00000-${randomUUID()}.metadata.json`;
    const { stringifyJson } = await import('../../core/json/lossless-json.js');
    await ctx.files.create(metadataLocation, new TextEncoder().encode(stringifyJson({ ...created.metadata, 'table-uuid': randomUUID() })));
    assertError(await api.register(namespace, 'relocated', metadataLocation), 400, 'BadRequestException');
    // Its own location inside, but its metadata folder in the other namespace: the same.
    const elsewhere = `${nsLocation(namespace)}/y/metadata/00000-${randomUUID()}.metadata.json`;
    const properties = { ...created.metadata.properties, 'write.metadata.path': `${created.metadata.location}/metadata` };
    await ctx.files.create(elsewhere, new TextEncoder().encode(stringifyJson({ ...created.metadata, 'table-uuid': randomUUID(), location: `${nsLocation(namespace)}/y`, properties })));
    assertError(await api.register(namespace, 'relocated', elsewhere), 400, 'BadRequestException');
    assert.deepEqual(await api.listNames(namespace), []);
  });

  test('missing, a folder, not JSON, not metadata, a gzip bomb, outside, odd schemes: the same 400 and message, bounded memory', async () => {
    const namespace = await api.newNamespace('attacker');
    const inside = (name: string) => `${nsLocation(namespace)}/t/metadata/${name}`;
    const put = async (name: string, bytes: Uint8Array) => assert.equal(await ctx.files.create(inside(name), bytes), 'created');
    await put('00000-text.metadata.json', new TextEncoder().encode('root:x:0:0:root:/root:/bin/bash\n'));
    await put('00000-json.metadata.json', new TextEncoder().encode('{"format-version": 2, "secret": "do-not-echo"}'));
    // 16 gzip members of 16 MiB of zeros each: 256 MiB inflated from ~256 KiB on disk.
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
    await put('00000-bomb.gz.metadata.json', Buffer.concat(Array.from({ length: 16 }, () => member)));
    const locations = [
      inside('00000-missing.metadata.json'),
      `${nsLocation(namespace)}/t/metadata`,
      inside('00000-text.metadata.json'),
      inside('00000-json.metadata.json'),
      inside('00000-bomb.gz.metadata.json'),
      pathToFileURL('/etc/passwd').href,
      `file:///${encodeURIComponent('..%2f')}etc/passwd`,
      'gopher://host/x.metadata.json',
      'relative.metadata.json',
    ];
    const rssBefore = process.memoryUsage().rss;
    const messages = new Set<string>();
    for (const location of locations) {
      const response = await api.register(namespace, 'r', location);
      assertError(response, 400, 'BadRequestException');
      messages.add((response.body as { error: { message: string } }).error.message);
      const viewResponse = await views.register(namespace, 'r', location);
      assertError(viewResponse, 400, 'BadRequestException');
      assert.ok(!viewResponse.text.includes('root:x') && !viewResponse.text.includes('do-not-echo'), viewResponse.text);
    }
    const grownMiB = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    assert.equal(messages.size, 1, [...messages].join('\n'));
    assert.ok(grownMiB < 128, `register of a 256 MiB gzip bomb grew the process by ${grownMiB.toFixed(0)} MiB`);
    assert.deepEqual(await api.listNames(namespace), []);
  });
});

describe('metadata size is bounded per table (D14)', () => {
  test('a commit whose metadata would pass CATALOG_MAX_METADATA_BYTES: 400, the table unchanged and still loadable', async () => {
    const { id, created } = await newTable();
    const wide = (first: number) => aSchema(...Array.from({ length: 3000 }, (_, i) => aField(first + i, `column_with_a_long_name_${i}`, 'string')));
    const response = await api.commit(id, { requirements: [], updates: [{ action: 'add-schema', schema: { ...wide(10), 'schema-id': 1 } }] });
    assertError(response, 400, 'BadRequestException', 'CATALOG_MAX_METADATA_BYTES');
    assert.equal((await api.loadOk(id))['metadata-location'], created['metadata-location']);
  });
});
