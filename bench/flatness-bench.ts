/**
 * The flatness section of `npm run bench` (issue 12, "tables only grow"), in its own process: one
 * table driven over HTTP to N fast appends (BENCH_FLATNESS_APPENDERS at a time), while maintenance runs
 * beside them through the management route with the table's default policy except the snapshot
 * age. Compared at 100 snapshots committed and at N: the current metadata file's size, commit p50
 * and loadTable p50 (each over a window of commits just after 100 and just before N).
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
 * BENCH_FLATNESS_MAX_SNAPSHOT_AGE_MS (default 1).
 */
import { writeResult } from './result-out.js';
import { appendCommit, randomSnapshotId, tableState } from '../test/support/table-requests.js';
import { createBenchTable, metadataOf, sleepUntil, startBenchCatalog, type BenchCatalog, type Json } from './engine-appender.js';
import { summarize, type Summary } from './stats.js';

export interface FlatnessPoint {
  /** Snapshots committed when the point was taken. */
  readonly committed: number;
  readonly retainedSnapshots: number;
  readonly metadataBytes: number;
  /** Files in the table's metadata folder (metadata files, and lists an engine would write). */
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
const EARLY = 100;
/** Commits per latency window: after EARLY, and before APPENDS. */
const WINDOW = Math.max(20, Math.min(500, Math.floor(APPENDS / 20)));
const MAINTENANCE_PAUSE_MS = 1_000;
const MAX_CLIENT_ATTEMPTS = 10_000;
const log = (line: string) => process.stderr.write(`[flatness ${process.env['BENCH_STORE'] ?? 'fs'}] ${line}\n`);

interface Sample {
  /** Commits accepted when the request was sent. */
  readonly at: number;
  readonly ms: number;
}

type PointSizes = Omit<FlatnessPoint, 'commit' | 'loadTable'>;

async function point(bench: BenchCatalog, path: string, committed: number): Promise<PointSizes> {
  const body = JSON.parse((await bench.client.expect(200, 'GET', path)).text) as { 'metadata-location': string; metadata: Json };
  const location = body['metadata-location'];
  const file = await bench.files.read(location);
  const folderFiles = (await bench.files.list(location.slice(0, location.lastIndexOf('/') + 1))).length;
  return { committed, retainedSnapshots: ((body.metadata['snapshots'] ?? []) as unknown[]).length, metadataBytes: file?.length ?? Number.NaN, folderFiles };
}

async function main(): Promise<void> {
  if (APPENDS < EARLY + 2 * WINDOW) throw new Error(`BENCH_FLATNESS_APPENDS must be at least ${EARLY + 2 * WINDOW}`);
  const bench = await startBenchCatalog();
  try {
    const name = `flat_${Date.now()}`;
    const path = await createBenchTable(bench, 'flatness', name, {
      'history.expire.max-snapshot-age-ms': String(MAX_AGE_MS),
      'history.expire.min-snapshots-to-keep': String(KEEP_SNAPSHOTS),
    });
    const maintenancePath = `/management/v1/warehouses/${bench.catalog.warehouse}/namespaces/flatness/tables/${name}/maintenance`;
    log(`${APPENDERS} appenders to ${APPENDS} appends, maintenance beside them`);

    let committed = 0;
    let client409s = 0;
    const commits: Sample[] = [];
    const loads: Sample[] = [];
    let early: Promise<PointSizes> | undefined;
    const started = performance.now();
    let nextReport = started + 30_000;
    const appender = async () => {
      while (committed < APPENDS) {
        const snapshotId = randomSnapshotId();
        for (let attempt = 0; ; attempt++) {
          if (attempt >= MAX_CLIENT_ATTEMPTS) throw new Error('an appender starved');
          const at = committed;
          const loaded = await bench.client.expect(200, 'GET', path);
          loads.push({ at, ms: loaded.ms });
          const answer = await bench.client.send('POST', path, appendCommit(tableState(metadataOf(loaded)), snapshotId));
          if (answer.status === 200) {
            commits.push({ at, ms: answer.ms });
            committed++;
            if (committed === EARLY) early = point(bench, path, committed);
            if (performance.now() > nextReport) {
              nextReport += 30_000;
              log(`${committed} appends, ${(committed / ((performance.now() - started) / 1000)).toFixed(0)}/s`);
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
    const seconds = (performance.now() - started) / 1000;
    const late = await point(bench, path, committed);
    const window = (samples: readonly Sample[], from: number, to: number) => summarize(samples.filter((s) => s.at >= from && s.at < to).map((s) => s.ms));
    const result: FlatnessResult = {
      store: bench.store,
      appends: committed,
      appenders: APPENDERS,
      maxSnapshotAgeMs: MAX_AGE_MS,
      keepSnapshots: KEEP_SNAPSHOTS,
      seconds,
      client409s,
      window: WINDOW,
      early: { ...(await early!), commit: window(commits, EARLY, EARLY + WINDOW), loadTable: window(loads, EARLY, EARLY + WINDOW) },
      late: { ...late, commit: window(commits, committed - WINDOW, committed), loadTable: window(loads, committed - WINDOW, committed) },
      maintenance: { runs, answers, expired },
    };
    await writeResult(result);
  } finally {
    await bench.close();
  }
}

await main();
