import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DataFileContent, readManifest, readManifestList, writeManifest } from '../../core/avro/index.js';
import type { CatalogContext } from '../../core/catalog/context.js';
import { maintainTable } from '../../core/maintenance/maintain-table.js';
import type { FileIO } from '../../core/store/file-io.js';
import { appendBaseOf, appendRequest, writeAppendFiles, type AppendBase, type AppendFiles } from '../support/append-files.js';
import { assertStatus } from '../support/assertions.js';
import { namespacePath, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { createTableBody, randomSnapshotId } from '../support/table-requests.js';

/**
 * Snapshot expiry and the deletion of files only expired snapshots referenced, driven through the
 * core function (`maintainTable`, via the server's own catalog context) on tables built by real
 * appends over HTTP: real Avro manifest lists and manifests, and real (tiny) data files, on local
 * files or on S3 when S3_ENDPOINT is set.
 *
 * Invariants: every retained snapshot still reads afterwards (its list and manifests parse, its data
 * files exist); files only expired snapshots named are gone; nothing outside the table's location
 * is ever deleted; a writer racing the expiry never sees an error; a dry run and gc.enabled=false
 * change nothing.
 */
let catalog: TestCatalog;
let ctx: CatalogContext;
let files: FileIO;
let P: string;
let namespace: string[];

before(async () => {
  catalog = await startTestCatalog();
  ctx = await catalog.context();
  files = ctx.files;
  P = `/v1/${catalog.warehouse}`;
  namespace = [uniqueName('maint')];
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace } }), 200);
});
after(async () => catalog.close());

type Json = Record<string, unknown>;
type SnapshotJson = { 'snapshot-id': number | bigint; 'manifest-list': string };

interface Table {
  readonly name: string;
  readonly path: string;
  readonly id: { namespace: string[]; name: string };
}

async function createTable(properties: Record<string, string> = {}): Promise<Table> {
  const name = uniqueName('t');
  assertStatus(await catalog.request('POST', `${P}/namespaces/${namespacePath(namespace)}/tables`, { body: createTableBody(name, { properties }) }), 200);
  return { name, path: `${P}/namespaces/${namespacePath(namespace)}/tables/${name}`, id: { namespace, name } };
}

async function load(table: Table): Promise<{ metadataLocation: string; metadata: Json }> {
  const loaded = await catalog.request('GET', table.path);
  assertStatus(loaded, 200);
  const body = loaded.body as { 'metadata-location': string; metadata: Json };
  return { metadataLocation: body['metadata-location'], metadata: body.metadata };
}

/**
 * One append of one data file (written for real). `replace`: the new list holds only the new
 * manifest (as an overwrite that drops every earlier file would), so older manifests and data
 * files become reachable only from older snapshots. `dataFile` names the data file (default: inside the table).
 */
async function append(table: Table, options: { replace?: boolean; dataFile?: string } = {}): Promise<{ snapshotId: bigint; written: AppendFiles }> {
  const loaded = appendBaseOf((await load(table)).metadata);
  const { parentManifestList: _dropped, ...withoutParentList } = loaded;
  const base: AppendBase = options.replace === true ? withoutParentList : loaded;
  const snapshotId = randomSnapshotId();
  const written = await writeAppendFiles(files, base, snapshotId);
  const dataFile = options.dataFile ?? written.dataFile;
  if (options.dataFile !== undefined) {
    // The manifest names the given file instead of one of its own.
    await files.delete(written.manifest);
    const entry = { status: 1, snapshot_id: snapshotId, data_file: { content: DataFileContent.DATA, file_path: dataFile, file_format: 'PARQUET', record_count: written.records, file_size_in_bytes: 1024 } };
    await files.create(written.manifest, writeManifest([entry], { formatVersion: loaded.formatVersion, content: 'data' }));
  } else {
    await files.create(dataFile, new TextEncoder().encode('parquet, notionally'));
  }
  assertStatus(await catalog.request('POST', table.path, { body: appendRequest(base, snapshotId, written) }), 200);
  return { snapshotId, written: { ...written, dataFile } };
}

async function commit(table: Table, body: Json): Promise<void> {
  assertStatus(await catalog.request('POST', table.path, { body }), 200);
}

const setProperties = (table: Table, updates: Record<string, string>) => commit(table, { requirements: [], updates: [{ action: 'set-properties', updates }] });

async function exists(location: string): Promise<boolean> {
  return (await files.read(location)) !== undefined;
}

/** Every retained snapshot reads: its list and manifests parse, its data files exist. Returns every file they reach. */
async function assertEverySnapshotReads(table: Table): Promise<Set<string>> {
  const reached = new Set<string>();
  const snapshots = ((await load(table)).metadata['snapshots'] ?? []) as SnapshotJson[];
  for (const snapshot of snapshots) {
    const list = await files.read(snapshot['manifest-list']);
    assert.ok(list !== undefined, `manifest list of retained snapshot ${snapshot['snapshot-id']} exists`);
    reached.add(snapshot['manifest-list']);
    for (const entry of readManifestList(list)) {
      const manifest = await files.read(entry.manifest_path);
      assert.ok(manifest !== undefined, `manifest ${entry.manifest_path} of retained snapshot ${snapshot['snapshot-id']} exists`);
      reached.add(entry.manifest_path);
      for (const file of readManifest(manifest).entries) {
        assert.ok(await exists(file.data_file.file_path), `data file ${file.data_file.file_path} of retained snapshot ${snapshot['snapshot-id']} exists`);
        reached.add(file.data_file.file_path);
      }
    }
  }
  return reached;
}

const snapshotIds = async (table: Table) => (((await load(table)).metadata['snapshots'] ?? []) as SnapshotJson[]).map((s) => BigInt(s['snapshot-id']));
/** Far enough ahead that every snapshot is older than a 1 ms max age. */
const later = () => Date.now() + 60_000;

describe('table maintenance: snapshot expiry and expired files', () => {
  test('expiry keeps every retained snapshot readable and deletes only the files expired snapshots alone used', async () => {
    const table = await createTable();
    const appended: { snapshotId: bigint; written: AppendFiles }[] = [];
    for (let n = 0; n < 4; n++) appended.push(await append(table));
    appended.push(await append(table, { replace: true })); // drops appends 0..3 from the head's files
    for (let n = 0; n < 2; n++) appended.push(await append(table));
    const tagged = appended[1]!;
    await commit(table, { requirements: [], updates: [{ action: 'set-snapshot-ref', 'ref-name': 'audit', type: 'tag', 'snapshot-id': tagged.snapshotId }] });
    await setProperties(table, { 'history.expire.max-snapshot-age-ms': '1' });

    const report = await maintainTable(ctx, catalog.warehouse, table.id, later());

    assert.equal(report.expiry.status, 'committed');
    const head = appended[6]!.snapshotId;
    assert.deepEqual((await snapshotIds(table)).sort(), [tagged.snapshotId, head].sort(), 'main head and the tag are what remains');
    const reached = await assertEverySnapshotReads(table);
    // Appends 2 and 3: their manifests and data files were only reachable from expired snapshots.
    for (const gone of [appended[2]!, appended[3]!]) {
      assert.equal(await exists(gone.written.manifestList), false);
      assert.equal(await exists(gone.written.manifest), false);
      assert.equal(await exists(gone.written.dataFile), false);
    }
    // Expired snapshots' lists go even when every manifest in them is kept.
    for (const index of [0, 4, 5]) assert.equal(await exists(appended[index]!.written.manifestList), false);
    // Everything the tag and the head reach is there (checked above) and includes appends 0, 1, 4, 5, 6.
    for (const index of [0, 1, 4, 5, 6]) assert.ok(reached.has(appended[index]!.written.dataFile));
    assert.equal(report.files?.remaining, 0);
    assert.deepEqual(report.files?.refused, []);
  });

  test('statistics and partition statistics of expired snapshots go; those of retained ones stay', async () => {
    const table = await createTable({ 'history.expire.max-snapshot-age-ms': '1' });
    const first = await append(table);
    const head = await append(table);
    const location = String((await load(table)).metadata['location']);
    const statistics = (snapshot: bigint, kind: string) => `${location}/metadata/${kind}-${snapshot}.stats`;
    const updates: Json[] = [];
    for (const { snapshotId } of [first, head]) {
      for (const kind of ['table', 'partition']) await files.create(statistics(snapshotId, kind), new TextEncoder().encode('puffin, notionally'));
      updates.push({ action: 'set-statistics', statistics: { 'snapshot-id': snapshotId, 'statistics-path': statistics(snapshotId, 'table'), 'file-size-in-bytes': 18, 'file-footer-size-in-bytes': 8, 'blob-metadata': [] } });
      updates.push({ action: 'set-partition-statistics', 'partition-statistics': { 'snapshot-id': snapshotId, 'statistics-path': statistics(snapshotId, 'partition'), 'file-size-in-bytes': 18 } });
    }
    await commit(table, { requirements: [], updates });

    const report = await maintainTable(ctx, catalog.warehouse, table.id, later(), { orphans: false });

    assert.deepEqual(report.expiredSnapshotIds, [first.snapshotId]);
    for (const kind of ['table', 'partition']) {
      assert.equal(await exists(statistics(first.snapshotId, kind)), false, `${kind} statistics of the expired snapshot`);
      assert.equal(await exists(statistics(head.snapshotId, kind)), true, `${kind} statistics of the head`);
    }
    await assertEverySnapshotReads(table);
  });

  test('a branch keeps its own history and files; orphan removal runs after (young files kept)', async () => {
    const table = await createTable({ 'history.expire.max-snapshot-age-ms': '1' });
    const base = await append(table);
    const onBranch = await append(table, { replace: true });
    // Branch `audit` at onBranch keeping 2 snapshots (onBranch and base); main moves on with a replace.
    await commit(table, { requirements: [], updates: [{ action: 'set-snapshot-ref', 'ref-name': 'audit', type: 'branch', 'snapshot-id': onBranch.snapshotId, 'min-snapshots-to-keep': 2 }] });
    const head = await append(table, { replace: true });

    const report = await maintainTable(ctx, catalog.warehouse, table.id, later());

    assert.deepEqual((await snapshotIds(table)).sort(), [base.snapshotId, onBranch.snapshotId, head.snapshotId].sort(), 'nothing expired: the branch needs both');
    await assertEverySnapshotReads(table);
    assert.ok(report.orphans !== undefined, 'orphan removal ran');
    assert.equal(report.orphans.refused, undefined, 'and decided (it did not refuse the table)');
    assert.ok(report.orphans.listed > 0);
    assert.deepEqual(report.orphans.deleted, [], 'every file here is younger than the safety age');
  });

  test('a second run finds nothing more to do', async () => {
    const table = await createTable({ 'history.expire.max-snapshot-age-ms': '1' });
    for (let n = 0; n < 3; n++) await append(table);
    await maintainTable(ctx, catalog.warehouse, table.id, later());
    const second = await maintainTable(ctx, catalog.warehouse, table.id, later());
    assert.equal(second.expiry.status, 'nothing-to-expire');
    assert.equal(second.files?.deleted ?? 0, 0);
    await assertEverySnapshotReads(table);
  });

  test('a run stopped by its delete budget leaves the rest for the next run, which finds it from the metadata log', async () => {
    const table = await createTable({ 'history.expire.max-snapshot-age-ms': '1', 'catalog.maintenance.max-deletes-per-run': '1' });
    const first = await append(table);
    const second = await append(table, { replace: true });
    await append(table, { replace: true });
    const run1 = await maintainTable(ctx, catalog.warehouse, table.id, later());
    assert.equal(run1.files?.deleted, 2, 'one manifest with its data file: a manifest is never left half done');
    assert.ok((run1.files?.remaining ?? 0) > 0);
    for (let n = 0; n < 10 && (await exists(second.written.manifestList)); n++) await maintainTable(ctx, catalog.warehouse, table.id, later());
    for (const gone of [first.written, second.written]) {
      assert.equal(await exists(gone.dataFile), false);
      assert.equal(await exists(gone.manifest), false);
      assert.equal(await exists(gone.manifestList), false);
    }
    await assertEverySnapshotReads(table);
  });

  test('never deletes a file outside the table location, even one only an expired snapshot named', async () => {
    const other = await createTable();
    const foreign = `${String((await load(other)).metadata['location'])}/data/not-yours.parquet`;
    await files.create(foreign, new TextEncoder().encode('another table'));
    const table = await createTable({ 'history.expire.max-snapshot-age-ms': '1' });
    await append(table, { dataFile: foreign });
    await append(table, { replace: true });

    const report = await maintainTable(ctx, catalog.warehouse, table.id, later());

    assert.equal(report.expiry.status, 'committed');
    assert.equal(await exists(foreign), true);
    assert.ok(report.files?.refused.some((path) => path.endsWith('/not-yours.parquet')), JSON.stringify(report.files?.refused));
  });

  test('a retained manifest list that cannot be read blocks every deletion (fail closed), and says so', async () => {
    const table = await createTable({ 'history.expire.max-snapshot-age-ms': '1' });
    const first = await append(table);
    await append(table, { replace: true });
    const head = await append(table);
    await files.delete(head.written.manifestList); // the head's list is gone: what it reached cannot be known

    const report = await maintainTable(ctx, catalog.warehouse, table.id, later(), { orphans: false });

    assert.equal(report.expiry.status, 'committed');
    assert.match(report.files?.blocked ?? '', /retained manifest list cannot be read/);
    assert.equal(report.files?.deleted, 0);
    for (const kept of [first.written.manifest, first.written.dataFile, first.written.manifestList]) assert.equal(await exists(kept), true, kept);
  });

  test('a dry run returns the plan and the files and changes nothing', async () => {
    const table = await createTable({ 'history.expire.max-snapshot-age-ms': '1' });
    const first = await append(table);
    await append(table, { replace: true });
    const before = await load(table);

    const report = await maintainTable(ctx, catalog.warehouse, table.id, later(), { dryRun: true });

    assert.equal(report.expiry.status, 'dry-run');
    assert.deepEqual(report.expiredSnapshotIds, [first.snapshotId]);
    assert.deepEqual([...(report.files?.found.contentFiles ?? [])], [first.written.dataFile]);
    assert.equal((await load(table)).metadataLocation, before.metadataLocation);
    for (const kept of [first.written.dataFile, first.written.manifest, first.written.manifestList]) assert.equal(await exists(kept), true);
  });

  test('gc.enabled=false expires nothing and deletes nothing', async () => {
    const table = await createTable({ 'history.expire.max-snapshot-age-ms': '1', 'gc.enabled': 'false' });
    const first = await append(table);
    await append(table, { replace: true });
    const before = await load(table);

    const report = await maintainTable(ctx, catalog.warehouse, table.id, later());

    assert.equal(report.expiry.status, 'nothing-to-expire');
    assert.equal(report.expiry.plan.skipped, 'gc-disabled');
    assert.equal((await load(table)).metadataLocation, before.metadataLocation);
    assert.equal(await exists(first.written.dataFile), true);
  });

  test('catalog.maintenance.enabled=false leaves the table alone unless forced', async () => {
    const table = await createTable({ 'history.expire.max-snapshot-age-ms': '1', 'catalog.maintenance.enabled': 'false' });
    await append(table);
    await append(table);
    const skipped = await maintainTable(ctx, catalog.warehouse, table.id, later());
    assert.equal(skipped.ran, false);
    assert.equal((await snapshotIds(table)).length, 2);
    const forced = await maintainTable(ctx, catalog.warehouse, table.id, later(), { force: true });
    assert.equal(forced.expiry.status, 'committed');
    assert.equal((await snapshotIds(table)).length, 1);
  });

  test('with catalog.rebase-appends, an append prepared on a head main has just left is still rebased after an expiry', async () => {
    const table = await createTable({ 'history.expire.max-snapshot-age-ms': '1', 'catalog.rebase-appends': 'true' });
    await append(table);
    // The writer prepares on the head A; another append lands first; maintenance runs.
    const base = appendBaseOf((await load(table)).metadata);
    const snapshotId = randomSnapshotId();
    const written = await writeAppendFiles(files, base, snapshotId);
    await files.create(written.dataFile, new TextEncoder().encode('parquet, notionally'));
    await append(table);
    const report = await maintainTable(ctx, catalog.warehouse, table.id, Date.now(), { orphans: false });
    assert.equal(report.expiry.policy.recentHeadsMs, 60_000n);
    assert.ok((await snapshotIds(table)).includes(base.parentSnapshotId!), 'A left the head a moment ago: kept');

    const committed = await catalog.request('POST', table.path, { body: appendRequest(base, snapshotId, written) });

    assertStatus(committed, 200);
    assert.equal(committed.headers.get('x-catalog-commit-rebases'), '1');
    await maintainTable(ctx, catalog.warehouse, table.id, Date.now() + 120_000, { orphans: false });
    await assertEverySnapshotReads(table);
    assert.equal((await snapshotIds(table)).length, 1);
  });

  test('without the recent-heads rule (keep-recent-heads-ms=0) the same append gets a 409: why the rule exists', async () => {
    const table = await createTable({ 'history.expire.max-snapshot-age-ms': '1', 'catalog.rebase-appends': 'true', 'catalog.maintenance.keep-recent-heads-ms': '0' });
    await append(table);
    const base = appendBaseOf((await load(table)).metadata);
    const snapshotId = randomSnapshotId();
    const written = await writeAppendFiles(files, base, snapshotId);
    await append(table);
    await maintainTable(ctx, catalog.warehouse, table.id, Date.now(), { orphans: false });
    assert.ok(!(await snapshotIds(table)).includes(base.parentSnapshotId!), 'A expired (Iceberg semantics)');

    assertStatus(await catalog.request('POST', table.path, { body: appendRequest(base, snapshotId, written) }), 409);
  });

  test('a writer appending while maintenance runs again and again never sees an error, and every retained snapshot reads', async () => {
    const table = await createTable({ 'history.expire.max-snapshot-age-ms': '1', 'history.expire.min-snapshots-to-keep': '2' });
    await append(table);
    let writing = true;
    const appended: AppendFiles[] = [];
    const writer = (async () => {
      try {
        for (let n = 0; n < 12; n++) appended.push((await append(table, n % 4 === 3 ? { replace: true } : {})).written);
      } finally {
        writing = false;
      }
    })();
    let runs = 0;
    const maintainer = (async () => {
      while (writing) {
        const report = await maintainTable(ctx, catalog.warehouse, table.id, later());
        assert.notEqual(report.expiry.status, 'dry-run');
        runs++;
      }
    })();
    await Promise.all([writer, maintainer]); // the writer's append() asserts 200 on every commit
    await maintainTable(ctx, catalog.warehouse, table.id, later());
    assert.ok(runs > 0);
    await assertEverySnapshotReads(table);
    // The last replace (append 11) and what followed are in the head; append 11 is the last one.
    assert.ok(await exists(appended[11]!.dataFile));
    assert.equal((await snapshotIds(table)).length, 2, 'min-snapshots-to-keep=2');
  });
});
