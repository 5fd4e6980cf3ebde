/**
 * The flatness section of `npm run bench` (issue 12, "tables only grow"), in its own process: one
 * table driven over HTTP to N fast appends (BENCH_FLATNESS_APPENDERS at a time), while maintenance runs
 * beside them through the management route with the table's default policy except retention.
 * Compared: that table's last window of commits, and a fresh table's window just after its 100th
 * commit, taken side by side (one append to each in turn, so both see the same machine): the medians
 * of the metadata's size and of the snapshots retained (both oscillate between maintenance runs, so
 * one reading would measure the phase, not the history), the files in the metadata folder, commit
 * and loadTable latency. A warm-up table comes first (BENCH_FLATNESS_WARMUP appends, default 3000).
 *
 * The appends are spec-strict (add-snapshot + set-snapshot-ref guarded by assert-ref-snapshot-id,
 * reload and retry on 409) and name manifest lists that are never written: what grows here is the
 * catalog's metadata, not the engine's manifest lists (an engine rewrites its manifests; the
 * catalog never reads them on this path). Iceberg's default snapshot age (5 days) would expire
 * nothing during a run, so the table keeps its latest BENCH_FLATNESS_KEEP_SNAPSHOTS snapshots
 * (history.expire.min-snapshots-to-keep, default 100: as many as the early point holds, so the
 * two points compare a table with 100 snapshots of history against one with 100,000 and the same
 * retained set) and expires the rest (history.expire.max-snapshot-age-ms, BENCH_FLATNESS_MAX_SNAPSHOT_AGE_MS,
 * default 1); everything else is the default, old metadata files included (deleted by maintenance).
 *
 * Appenders: spec-strict appends that race each other all but one get a 409 per round, so more
 * appenders make the run slower, not faster (local files, 400 appends: 44/s with 1 appender, 16/s
 * with 4, 6.5/s with 16); the default is one. Group commit (catalog.rebase-appends tables) does not
 * apply here: a rebased append needs real manifest lists, and lists that carry every manifest of a
 * 100,000-append table would make this a bench of Avro, not of the catalog.
 *
 * Environment: BENCH_STORE=s3|fs, BENCH_OUT, BENCH_FLATNESS_APPENDS (N, default 100000),
 * BENCH_FLATNESS_APPENDERS (default 1), BENCH_FLATNESS_KEEP_SNAPSHOTS (default 100),
 * BENCH_FLATNESS_MAX_SNAPSHOT_AGE_MS (default 1), BENCH_FLATNESS_WARMUP (default 3000),
 * BENCH_FLATNESS_SAMPLES_OUT (a file for every commit and load sample, to see how latency moves along the run).
 */
import { writeFile } from 'node:fs/promises';
import { writeResult } from './result-out.js';
import { appendCommit, randomSnapshotId, tableState } from '../test/support/table-requests.js';
import { createBenchTable, metadataOf, sleepUntil, startBenchCatalog, type BenchCatalog, type Json } from './engine-appender.js';
import { summarize, type Summary } from './stats.js';

export interface FlatnessPoint {
  /** The window: commits [from, to) of the measured table. */
  readonly from: number;
  readonly to: number;
  /** Medians over the window's loads: snapshots the table held, and the metadata's size (the loadTable body, which carries the metadata file's JSON). */
  readonly retainedSnapshots: number;
  readonly metadataBytes: number;
  /** Median over a few listings in the window: files in the table's metadata folder. */
  readonly folderFiles: number;
  readonly commit: Summary;
  readonly loadTable: Summary;
}

export interface FlatnessResult {
  readonly store: 'fs' | 's3';
  readonly appends: number;
  readonly appenders: number;
  readonly maxSnapshotAgeMs: number;
  readonly keepSnapshots: number;
  readonly warmUpAppends: number;
  readonly seconds: number;
  readonly client409s: number;
  readonly window: number;
  readonly early: FlatnessPoint;
  readonly late: FlatnessPoint;
  readonly maintenance: { readonly runs: number; readonly answers: Readonly<Record<string, number>>; readonly expired: number };
}

const APPENDS = Number(process.env['BENCH_FLATNESS_APPENDS'] ?? 100_000);
const APPENDERS = Number(process.env['BENCH_FLATNESS_APPENDERS'] ?? 1);
const MAX_AGE_MS = Number(process.env['BENCH_FLATNESS_MAX_SNAPSHOT_AGE_MS'] ?? 1);
const KEEP_SNAPSHOTS = Number(process.env['BENCH_FLATNESS_KEEP_SNAPSHOTS'] ?? 100);
/** Appends to another table first, so that the early window does not pay the process's warm-up (JIT, caches). */
const WARM_UP = Number(process.env['BENCH_FLATNESS_WARMUP'] ?? 3_000);
const EARLY = 100;
/** Commits per window: after EARLY, and before APPENDS. */
const WINDOW = Math.max(20, Math.min(500, Math.floor(APPENDS / 20)));
/** Folder listings per window. */
const LISTINGS = 5;
const MAINTENANCE_PAUSE_MS = 1_000;
const MAX_CLIENT_ATTEMPTS = 10_000;
const log = (line: string) => process.stderr.write(`[flatness ${process.env['BENCH_STORE'] ?? 'fs'}] ${line}\n`);

interface Sample {
  /** Commits accepted when the request was sent. */
  readonly at: number;
  readonly ms: number;
}

interface LoadSample extends Sample {
  readonly bytes: number;
  readonly snapshots: number;
}

/** One bench table: spec-strict appends, one at a time per caller, with maintenance beside them. */
class BenchTable {
  committed = 0;
  client409s = 0;
  readonly commits: Sample[] = [];
  readonly loads: LoadSample[] = [];
  /** Folder listings: commits accepted when listed, and the file count. */
  readonly listings: { at: number; files: number }[] = [];
  readonly answers: Record<string, number> = {};
  runs = 0;
  expired = 0;
  private folder: string | undefined;
  private maintaining: Promise<void> | undefined;
  private appending = true;

  private constructor(
    private readonly bench: BenchCatalog,
    readonly name: string,
    private readonly path: string,
  ) {}

  static async create(bench: BenchCatalog, name: string): Promise<BenchTable> {
    const path = await createBenchTable(bench, 'flatness', name, {
      'history.expire.max-snapshot-age-ms': String(MAX_AGE_MS),
      'history.expire.min-snapshots-to-keep': String(KEEP_SNAPSHOTS),
    });
    const table = new BenchTable(bench, name, path);
    table.maintaining = table.maintain();
    return table;
  }

  async append(): Promise<void> {
    const snapshotId = randomSnapshotId();
    for (let attempt = 0; attempt < MAX_CLIENT_ATTEMPTS; attempt++) {
      const at = this.committed;
      const loaded = await this.bench.client.expect(200, 'GET', this.path);
      const body = JSON.parse(loaded.text) as { 'metadata-location': string; metadata: Json };
      this.folder ??= body['metadata-location'].slice(0, body['metadata-location'].lastIndexOf('/') + 1);
      this.loads.push({ at, ms: loaded.ms, bytes: loaded.text.length, snapshots: ((body.metadata['snapshots'] ?? []) as unknown[]).length });
      const answer = await this.bench.client.send('POST', this.path, appendCommit(tableState(metadataOf(loaded)), snapshotId));
      if (answer.status === 200) {
        this.commits.push({ at, ms: answer.ms });
        this.committed++;
        return;
      }
      if (answer.status !== 409) throw new Error(`commit answered ${answer.status}: ${answer.text.slice(0, 300)}`);
      this.client409s++;
    }
    throw new Error('an appender starved');
  }

  async list(): Promise<void> {
    if (this.folder !== undefined) this.listings.push({ at: this.committed, files: (await this.bench.files.list(this.folder)).length });
  }

  async stop(): Promise<void> {
    this.appending = false;
    await this.maintaining;
  }

  private async maintain(): Promise<void> {
    const maintenancePath = `/management/v1/warehouses/${this.bench.catalog.warehouse}/namespaces/flatness/tables/${this.name}/maintenance`;
    while (this.appending) {
      const runStarted = performance.now();
      const answer = await this.bench.client.send('POST', maintenancePath, {});
      this.runs++;
      if (process.env['BENCH_FLATNESS_DEBUG'] !== undefined) log(`maintenance ${answer.status} in ${(performance.now() - runStarted).toFixed(0)} ms: ${answer.text.slice(0, 1500)}`);
      this.answers[answer.status] = (this.answers[answer.status] ?? 0) + 1;
      if (answer.status === 200) this.expired += ((((JSON.parse(answer.text) as Json)['expiry'] as Json | undefined)?.['expired-snapshot-ids'] ?? []) as unknown[]).length;
      await sleepUntil(runStarted + MAINTENANCE_PAUSE_MS);
    }
  }
}

/** `appenders` callers appending to `table` until it has `appends` commits, with a progress line every 30 s. */
async function appendUntil(table: BenchTable, appends: number, appenders: number): Promise<void> {
  const started = performance.now();
  let nextReport = started + 30_000;
  await Promise.all(
    Array.from({ length: appenders }, async () => {
      while (table.committed < appends) {
        await table.append();
        if (performance.now() > nextReport) {
          nextReport += 30_000;
          log(`${table.name}: ${table.committed} appends, ${(table.committed / ((performance.now() - started) / 1000)).toFixed(0)}/s`);
        }
      }
    }),
  );
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
};

function pointOf(table: BenchTable, from: number, to: number): FlatnessPoint {
  const inWindow = <T extends Sample>(samples: readonly T[]) => samples.filter((s) => s.at >= from && s.at < to);
  const loads = inWindow(table.loads);
  return {
    from,
    to,
    retainedSnapshots: median(loads.map((l) => l.snapshots)),
    metadataBytes: median(loads.map((l) => l.bytes)),
    folderFiles: median(table.listings.filter((l) => l.at > from && l.at <= to).map((l) => l.files)),
    commit: summarize(inWindow(table.commits).map((s) => s.ms)),
    loadTable: summarize(loads.map((s) => s.ms)),
  };
}

/**
 * The two windows are taken side by side, one append to each table in turn: the old table's last
 * WINDOW appends and a fresh table's appends after its 100th. Measured minutes apart, as the two
 * ends of one run, they differed by ±40 % with what else the machine did (a store's background
 * work, another process), far more than history could explain; interleaved, both see the same.
 */
async function main(): Promise<void> {
  if (APPENDS < EARLY + 2 * WINDOW) throw new Error(`BENCH_FLATNESS_APPENDS must be at least ${EARLY + 2 * WINDOW}`);
  const bench = await startBenchCatalog();
  try {
    const started = performance.now();
    if (WARM_UP > 0) {
      log(`warming up: ${WARM_UP} appends to another table`);
      const warm = await BenchTable.create(bench, `flat_warmup_${Date.now()}`);
      await appendUntil(warm, WARM_UP, 1);
      await warm.stop();
    }
    log(`${APPENDERS} appenders to ${APPENDS} appends, maintenance beside them`);
    const old = await BenchTable.create(bench, `flat_${Date.now()}`);
    await appendUntil(old, APPENDS - WINDOW, APPENDERS);
    log(`a fresh table to ${EARLY} appends, then ${WINDOW} appends to each, in turn`);
    const fresh = await BenchTable.create(bench, `flat_fresh_${Date.now()}`);
    await appendUntil(fresh, EARLY, 1);
    const listEvery = Math.max(1, Math.floor(WINDOW / LISTINGS));
    for (let i = 1; i <= WINDOW; i++) {
      await old.append();
      await fresh.append();
      if (i % listEvery === 0) await Promise.all([old.list(), fresh.list()]);
    }
    await Promise.all([old.stop(), fresh.stop()]);
    const samplesOut = process.env['BENCH_FLATNESS_SAMPLES_OUT'];
    if (samplesOut !== undefined) await writeFile(samplesOut, JSON.stringify({ commits: old.commits, loads: old.loads }));
    const result: FlatnessResult = {
      store: bench.store,
      appends: old.committed,
      appenders: APPENDERS,
      maxSnapshotAgeMs: MAX_AGE_MS,
      keepSnapshots: KEEP_SNAPSHOTS,
      warmUpAppends: WARM_UP,
      seconds: (performance.now() - started) / 1000,
      client409s: old.client409s + fresh.client409s,
      window: WINDOW,
      early: pointOf(fresh, EARLY, EARLY + WINDOW),
      late: pointOf(old, old.committed - WINDOW, old.committed),
      maintenance: { runs: old.runs + fresh.runs, answers: mergeCounts(old.answers, fresh.answers), expired: old.expired + fresh.expired },
    };
    await writeResult(result);
  } finally {
    await bench.close();
  }
}

function mergeCounts(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [key, value] of Object.entries(b)) out[key] = (out[key] ?? 0) + value;
  return out;
}

await main();
