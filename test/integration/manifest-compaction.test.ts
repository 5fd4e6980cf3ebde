import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manifestListEntryInput, ManifestEntryStatus, readManifest, readManifestList, writeManifest, writeManifestList, type ManifestListEntry } from '../../core/avro/index.js';
import type { CatalogContext } from '../../core/catalog/context.js';
import { maintainTable } from '../../core/maintenance/maintain-table.js';
import type { FileIO } from '../../core/store/file-io.js';
import { appendBaseOf, appendRequest, RECORDS_PER_APPEND, writeAppendFiles, type AppendFiles } from '../support/append-files.js';
import { assertStatus } from '../support/assertions.js';
import { namespacePath, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { createTableBody, randomSnapshotId } from '../support/table-requests.js';

/**
 * Manifest compaction (core/maintenance/compact-manifests.ts) through maintainTable, on tables
 * built by real engine-like fast appends over HTTP (one manifest per append), on local files or on
 * S3 when S3_ENDPOINT is set.
 *
 * Invariants: after a compaction the head names every live data file of the head before exactly
 * once, with its snapshot id and sequence numbers, so a reader sees the same rows; no append is
 * ever lost, whether it lands while the compaction prepares (the compaction yields and cleans up)
 * or was prepared on the head the compaction replaced (the writer's retry); a dry run changes
 * nothing; the replaced manifests go with the old snapshots through expiry, the data files stay.
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
  namespace = [uniqueName('compact')];
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace } }), 200);
});
after(async () => catalog.close());

type Json = Record<string, unknown>;
type SnapshotJson = { 'snapshot-id': number | bigint; 'parent-snapshot-id'?: number | bigint; 'manifest-list': string; summary: Record<string, string> };

interface Table {
  readonly path: string;
  readonly id: { namespace: string[]; name: string };
}

async function createTable(properties: Record<string, string> = {}): Promise<Table> {
  const name = uniqueName('t');
  assertStatus(await catalog.request('POST', `${P}/namespaces/${namespacePath(namespace)}/tables`, { body: createTableBody(name, { properties }) }), 200);
  return { path: `${P}/namespaces/${namespacePath(namespace)}/tables/${name}`, id: { namespace, name } };
}

async function load(table: Table): Promise<Json> {
  const loaded = await catalog.request('GET', table.path);
  assertStatus(loaded, 200);
  return (loaded.body as { metadata: Json }).metadata;
}

/**
 * One fast append of one data file, as an engine does it: prepare on the loaded head, commit, and
 * on a 409 (the branch moved) load again and retry with a new list (Java's retry), a few times.
 * `beforeCommit` runs between preparing and committing (to let something else land first).
 */
async function append(table: Table, beforeCommit?: () => Promise<void>): Promise<AppendFiles> {
  let previous: AppendFiles | undefined;
  for (let attempt = 0; attempt < 10; attempt++) {
    const base = appendBaseOf(await load(table));
    const snapshotId = randomSnapshotId();
    const written = await writeAppendFiles(files, base, snapshotId, previous);
    if (previous === undefined) await files.create(written.dataFile, new TextEncoder().encode('parquet, notionally'));
    if (attempt === 0) await beforeCommit?.();
    const response = await catalog.request('POST', table.path, { body: appendRequest(base, snapshotId, written) });
    if (response.status === 200) return written;
    assertStatus(response, 409);
    previous = written;
  }
  throw new Error('append kept losing');
}

async function head(table: Table, branch = 'main'): Promise<SnapshotJson> {
  const metadata = await load(table);
  const id = BigInt((metadata['refs'] as Record<string, { 'snapshot-id': number | bigint }>)[branch]!['snapshot-id']);
  return (metadata['snapshots'] as SnapshotJson[]).find((s) => BigInt(s['snapshot-id']) === id)!;
}

interface LiveFile {
  readonly path: string;
  readonly records: bigint;
  readonly snapshotId: bigint | null;
  readonly sequenceNumber: bigint | null;
  readonly status: number;
}

/** What a reader of the snapshot sees: its manifests and every live entry, sequence numbers inherited as the spec says. */
async function read(snapshot: SnapshotJson): Promise<{ manifests: ManifestListEntry[]; live: LiveFile[] }> {
  const manifests = readManifestList((await files.read(snapshot['manifest-list']))!);
  const live: LiveFile[] = [];
  for (const manifest of manifests) {
    const bytes = await files.read(manifest.manifest_path);
    assert.ok(bytes !== undefined, `manifest ${manifest.manifest_path} exists`);
    for (const entry of readManifest(bytes).entries) {
      if (entry.status === ManifestEntryStatus.DELETED) continue;
      const inherits = entry.status === ManifestEntryStatus.ADDED;
      live.push({
        path: entry.data_file.file_path,
        records: entry.data_file.record_count,
        snapshotId: entry.snapshot_id ?? (inherits ? manifest.added_snapshot_id : null),
        sequenceNumber: entry.sequence_number ?? (inherits ? manifest.sequence_number : null),
        status: entry.status,
      });
    }
  }
  return { manifests, live };
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const PARTITION_FIELD = { name: 'data', fieldId: 1000, sourceId: 2, transform: 'identity', avroType: 'string' };

/** An append of one file into partition `data=value` (null: the null partition), with the partition summary Java writes in the list. */
async function appendPartitioned(table: Table, value: string | null, options: { summaries?: boolean } = {}): Promise<AppendFiles> {
  const base = appendBaseOf(await load(table));
  const snapshotId = randomSnapshotId();
  const location = String((await load(table))['location']);
  const run = uniqueName('p');
  const dataFile = `${location}/data/data=${value ?? 'null'}/${run}.parquet`;
  const manifest = `${location}/metadata/${run}-m0.avro`;
  const manifestBytes = writeManifest([{ status: 1, snapshot_id: snapshotId, data_file: { file_path: dataFile, partition: { data: value }, record_count: RECORDS_PER_APPEND, file_size_in_bytes: 1024 } }], {
    formatVersion: 2,
    schema: { type: 'struct', 'schema-id': 0, fields: [{ id: 1, name: 'id', required: true, type: 'long' }, { id: 2, name: 'data', required: false, type: 'string' }] },
    partitionSpecId: 1,
    partitionFields: [PARTITION_FIELD],
  });
  await files.create(manifest, manifestBytes);
  const carried = base.parentManifestList === undefined ? [] : readManifestList((await files.read(base.parentManifestList))!).map(manifestListEntryInput);
  const ours = {
    manifest_path: manifest,
    manifest_length: manifestBytes.length,
    partition_spec_id: 1,
    added_snapshot_id: snapshotId,
    sequence_number: base.sequenceNumber,
    added_files_count: 1,
    added_rows_count: RECORDS_PER_APPEND,
    partitions:
      options.summaries === false ? null : [{ contains_null: value === null, contains_nan: false, lower_bound: value === null ? null : utf8(value), upper_bound: value === null ? null : utf8(value) }],
  };
  const manifestList = `${location}/metadata/snap-${snapshotId}-1-${run}.avro`;
  await files.create(manifestList, writeManifestList([ours, ...carried], { formatVersion: 2, snapshotId, parentSnapshotId: base.parentSnapshotId, sequenceNumber: base.sequenceNumber }));
  const written = { manifestList, manifest, manifestLength: manifestBytes.length, dataFile, records: RECORDS_PER_APPEND };
  assertStatus(await catalog.request('POST', table.path, { body: appendRequest(base, snapshotId, written) }), 200);
  return written;
}

const byPath = (live: readonly LiveFile[]) => new Map(live.map((f) => [f.path, f]));
const paths = (live: readonly LiveFile[]) => live.map((f) => f.path).sort();
const rows = (live: readonly LiveFile[]) => live.reduce((sum, f) => sum + f.records, 0n);

describe('manifest compaction', () => {
  test('120 appends: the head gets one manifest naming every data file once, with its snapshot id and sequence number; a reader sees the same rows', async () => {
    const table = await createTable(); // min-manifests 100, target 8 MiB: the defaults
    const appended: AppendFiles[] = [];
    const started = Date.now();
    for (let n = 0; n < 120; n++) appended.push(await append(table));
    const appendMs = Date.now() - started;
    const old = await head(table);
    let clock = Date.now();
    const beforeRead = await read(old);
    const readBeforeMs = Date.now() - clock;

    const compactStarted = Date.now();
    const report = await maintainTable(ctx, catalog.warehouse, table.id, Date.now(), { orphans: false });
    const compactMs = Date.now() - compactStarted;

    const main = report.compaction?.branches[0];
    assert.equal(main?.status, 'committed', JSON.stringify(main, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
    assert.deepEqual([main.manifestsBefore, main.manifestsAfter, main.manifestsReplaced, main.manifestsCreated, main.entriesRewritten], [120, 1, 120, 1, 120]);
    const now = await head(table);
    assert.equal(BigInt(now['snapshot-id']), main.snapshotId);
    assert.equal(BigInt(now['parent-snapshot-id']!), BigInt(old['snapshot-id']));
    assert.equal(now.summary['operation'], 'replace');
    assert.equal(now.summary['total-records'], old.summary['total-records']);
    assert.equal(now.summary['total-data-files'], '120');

    clock = Date.now();
    const afterRead = await read(now);
    const readAfterMs = Date.now() - clock;
    assert.equal(afterRead.manifests.length, 1);
    assert.deepEqual(paths(afterRead.live), paths(beforeRead.live), 'every data file of before, exactly once');
    assert.equal(new Set(paths(afterRead.live)).size, 120);
    assert.deepEqual(paths(afterRead.live), appended.map((a) => a.dataFile).sort());
    assert.equal(rows(afterRead.live), rows(beforeRead.live), 'a reader sees the same row count');
    assert.equal(afterRead.manifests[0]!.existing_rows_count, rows(beforeRead.live));
    const was = byPath(beforeRead.live);
    for (const file of afterRead.live) {
      assert.equal(file.status, ManifestEntryStatus.EXISTING);
      assert.equal(file.snapshotId, was.get(file.path)!.snapshotId, 'the snapshot that added it');
      assert.equal(file.sequenceNumber, was.get(file.path)!.sequenceNumber, 'its data sequence number');
    }
    // The replaced manifests are untouched: the old head still reads.
    assert.deepEqual(paths((await read(old)).live), paths(beforeRead.live));
    console.log(`# compaction: 120 appends in ${appendMs} ms; maintainTable (expiry + compaction of 120 manifests) in ${compactMs} ms; reading the head's manifests: ${readBeforeMs} ms (120) -> ${readAfterMs} ms (1)`);

    const second = await maintainTable(ctx, catalog.warehouse, table.id, Date.now(), { orphans: false });
    assert.equal(second.compaction?.branches[0]?.status, 'nothing-to-do', 'one manifest is below the threshold');
  });

  test('an append that lands while the compaction prepares wins; the compaction deletes what it wrote, and the next run includes the append', async () => {
    const table = await createTable({ 'catalog.maintenance.manifest-compaction.min-manifests': '5' });
    for (let n = 0; n < 8; n++) await append(table);
    let racing: AppendFiles | undefined;
    const created: string[] = [];
    // The compaction's own file IO: the first time it writes a manifest list, an append commits first.
    const hooked = new Proxy(files, {
      get(target, property) {
        if (property === 'create') {
          return async (location: string, bytes: Uint8Array) => {
            created.push(location);
            if (location.includes('/snap-') && racing === undefined) racing = await append(table);
            return target.create(location, bytes);
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });

    const lost = await maintainTable({ ...ctx, files: hooked }, catalog.warehouse, table.id, Date.now(), { orphans: false });

    assert.equal(lost.compaction?.branches[0]?.status, 'lost-race');
    assert.ok(racing !== undefined);
    assert.equal(created.length, 2, 'one merged manifest and one list');
    for (const location of created) assert.equal(await files.read(location), undefined, `${location} was deleted`);
    const afterRace = await read(await head(table));
    assert.equal(afterRace.manifests.length, 9, 'the append landed on the uncompacted head');
    assert.ok(paths(afterRace.live).includes(racing.dataFile));

    const next = await maintainTable(ctx, catalog.warehouse, table.id, Date.now(), { orphans: false });

    assert.equal(next.compaction?.branches[0]?.status, 'committed');
    const compacted = await read(await head(table));
    assert.equal(compacted.manifests.length, 1);
    assert.deepEqual(paths(compacted.live), paths(afterRace.live), 'the racing append is there, once');
  });

  test('appends prepared on the head a compaction replaces retry and land: no append is lost, none is doubled', async () => {
    const table = await createTable({ 'catalog.maintenance.manifest-compaction.min-manifests': '3' });
    for (let n = 0; n < 4; n++) await append(table);
    // Each append prepares, then a compaction lands before it commits: its first commit is a 409.
    const appended: AppendFiles[] = [];
    let compactions = 0;
    for (let n = 0; n < 5; n++) {
      appended.push(
        await append(table, async () => {
          const report = await maintainTable(ctx, catalog.warehouse, table.id, Date.now(), { orphans: false });
          if (report.compaction?.branches[0]?.status === 'committed') compactions++;
        }),
      );
    }
    assert.ok(compactions >= 2, `compactions landed between prepare and commit: ${compactions}`);

    const final = await read(await head(table));

    assert.equal(final.live.length, 9);
    assert.equal(new Set(paths(final.live)).size, 9, 'no file twice');
    for (const written of appended) assert.ok(paths(final.live).includes(written.dataFile), `${written.dataFile} is in the head`);
  });

  test('with catalog.rebase-appends, an append prepared on the replaced head is rebased onto the compacted one: 200, nothing lost or doubled', async () => {
    const table = await createTable({ 'catalog.maintenance.manifest-compaction.min-manifests': '3', 'catalog.rebase-appends': 'true' });
    for (let n = 0; n < 5; n++) await append(table);
    const base = appendBaseOf(await load(table));
    const snapshotId = randomSnapshotId();
    const written = await writeAppendFiles(files, base, snapshotId);
    const report = await maintainTable(ctx, catalog.warehouse, table.id, Date.now(), { orphans: false });
    assert.equal(report.compaction?.branches[0]?.status, 'committed');

    const committed = await catalog.request('POST', table.path, { body: appendRequest(base, snapshotId, written) });

    assertStatus(committed, 200);
    assert.equal(committed.headers.get('x-catalog-commit-rebases'), '1');
    const final = await read(await head(table));
    assert.equal(final.manifests.length, 2, 'the compacted manifest and the append\'s');
    assert.equal(new Set(paths(final.live)).size, 6);
    assert.ok(paths(final.live).includes(written.dataFile));
  });

  test('a partitioned table: partition values are kept and the merged partition summary covers every source (readers prune with it)', async () => {
    const table = await createTable({ 'catalog.maintenance.manifest-compaction.min-manifests': '3' });
    const spec = { 'spec-id': 1, fields: [{ 'source-id': 2, 'field-id': 1000, transform: 'identity', name: 'data' }] };
    assertStatus(await catalog.request('POST', table.path, { body: { requirements: [], updates: [{ action: 'add-spec', spec }, { action: 'set-default-spec', 'spec-id': -1 }] } }), 200);
    const values = ['m', 'c', null, 'x', 'a'];
    const appended = new Map<string, string | null>();
    for (const value of values) appended.set((await appendPartitioned(table, value)).dataFile, value);

    const report = await maintainTable(ctx, catalog.warehouse, table.id, Date.now(), { orphans: false });

    assert.equal(report.compaction?.branches[0]?.status, 'committed', JSON.stringify(report.compaction?.branches[0]?.groupsRefused));
    const list = readManifestList((await files.read((await head(table))['manifest-list']))!);
    assert.equal(list.length, 1);
    assert.equal(list[0]!.partition_spec_id, 1);
    const summary = list[0]!.partitions?.[0];
    assert.deepEqual([summary?.contains_null, summary?.contains_nan], [true, false]);
    assert.deepEqual([new TextDecoder().decode(summary!.lower_bound!), new TextDecoder().decode(summary!.upper_bound!)], ['a', 'x']);
    const merged = readManifest((await files.read(list[0]!.manifest_path))!);
    assert.deepEqual(JSON.parse(merged.metadata['partition-spec']!), spec.fields);
    assert.equal(merged.entries.length, 5);
    for (const entry of merged.entries) assert.equal(entry.data_file.partition['data'], appended.get(entry.data_file.file_path), entry.data_file.file_path);
  });

  test('manifests without partition summaries are not merged (a summary cannot be made up): the head stays, the report says why', async () => {
    const table = await createTable({ 'catalog.maintenance.manifest-compaction.min-manifests': '3' });
    const spec = { 'spec-id': 1, fields: [{ 'source-id': 2, 'field-id': 1000, transform: 'identity', name: 'data' }] };
    assertStatus(await catalog.request('POST', table.path, { body: { requirements: [], updates: [{ action: 'add-spec', spec }, { action: 'set-default-spec', 'spec-id': -1 }] } }), 200);
    for (const value of ['a', 'b', 'c', 'd']) await appendPartitioned(table, value, { summaries: false });
    const before = await head(table);

    const report = await maintainTable(ctx, catalog.warehouse, table.id, Date.now(), { orphans: false });

    const main = report.compaction?.branches[0];
    assert.equal(main?.status, 'nothing-to-do');
    assert.match(main?.groupsRefused?.[0] ?? '', /has no partition summaries/);
    assert.equal((await head(table))['snapshot-id'], before['snapshot-id']);
  });

  test('every branch head is compacted on its own branch, keeping its retention; a tag keeps the head it named', async () => {
    const table = await createTable({ 'catalog.maintenance.manifest-compaction.min-manifests': '3' });
    for (let n = 0; n < 4; n++) await append(table);
    const forked = await head(table);
    const refs = (updates: Json[]) => catalog.request('POST', table.path, { body: { requirements: [], updates } });
    assertStatus(await refs([{ action: 'set-snapshot-ref', 'ref-name': 'audit', type: 'branch', 'snapshot-id': forked['snapshot-id'], 'min-snapshots-to-keep': 2 }]), 200);
    assertStatus(await refs([{ action: 'set-snapshot-ref', 'ref-name': 'v1', type: 'tag', 'snapshot-id': forked['snapshot-id'] }]), 200);
    await append(table); // main moves on: 5 manifests; audit stays at 4
    const mainBefore = await read(await head(table));

    const report = await maintainTable(ctx, catalog.warehouse, table.id, Date.now(), { orphans: false });

    assert.deepEqual(report.compaction?.branches.map((b) => [b.branch, b.status, b.manifestsBefore, b.manifestsAfter]), [
      ['main', 'committed', 5, 1],
      ['audit', 'committed', 4, 1],
    ]);
    const metadata = await load(table);
    const refsNow = metadata['refs'] as Record<string, { 'snapshot-id': number | bigint; type: string; 'min-snapshots-to-keep'?: number }>;
    assert.equal(refsNow['audit']?.['min-snapshots-to-keep'], 2, 'the branch keeps its retention');
    assert.equal(BigInt(refsNow['v1']!['snapshot-id']), BigInt(forked['snapshot-id']), 'a tag is never moved');
    assert.deepEqual(paths((await read(await head(table))).live), paths(mainBefore.live));
    assert.deepEqual(paths((await read(await head(table, 'audit'))).live), paths((await read(forked)).live));
    assert.equal(BigInt((await head(table, 'audit'))['parent-snapshot-id']!), BigInt(forked['snapshot-id']));
  });

  test('a dry run reports what would be merged and changes nothing; manifest-compaction.enabled=false leaves the table alone', async () => {
    const table = await createTable({ 'catalog.maintenance.manifest-compaction.min-manifests': '5' });
    for (let n = 0; n < 7; n++) await append(table);
    const before = await head(table);

    const dry = await maintainTable(ctx, catalog.warehouse, table.id, Date.now(), { orphans: false, dryRun: true });

    const planned = dry.compaction?.branches[0];
    assert.deepEqual([planned?.status, planned?.manifestsBefore, planned?.manifestsAfter, planned?.manifestsReplaced, planned?.entriesRewritten], ['dry-run', 7, 1, 7, 7]);
    assert.equal((await head(table))['snapshot-id'], before['snapshot-id']);

    assertStatus(await catalog.request('POST', table.path, { body: { requirements: [], updates: [{ action: 'set-properties', updates: { 'catalog.maintenance.manifest-compaction.enabled': 'false' } }] } }), 200);
    const off = await maintainTable(ctx, catalog.warehouse, table.id, Date.now(), { orphans: false });
    assert.match(off.compaction?.skipped ?? '', /enabled is false/);
    assert.equal((await head(table))['snapshot-id'], before['snapshot-id']);
  });

  test('expiry later removes the replaced manifests with the old snapshots and keeps every data file', async () => {
    const table = await createTable({ 'catalog.maintenance.manifest-compaction.min-manifests': '5' });
    const appended: AppendFiles[] = [];
    for (let n = 0; n < 7; n++) appended.push(await append(table));
    await maintainTable(ctx, catalog.warehouse, table.id, Date.now(), { orphans: false });
    assertStatus(await catalog.request('POST', table.path, { body: { requirements: [], updates: [{ action: 'set-properties', updates: { 'history.expire.max-snapshot-age-ms': '1' } }] } }), 200);

    const expired = await maintainTable(ctx, catalog.warehouse, table.id, Date.now() + 60_000, { orphans: false });

    assert.equal(expired.expiredSnapshotIds.length, 7);
    for (const written of appended) {
      assert.equal(await files.read(written.manifest), undefined, 'a replaced manifest goes with the expired snapshots');
      assert.ok((await files.read(written.dataFile)) !== undefined, 'its data file stays: the compacted manifest names it');
    }
    const remaining = await read(await head(table));
    assert.deepEqual(paths(remaining.live), appended.map((a) => a.dataFile).sort());
  });
});
