import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { readManifest, readManifestList } from '../../core/avro/index.js';
import type { FileIO } from '../../core/store/file-io.js';
import { appendBaseOf, appendRequest, dataFilesOf, writeAppendFiles, type AppendFiles } from '../support/append-files.js';
import { assertStatus } from '../support/assertions.js';
import { namespacePath, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { createTableBody, randomSnapshotId } from '../support/table-requests.js';

/**
 * Issue 12, maintenance beside streaming writers: 8 writers append continuously (as engines do:
 * load, write a data file, a manifest and a manifest list, commit; on 409 reload and rebuild) to a
 * `catalog.rebase-appends=true` table whose properties ask for aggressive maintenance, while
 * maintenance runs again and again through the management route
 * (POST /management/v1/warehouses/{prefix}/namespaces/{namespace}/tables/{table}/maintenance).
 *
 * Invariants:
 * - no writer sees an error caused by maintenance: every commit is answered 200 or 409, every 409 is
 *   resolved by reloading, and no file a writer reads (the head's manifest list) is gone under it;
 * - maintenance itself never answers 5xx;
 * - afterwards every retained snapshot reads (its manifest list and manifests parse, its data files
 *   exist) and main's head names every accepted data file once (no append lost);
 * - orphan removal deletes nothing younger than its safety age: files created in the table location
 *   just before the run, referenced by nothing, are still there, and so is a file beside the table
 *   whose location merely starts with the table's.
 *
 * Runs on local files, or on S3 when S3_ENDPOINT is set.
 */
let catalog: TestCatalog;
let files: FileIO;
let P: string;

before(async () => {
  catalog = await startTestCatalog({ env: { CATALOG_LOG_LEVEL: 'error' } });
  files = (await catalog.context()).files;
  P = `/v1/${catalog.warehouse}`;
});
after(async () => catalog.close());

const WRITERS = 8;
const RUN_MS = 30_000;
/** A writer stops after this many appends even before RUN_MS (bounds the run on a fast store). */
const MAX_APPENDS_PER_WRITER = 300;
const MAX_CLIENT_ATTEMPTS = 200;

/** Maintenance as aggressive as the properties allow. */
const AGGRESSIVE = {
  'catalog.rebase-appends': 'true',
  'history.expire.max-snapshot-age-ms': '1',
  'history.expire.min-snapshots-to-keep': '2',
  'write.metadata.previous-versions-max': '2',
  'write.metadata.delete-after-commit.enabled': 'true',
  // Heads that left main more than 2 s ago may expire (default 60 s with rebase-appends, longer than this run).
  'catalog.maintenance.keep-recent-heads-ms': '2000',
  // Asks for no safety age at all; the catalog never goes below its floor (one hour).
  'catalog.maintenance.orphan-files.min-age-ms': '0',
};

type Json = Record<string, unknown>;
type SnapshotJson = { 'snapshot-id': number | bigint; 'manifest-list': string };

const exists = async (location: string) => (await files.read(location)) !== undefined;

test('8 writers appending while maintenance runs again and again: no writer error, every retained snapshot reads, young unreferenced files stay', { timeout: RUN_MS + 60_000 }, async () => {
  const namespace = [uniqueName('mbeside')];
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace } }), 200);
  const name = uniqueName('events');
  const ns = namespacePath(namespace);
  const created = await catalog.request('POST', `${P}/namespaces/${ns}/tables`, { body: createTableBody(name, { properties: AGGRESSIVE }) });
  assertStatus(created, 200);
  const path = `${P}/namespaces/${ns}/tables/${name}`;
  const maintenance = `/management/v1/warehouses/${catalog.warehouse}/namespaces/${ns}/tables/${name}/maintenance`;
  const location = String((created.body as { metadata: Json }).metadata['location']);

  // Young files nothing references, in the table location, and one beside it sharing its prefix.
  const young = [`${location}/data/unreferenced-${randomUUID()}.parquet`, `${location}/metadata/unreferenced-${randomUUID()}.avro`, `${location}-beside/data/${randomUUID()}.parquet`];
  for (const file of young) assert.equal(await files.create(file, new TextEncoder().encode('referenced by nothing')), 'created');

  const accepted = new Map<string, AppendFiles>();
  const failures: string[] = [];
  let client409s = 0;
  let writing = true;
  const deadline = performance.now() + RUN_MS;

  /** One engine append; a failure is recorded (and stops every writer) rather than thrown from inside the race. */
  async function appendOnce(): Promise<void> {
    const snapshotId = randomSnapshotId();
    let written: AppendFiles | undefined;
    for (let attempt = 0; attempt < MAX_CLIENT_ATTEMPTS; attempt++) {
      const loaded = await catalog.request('GET', path);
      if (loaded.status !== 200) throw new Error(`loadTable answered ${loaded.status}: ${loaded.text.slice(0, 300)}`);
      const base = appendBaseOf((loaded.body as { metadata: Json }).metadata);
      const firstAttempt = written === undefined;
      written = await writeAppendFiles(files, base, snapshotId, written);
      if (firstAttempt) await files.create(written.dataFile, new TextEncoder().encode('parquet, notionally'));
      const committed = await catalog.request('POST', path, { body: appendRequest(base, snapshotId, written) });
      if (committed.status === 200) {
        accepted.set(written.dataFile, written);
        return;
      }
      if (committed.status !== 409) throw new Error(`commit answered ${committed.status}: ${committed.text.slice(0, 300)}`);
      client409s++;
    }
    throw new Error(`an append was refused ${MAX_CLIENT_ATTEMPTS} times`);
  }

  const writer = async () => {
    for (let n = 0; n < MAX_APPENDS_PER_WRITER && performance.now() < deadline && failures.length === 0; n++) {
      try {
        await appendOnce();
      } catch (error) {
        failures.push(String(error instanceof Error ? error.message : error));
      }
    }
  };

  const reports: Json[] = [];
  const maintenanceAnswers = new Map<number, number>();
  const maintain = async () => {
    const answer = await catalog.request('POST', maintenance, { body: {} });
    maintenanceAnswers.set(answer.status, (maintenanceAnswers.get(answer.status) ?? 0) + 1);
    if (answer.status === 200) reports.push(answer.body as Json);
    else if (answer.status >= 500) failures.push(`maintenance answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  };
  const maintainer = async () => {
    while (writing) await maintain();
  };

  const maintaining = maintainer();
  await Promise.all(Array.from({ length: WRITERS }, writer));
  writing = false;
  await maintaining;
  await maintain();

  assert.deepEqual(failures, [], 'no writer error, no maintenance 5xx');
  const expired = reports.reduce((sum, r) => sum + ((r['expiry'] as Json)['expired-snapshot-ids'] as unknown[]).length, 0);
  const deleted = reports.reduce((sum, r) => sum + Number((r['files'] as Json | undefined)?.['deleted'] ?? 0), 0);
  assert.ok(reports.length >= 2, 'maintenance ran during the writes');
  assert.ok(expired > 0, 'maintenance expired snapshots while the writers ran (the test is not vacuous)');

  // Every retained snapshot reads: its list, its manifests and their data files (each file read once).
  const final = await catalog.request('GET', path);
  assertStatus(final, 200);
  const metadata = (final.body as { metadata: Json }).metadata;
  const snapshots = metadata['snapshots'] as SnapshotJson[];
  const checked = new Set<string>();
  for (const snapshot of snapshots) {
    const list = await files.read(snapshot['manifest-list']);
    assert.ok(list !== undefined, `manifest list of retained snapshot ${snapshot['snapshot-id']} exists`);
    for (const entry of readManifestList(list)) {
      if (checked.has(entry.manifest_path)) continue;
      checked.add(entry.manifest_path);
      const manifest = await files.read(entry.manifest_path);
      assert.ok(manifest !== undefined, `manifest ${entry.manifest_path} of retained snapshot ${snapshot['snapshot-id']} exists`);
      for (const file of readManifest(manifest).entries) {
        if (checked.has(file.data_file.file_path)) continue;
        checked.add(file.data_file.file_path);
        assert.ok(await exists(file.data_file.file_path), `data file ${file.data_file.file_path} of retained snapshot ${snapshot['snapshot-id']} exists`);
      }
    }
  }
  // No append lost: main's head names every accepted data file, once.
  const mainHead = BigInt((metadata['refs'] as Record<string, { 'snapshot-id': number | bigint }>)['main']!['snapshot-id']);
  const head = snapshots.find((s) => BigInt(s['snapshot-id']) === mainHead)!;
  const inHead = await dataFilesOf(files, head['manifest-list']);
  assert.equal(inHead.length, accepted.size, 'one entry per accepted append in the head');
  assert.deepEqual(new Set(inHead), new Set(accepted.keys()));
  // Orphan removal kept every young file, and never touched the neighbour.
  for (const file of young) assert.ok(await exists(file), `${file} is still there`);

  process.stdout.write(
    [
      `# maintenance-beside-writers: ${WRITERS} writers, ${accepted.size} appends accepted in ${RUN_MS / 1000} s (store ${catalog.storeKind}), client-visible 409s ${client409s}`,
      `# maintenance-beside-writers: ${reports.length} maintenance runs (answers ${[...maintenanceAnswers].map(([s, n]) => `${s}: ${n}`).join(', ')}), ${expired} snapshots expired, ${deleted} files deleted; ${snapshots.length} snapshots retained, all readable`,
      '',
    ].join('\n'),
  );
});
