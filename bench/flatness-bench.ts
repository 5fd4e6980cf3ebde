/**
 * The flatness section of `npm run bench` (issue 12, "tables only grow"), in its own process: one
 * table driven over HTTP to N fast appends (BENCH_FLATNESS_APPENDERS at a time), while maintenance runs
 * beside them through the management route with the table's default policy except retention.
 * Compared over a window of commits just after the 100th and one just before the Nth: the medians of
 * the metadata's size and of the snapshots retained (both oscillate between maintenance runs, so one
 * reading would measure the phase, not the history), the files in the metadata folder, commit and
 * loadTable latency. A warm-up table comes first (BENCH_FLATNESS_WARMUP appends, default 3000), so
 * the early window does not pay the process's JIT and cache warm-up.
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
 * BENCH_FLATNESS_MAX_SNAPSHOT_AGE_MS (default 1), BENCH_FLATNESS_WARMUP (default 3000).
 */
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

interface Drive {
  readonly committed: number;
  readonly client409s: number;
  readonly commits: readonly Sample[];
  readonly loads: readonly LoadSample[];
  /** Folder listings: commits accepted when listed, and the file count. */
  readonly listings: readonly { readonly at: number; readonly files: number }[];
  readonly maintenance: FlatnessResult['maintenance'];
  readonly seconds: number;
}

/** `appends` spec-strict appends to a new table while maintenance runs beside them. */
async function drive(bench: BenchCatalog, name: string, appends: number, listAt: ReadonlySet<number>): Promise<Drive> {
  const path = await createBenchTable(bench, 'flatness', name, {
    'history.expire.max-snapshot-age-ms': String(MAX_AGE_MS),
    'history.expire.min-snapshots-to-keep': String(KEEP_SNAPSHOTS),
  });
  const maintenancePath = `/management/v1/warehouses/${bench.catalog.warehouse}/namespaces/flatness/tables/${name}/maintenance`;
  let committed = 0;
  let client409s = 0;
  const commits: Sample[] = [];
  const loads: LoadSample[] = [];
  const listings: { at: number; files: number }[] = [];
  let folder: string | undefined;
  const started = performance.now();
  let nextReport = started + 30_000;
  const appender = async () => {
    while (committed < appends) {
      const snapshotId = randomSnapshotId();
      for (let attempt = 0; ; attempt++) {
        if (attempt >= MAX_CLIENT_ATTEMPTS) throw new Error('an appender starved');
        const at = committed;
        const loaded = await bench.client.expect(200, 'GET', path);
        const body = JSON.parse(loaded.text) as { 'metadata-location': string; metadata: Json };
        folder ??= body['metadata-location'].slice(0, body['metadata-location'].lastIndexOf('/') + 1);
        loads.push({ at, ms: loaded.ms, bytes: loaded.text.length, snapshots: ((body.metadata['snapshots'] ?? []) as unknown[]).length });
        const answer = await bench.client.send('POST', path, appendCommit(tableState(metadataOf(loaded)), snapshotId));
        if (answer.status === 200) {
          commits.push({ at, ms: answer.ms });
          committed++;
          if (listAt.has(committed) && folder !== undefined) listings.push({ at: committed, files: (await bench.files.list(folder)).length });
          if (performance.now() > nextReport) {
            nextReport += 30_000;
            log(`${name}: ${committed} appends, ${(committed / ((performance.now() - started) / 1000)).toFixed(0)}/s`);
          }
          break;
        }
        if (answer.status !== 409) throw new Error(`commit answered ${answer.status}: ${answer.text.slice(0, 300)}`);
        client409s++;
      }
    }
  };

  const answers: Record<string, number> = {};
  let runs = 0;
  let expired = 0;
  let appending = true;
  const maintain = async () => {
    while (appending) {
      const runStarted = performance.now();
      const answer = await bench.client.send('POST', maintenancePath, {});
      runs++;
      if (process.env['BENCH_FLATNESS_DEBUG'] !== undefined) log(`maintenance ${answer.status} in ${(performance.now() - runStarted).toFixed(0)} ms: ${answer.text.slice(0, 1500)}`);
      answers[answer.status] = (answers[answer.status] ?? 0) + 1;
      if (answer.status === 200) expired += ((((JSON.parse(answer.text) as Json)['expiry'] as Json | undefined)?.['expired-snapshot-ids'] ?? []) as unknown[]).length;
      await sleepUntil(runStarted + MAINTENANCE_PAUSE_MS);
    }
  };
  const maintaining = maintain();
  try {
    await Promise.all(Array.from({ length: APPENDERS }, appender));
  } finally {
    appending = false;
    await maintaining;
  }
  return { committed, client409s, commits, loads, listings, maintenance: { runs, answers, expired }, seconds: (performance.now() - started) / 1000 };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
};

function pointOf(run: Drive, from: number, to: number): FlatnessPoint {
  const inWindow = <T extends Sample>(samples: readonly T[]) => samples.filter((s) => s.at >= from && s.at < to);
  const loads = inWindow(run.loads);
  return {
    from,
    to,
    retainedSnapshots: median(loads.map((l) => l.snapshots)),
    metadataBytes: median(loads.map((l) => l.bytes)),
    folderFiles: median(run.listings.filter((l) => l.at > from && l.at <= to).map((l) => l.files)),
    commit: summarize(inWindow(run.commits).map((s) => s.ms)),
    loadTable: summarize(loads.map((s) => s.ms)),
  };
}

async function main(): Promise<void> {
  if (APPENDS < EARLY + 2 * WINDOW) throw new Error(`BENCH_FLATNESS_APPENDS must be at least ${EARLY + 2 * WINDOW}`);
  const bench = await startBenchCatalog();
  try {
    if (WARM_UP > 0) {
      log(`warming up: ${WARM_UP} appends to another table`);
      await drive(bench, `flat_warmup_${Date.now()}`, WARM_UP, new Set());
    }
    log(`${APPENDERS} appenders to ${APPENDS} appends, maintenance beside them`);
    const listAt = new Set<number>();
    for (let i = 1; i <= LISTINGS; i++) {
      listAt.add(EARLY + Math.round((i * WINDOW) / LISTINGS));
      listAt.add(APPENDS - WINDOW + Math.round((i * WINDOW) / LISTINGS));
    }
    const run = await drive(bench, `flat_${Date.now()}`, APPENDS, listAt);
    const result: FlatnessResult = {
      store: bench.store,
      appends: run.committed,
      appenders: APPENDERS,
      maxSnapshotAgeMs: MAX_AGE_MS,
      keepSnapshots: KEEP_SNAPSHOTS,
      warmUpAppends: WARM_UP,
      seconds: run.seconds,
      client409s: run.client409s,
      window: WINDOW,
      early: pointOf(run, EARLY, EARLY + WINDOW),
      late: pointOf(run, run.committed - WINDOW, run.committed),
      maintenance: run.maintenance,
    };
    await writeResult(result);
  } finally {
    await bench.close();
  }
}

await main();
