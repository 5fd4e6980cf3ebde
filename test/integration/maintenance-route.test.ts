import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readManifestList } from '../../core/avro/index.js';
import { maintenanceCursorKey, maintenanceTick } from '../../core/maintenance/schedule.js';
import type { FileIO } from '../../core/store/file-io.js';
import { appendBaseOf, appendRequest, writeAppendFiles, type AppendFiles } from '../support/append-files.js';
import { assertStatus } from '../support/assertions.js';
import { auditRecords, keyWithRole } from '../support/auth-fixtures.js';
import { namespacePath, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { createTableBody, randomSnapshotId } from '../support/table-requests.js';

/**
 * Table maintenance on demand: `POST /management/v1/warehouses/{prefix}/namespaces/{namespace}/
 * tables/{table}/maintenance`, over HTTP with authentication and authorization on, on local files
 * or on S3 when S3_ENDPOINT is set. Invariants: a dry run changes nothing (snapshots and files as
 * before) and reports what a real run then removes; a real run leaves the head readable; only a
 * NamespaceOwner (or above) may run it, and the run is audited.
 */
let catalog: TestCatalog;
let files: FileIO;
let P: string;
let namespace: string[];

before(async () => {
  catalog = await startTestCatalog({ auth: true, env: { CATALOG_LOG_LEVEL: 'error' } });
  files = (await catalog.context()).files;
  P = `/v1/${catalog.warehouse}`;
  namespace = [uniqueName('mroute')];
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace } }), 200);
});
after(async () => catalog.close());

type Json = Record<string, unknown>;

interface Table {
  readonly name: string;
  readonly path: string;
  readonly maintenance: string;
}

function tablePaths(name: string): Table {
  const ns = namespacePath(namespace);
  return { name, path: `${P}/namespaces/${ns}/tables/${name}`, maintenance: `/management/v1/warehouses/${catalog.warehouse}/namespaces/${ns}/tables/${name}/maintenance` };
}

async function createTable(properties: Record<string, string>): Promise<Table> {
  const name = uniqueName('t');
  assertStatus(await catalog.request('POST', `${P}/namespaces/${namespacePath(namespace)}/tables`, { body: createTableBody(name, { properties }) }), 200);
  return tablePaths(name);
}

async function metadataOf(table: Table): Promise<Json> {
  const loaded = await catalog.request('GET', table.path);
  assertStatus(loaded, 200);
  return (loaded.body as { metadata: Json }).metadata;
}

async function append(table: Table): Promise<{ snapshotId: bigint; written: AppendFiles }> {
  const base = appendBaseOf(await metadataOf(table));
  const snapshotId = randomSnapshotId();
  const written = await writeAppendFiles(files, base, snapshotId);
  await files.create(written.dataFile, new TextEncoder().encode('parquet, notionally'));
  assertStatus(await catalog.request('POST', table.path, { body: appendRequest(base, snapshotId, written) }), 200);
  return { snapshotId, written };
}

const snapshotIds = async (table: Table) => (((await metadataOf(table))['snapshots'] ?? []) as { 'snapshot-id': number | bigint }[]).map((s) => BigInt(s['snapshot-id'])).sort();
const exists = async (location: string) => (await files.read(location)) !== undefined;
const ids = (values: unknown) => (values as (number | bigint)[]).map((v) => BigInt(v)).sort();

/** Three appends; with a 1 ms max age the first two are expired by the next run (the head is kept). */
async function tableWithHistory(): Promise<{ table: Table; appended: { snapshotId: bigint; written: AppendFiles }[] }> {
  const table = await createTable({ 'history.expire.max-snapshot-age-ms': '1' });
  const appended = [await append(table), await append(table), await append(table)];
  await new Promise((resolve) => setTimeout(resolve, 5));
  return { table, appended };
}

describe('maintenance on demand through the management API', () => {
  test('a dry run changes nothing and reports what a real run then expires and deletes', async () => {
    const { table, appended } = await tableWithHistory();
    const before = await snapshotIds(table);
    const expired = [appended[0]!.snapshotId, appended[1]!.snapshotId].sort();

    const dry = await catalog.request('POST', table.maintenance, { body: { dryRun: true } });
    assertStatus(dry, 200);
    const report = dry.body as Json & { expiry: Json; files: Json & { found: Json }; orphans: Json };
    assert.equal(report['ran'], true);
    assert.equal(report['dry-run'], true);
    assert.equal(report.expiry['status'], 'dry-run');
    assert.deepEqual(ids(report.expiry['expired-snapshot-ids']), expired);
    assert.deepEqual([...(report.files.found['manifest-lists'] as string[])].sort(), [appended[0]!.written.manifestList, appended[1]!.written.manifestList].sort());
    assert.equal(report.files['deleted'], 0);
    assert.ok('cursor' in report.orphans, 'the orphan cursor is reported');
    // Nothing changed.
    assert.deepEqual(await snapshotIds(table), before);
    for (const a of appended) assert.equal(await exists(a.written.manifestList), true);

    const real = await catalog.request('POST', table.maintenance, { body: { dryRun: false } });
    assertStatus(real, 200);
    const done = real.body as Json & { expiry: Json; files: Json };
    assert.equal(done['dry-run'], false);
    assert.equal(done.expiry['status'], 'committed');
    assert.deepEqual(ids(done.expiry['expired-snapshot-ids']), expired);
    assert.equal(done.files['deleted'], 2);
    assert.deepEqual(await snapshotIds(table), [appended[2]!.snapshotId]);
    assert.equal(await exists(appended[0]!.written.manifestList), false);
    assert.equal(await exists(appended[1]!.written.manifestList), false);
    // The head still reads: its list, every manifest it names (carried forward) and their data files.
    const list = await files.read(appended[2]!.written.manifestList);
    assert.ok(list !== undefined);
    for (const entry of readManifestList(list)) assert.equal(await exists(entry.manifest_path), true, entry.manifest_path);
    for (const a of appended) assert.equal(await exists(a.written.dataFile), true);

    const audited = (await auditRecords(catalog)).filter((r) => r['operation'] === 'maintainTable');
    assert.ok(audited.length >= 2, 'each run is audited as a mutation');
  });

  test('an empty body runs with the defaults; a table whose maintenance is off is left alone unless forced', async () => {
    const table = await createTable({ 'catalog.maintenance.enabled': 'false', 'history.expire.max-snapshot-age-ms': '1' });
    await append(table);
    await append(table);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const skipped = await catalog.request('POST', table.maintenance);
    assertStatus(skipped, 200);
    assert.equal((skipped.body as Json)['ran'], false);
    assert.equal((await snapshotIds(table)).length, 2);
    const forced = await catalog.request('POST', table.maintenance, { body: { force: true, orphans: false } });
    assertStatus(forced, 200);
    assert.equal((forced.body as Json)['ran'], true);
    assert.equal((forced.body as Json)['orphans'], undefined);
    assert.equal((await snapshotIds(table)).length, 1);
  });

  test('a TableWriter is refused 403, an outsider gets 404, and neither changes anything', async () => {
    const { table } = await tableWithHistory();
    const before = await snapshotIds(table);
    const scope = { type: 'Namespace' as const, warehouse: catalog.warehouse, namespace };
    const writer = await keyWithRole(catalog, uniqueName('writer'), 'TableWriter', scope);
    const outsider = await keyWithRole(catalog, uniqueName('outsider'));
    const owner = await keyWithRole(catalog, uniqueName('owner'), 'NamespaceOwner', scope);

    const refused = await catalog.request('POST', table.maintenance, { token: writer, body: { dryRun: true } });
    assertStatus(refused, 403);
    assert.equal((refused.body as { error: { code: number } }).error.code, 403);
    const hidden = await catalog.request('POST', table.maintenance, { token: outsider, body: { dryRun: true } });
    assertStatus(hidden, 404);
    assert.equal((hidden.body as { error: { code: number } }).error.code, 404);
    assert.deepEqual(await snapshotIds(table), before);

    assertStatus(await catalog.request('POST', table.maintenance, { token: owner, body: { dryRun: true } }), 200);
  });

  test('an unknown table or warehouse is 404; a bad body is 400 in the error model', async () => {
    const missing = await catalog.request('POST', tablePaths(uniqueName('nope')).maintenance, { body: { dryRun: true } });
    assertStatus(missing, 404);
    assert.equal((missing.body as { error: { type: string } }).error.type, 'NoSuchTableException');
    const noWarehouse = await catalog.request('POST', `/management/v1/warehouses/${uniqueName('wh')}/namespaces/${namespacePath(namespace)}/tables/x/maintenance`, { body: {} });
    assert.equal(noWarehouse.status, 404);

    const table = await createTable({});
    for (const body of [{ dryRun: 'yes' }, [1], { dryRun: true, typo: 1 }, { orphanCursor: 7 }, 'run']) {
      const answer = await catalog.request('POST', table.maintenance, { body });
      assertStatus(answer, 400);
      const error = (answer.body as { error: { code: number; type: string; message: string } }).error;
      assert.equal(error.code, 400, JSON.stringify(body));
      assert.equal(error.type, 'BadRequestException');
    }
    const malformed = await catalog.request('POST', table.maintenance, { rawBody: '{"dryRun":', headers: { 'content-type': 'application/json' } });
    assertStatus(malformed, 400);
  });
});

describe('scheduled maintenance over the same catalog', () => {
  test('a tick maintains the next table of the round-robin: its old snapshots expire and their lists are deleted', async () => {
    const ctx = await catalog.context();
    const ownNamespace = [uniqueName('msched')];
    assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace: ownNamespace } }), 200);
    const saved = namespace;
    namespace = ownNamespace;
    try {
      const { table, appended } = await tableWithHistory();
      // Start the round-robin just before this namespace (other tests' tables sort elsewhere).
      const key = maintenanceCursorKey(ctx, catalog.warehouse);
      await ctx.records.objects.delete(key);
      await ctx.records.create(key, { after: ctx.keys.namespaceRecord(catalog.warehouse, ownNamespace), orphanCursors: {} });

      const reports = await maintenanceTick(ctx, { budgetMs: 60_000, maxTables: 1 });
      const tick = reports[catalog.warehouse];
      assert.ok(tick !== undefined);
      assert.deepEqual(tick.tables.map((t) => t.table.name), [table.name]);
      assert.equal(tick.tables[0]!.expiry, 'committed');
      // Resumes after this table next time (or starts over when it was the warehouse's last).
      assert.equal(tick.cursor, tick.stopped ? ctx.keys.tablePointer(catalog.warehouse, ownNamespace, table.name) : undefined);
      assert.deepEqual(await snapshotIds(table), [appended[2]!.snapshotId]);
      assert.equal(await exists(appended[0]!.written.manifestList), false);
      assert.equal(await exists(appended[1]!.written.manifestList), false);
    } finally {
      namespace = saved;
    }
  });
});
