import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { readManifest, readManifestList } from '../../core/avro/index.js';
import type { FileIO } from '../../core/store/file-io.js';
import { appendBaseOf, appendRequest, dataFilesOf, writeAppendFiles, type AppendFiles } from '../support/append-files.js';
import { assertStatus } from '../support/assertions.js';
import { namespacePath, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { createTableBody, randomSnapshotId } from '../support/table-requests.js';

/**
 * Issue 12, streaming ingestion: 4 writers each append one small batch (one data file of a known
 * record count) every second for a minute to one table with `catalog.rebase-appends=true`, through
 * the HTTP API as engines do (load, write the data file, a manifest and a manifest list, commit
 * add-snapshot + set-snapshot-ref guarded by assert-ref-snapshot-id; on 409 reload and rebuild).
 * A reader polls loadTable every 250 ms with If-None-Match (304 while nothing changed) and, for
 * every new snapshot on main, reads the data files it added (its manifest list, the manifests new
 * in it, their ADDED entries, each data file).
 *
 * Invariants, checked at the end: every writer's commits were all answered 200 eventually; the
 * reader read exactly the data files the accepted commits wrote, each once (none twice, none lost),
 * and as many rows as were written; main's final manifest list names each of them once.
 *
 * Commit latency, freshness (a writer's 200 to the reader's first sight of its data file) and the
 * client-visible 409s are printed (`# streaming:`), never asserted: they depend on the machine.
 * Runs on local files, or on S3 when S3_ENDPOINT is set.
 */
let catalog: TestCatalog;
let files: FileIO;
let P: string;

before(async () => {
  catalog = await startTestCatalog();
  files = (await catalog.context()).files;
  P = `/v1/${catalog.warehouse}`;
});
after(async () => catalog.close());

const WRITERS = 4;
const INTERVAL_MS = 1_000;
const DURATION_MS = 60_000;
const POLL_MS = 250;
/** After the writers stop, how long the reader may take to catch up before the test says files were lost. */
const CATCH_UP_MS = 15_000;
const MAX_CLIENT_ATTEMPTS = 200;

type Json = Record<string, unknown>;
type SnapshotJson = { 'snapshot-id': number | bigint; 'parent-snapshot-id'?: number | bigint; 'manifest-list': string };

const ADDED = 1;

interface Accepted {
  readonly dataFile: string;
  readonly records: bigint;
  /** performance.now() when the commit was answered 200. */
  readonly answeredAt: number;
}

function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

test('4 writers appending once a second for 60 s, a reader polling with If-None-Match: every row written is read once, no data file lost or seen twice', { timeout: DURATION_MS + 60_000 }, async () => {
  const namespace = [uniqueName('streaming')];
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace } }), 200);
  const name = uniqueName('events');
  assertStatus(await catalog.request('POST', `${P}/namespaces/${namespacePath(namespace)}/tables`, { body: createTableBody(name, { properties: { 'catalog.rebase-appends': 'true' } }) }), 200);
  const path = `${P}/namespaces/${namespacePath(namespace)}/tables/${name}`;

  const accepted = new Map<string, Accepted>();
  const commitMs: number[] = [];
  const appendMs: number[] = [];
  let client409s = 0;
  /** Accepted appends the server rebased onto a newer head, and those another writer's swap carried (group commit). */
  let rebased = 0;
  let grouped = 0;
  const started = performance.now();

  /** One engine append: load, write the files, commit; on 409 reload and write a new list on the new head. */
  async function appendOnce(): Promise<void> {
    const snapshotId = randomSnapshotId();
    const appendStarted = performance.now();
    let written: AppendFiles | undefined;
    for (let attempt = 0; ; attempt++) {
      assert.ok(attempt < MAX_CLIENT_ATTEMPTS, 'writer starved');
      const loaded = await catalog.request('GET', path);
      assertStatus(loaded, 200);
      const base = appendBaseOf((loaded.body as { metadata: Json }).metadata);
      const firstAttempt = written === undefined;
      written = await writeAppendFiles(files, base, snapshotId, written);
      if (firstAttempt) await files.create(written.dataFile, new TextEncoder().encode(`parquet, notionally: ${written.records} rows`));
      const commitStarted = performance.now();
      const committed = await catalog.request('POST', path, { body: appendRequest(base, snapshotId, written) });
      const answeredAt = performance.now();
      if (committed.status === 200) {
        commitMs.push(answeredAt - commitStarted);
        appendMs.push(answeredAt - appendStarted);
        accepted.set(written.dataFile, { dataFile: written.dataFile, records: written.records, answeredAt });
        if (Number(committed.headers.get('x-catalog-commit-rebases') ?? 0) > 0) rebased++;
        if (committed.headers.get('x-catalog-commit-grouped') === 'true') grouped++;
        return;
      }
      assert.equal(committed.status, 409, `a commit is answered 200 or 409: ${committed.text}`);
      client409s++;
    }
  }

  // Each writer ticks once a second from its own random phase, never starting a batch before the last one answered.
  const writer = async () => {
    const phase = Math.random() * INTERVAL_MS;
    let commits = 0;
    for (let tick = 0; tick * INTERVAL_MS < DURATION_MS; tick++) {
      const due = started + phase + tick * INTERVAL_MS;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      await appendOnce();
      commits++;
    }
    return commits;
  };

  // The reader: what it has seen of main, and when it first saw each data file.
  const seenAt = new Map<string, number>();
  const seenManifests = new Set<string>();
  let rowsRead = 0n;
  let duplicates = 0;
  let headSeen: bigint | null = null;
  let polls = 0;
  let notModified = 0;
  let writersDone = false;

  async function readNewSnapshots(metadata: Json): Promise<void> {
    const refs = metadata['refs'] as Record<string, { 'snapshot-id': number | bigint }> | undefined;
    const head = refs?.['main']?.['snapshot-id'];
    if (head === undefined || BigInt(head) === headSeen) return;
    const byId = new Map((metadata['snapshots'] as SnapshotJson[]).map((s) => [BigInt(s['snapshot-id']), s]));
    // main from the head back to the head read last time: the new snapshots, newest first.
    const fresh: SnapshotJson[] = [];
    for (let cursor: bigint | undefined = BigInt(head); cursor !== undefined && cursor !== headSeen; ) {
      const snapshot = byId.get(cursor);
      assert.ok(snapshot !== undefined, `snapshot ${cursor} on main is in the metadata`);
      fresh.push(snapshot);
      cursor = snapshot['parent-snapshot-id'] === undefined ? undefined : BigInt(snapshot['parent-snapshot-id']);
    }
    for (const snapshot of fresh.reverse()) {
      const list = await files.read(snapshot['manifest-list']);
      assert.ok(list !== undefined, `manifest list of snapshot ${snapshot['snapshot-id']} exists`);
      for (const entry of readManifestList(list)) {
        if (seenManifests.has(entry.manifest_path)) continue;
        seenManifests.add(entry.manifest_path);
        const manifest = await files.read(entry.manifest_path);
        assert.ok(manifest !== undefined, `manifest ${entry.manifest_path} exists`);
        for (const added of readManifest(manifest).entries.filter((e) => e.status === ADDED)) {
          const dataFile = added.data_file.file_path;
          if (seenAt.has(dataFile)) {
            duplicates++;
            continue;
          }
          assert.ok((await files.read(dataFile)) !== undefined, `data file ${dataFile} exists`);
          seenAt.set(dataFile, performance.now());
          rowsRead += BigInt(added.data_file.record_count);
        }
      }
    }
    headSeen = BigInt(head);
  }

  const reader = async () => {
    let etag: string | undefined;
    const caughtUp = () => writersDone && [...accepted.keys()].every((f) => seenAt.has(f));
    let deadline = Number.POSITIVE_INFINITY;
    while (!caughtUp() && performance.now() < deadline) {
      const pollStarted = performance.now();
      const loaded = await catalog.request('GET', path, etag === undefined ? {} : { headers: { 'if-none-match': etag } });
      polls++;
      if (loaded.status === 304) notModified++;
      else {
        assertStatus(loaded, 200);
        etag = loaded.headers.get('etag') ?? undefined;
        await readNewSnapshots((loaded.body as { metadata: Json }).metadata);
      }
      if (writersDone && deadline === Number.POSITIVE_INFINITY) deadline = performance.now() + CATCH_UP_MS;
      // ~250 ms, jittered: the writers tick on a 1 s grid, and a reader locked in phase with them would measure its phase, not freshness.
      const wait = POLL_MS * (0.8 + 0.4 * Math.random()) - (performance.now() - pollStarted);
      if (wait > 0) await sleep(wait);
    }
  };

  const reading = reader();
  const perWriter = await Promise.all(Array.from({ length: WRITERS }, writer));
  writersDone = true;
  await reading;
  const commitsPerWriter = Math.min(...perWriter);

  // Every writer's commits were answered 200 (a 409 is retried; anything else failed the writer above).
  const expectedCommits = Math.ceil(DURATION_MS / INTERVAL_MS);
  assert.deepEqual(perWriter, Array.from({ length: WRITERS }, () => expectedCommits), 'every writer made all its commits');
  assert.equal(accepted.size, WRITERS * expectedCommits, 'one accepted commit per batch');
  // The reader read every file once, none that was not written, and every row.
  assert.equal(duplicates, 0, 'no data file seen twice');
  const lost = [...accepted.keys()].filter((f) => !seenAt.has(f));
  assert.deepEqual(lost, [], 'no data file lost');
  assert.deepEqual(new Set(seenAt.keys()), new Set(accepted.keys()), 'the reader saw exactly the accepted files');
  const rowsWritten = [...accepted.values()].reduce((sum, a) => sum + a.records, 0n);
  assert.equal(rowsRead, rowsWritten, 'rows read = rows written');
  assert.ok(notModified > 0, 'a poll while nothing changed is answered 304');
  // main's final manifest list names each accepted file once.
  const final = (await catalog.request('GET', path)).body as { metadata: Json };
  const mainHead = BigInt((final.metadata['refs'] as Record<string, { 'snapshot-id': number | bigint }>)['main']!['snapshot-id']);
  assert.equal(mainHead, headSeen, 'the reader ended on main\'s head');
  const head = (final.metadata['snapshots'] as SnapshotJson[]).find((s) => BigInt(s['snapshot-id']) === mainHead);
  assert.ok(head !== undefined);
  const inHead = await dataFilesOf(files, head['manifest-list']);
  assert.equal(inHead.length, accepted.size, 'one entry per accepted append in the head');
  assert.deepEqual(new Set(inHead), new Set(accepted.keys()));

  const freshness = [...accepted.values()].map((a) => Math.max(0, seenAt.get(a.dataFile)! - a.answeredAt));
  process.stdout.write(
    [
      `# streaming: ${WRITERS} writers x ${commitsPerWriter} appends (1/s), ${accepted.size} accepted, ${rowsRead} rows read of ${rowsWritten} written, store ${catalog.storeKind}`,
      `# streaming: commit request p50 ${ms(percentile(commitMs, 0.5))}, p99 ${ms(percentile(commitMs, 0.99))}; append (load + files + commit, with client retries) p50 ${ms(percentile(appendMs, 0.5))}, p99 ${ms(percentile(appendMs, 0.99))}`,
      `# streaming: freshness (commit answered -> reader sees the file) p50 ${ms(percentile(freshness, 0.5))}, p99 ${ms(percentile(freshness, 0.99))}`,
      `# streaming: client-visible 409s ${client409s}; accepted appends rebased by the server ${rebased}, carried by another writer's swap ${grouped}; reader polls ${polls}, of which 304 ${notModified}`,
      '',
    ].join('\n'),
  );
});
