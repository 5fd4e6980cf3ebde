/**
 * The streaming section of `npm run bench` (issue 12), in its own process: 8 writers each append
 * one small batch (one data file) once a second to a `catalog.rebase-appends=true` table, as engines
 * do (bench/engine-appender.ts); a reader polls loadTable every ~250 ms with If-None-Match and reads
 * every new snapshot's added files; maintenance runs beside them through the management route, one
 * run after another.
 *
 * Reported: commit and append latency p50/p99, freshness p50/p99 (from a writer's 200 to the
 * reader's first sight of its data file), client-visible 409s, the reader's polls and 304s, whether
 * the reader read every accepted file exactly once (and every row), what maintenance expired and
 * deleted, and whether every retained snapshot still reads afterwards (list, manifests, data files).
 *
 * Expiry needs old snapshots: the table sets history.expire.max-snapshot-age-ms and
 * catalog.maintenance.keep-recent-heads-ms to BENCH_STREAMING_MAX_SNAPSHOT_AGE_MS (default 10 s);
 * with Iceberg's defaults (5 days, and 60 s of recent heads for rebase-appends) nothing would expire
 * during a run.
 *
 * Environment: BENCH_STORE=s3|fs, BENCH_OUT, BENCH_STREAMING_SECONDS (default 60),
 * BENCH_STREAMING_WRITERS (default 8), BENCH_STREAMING_MAX_SNAPSHOT_AGE_MS (default 10000).
 */
import { writeResult } from './result-out.js';
import { addCounters, AddedFilesReader, checkOnce, createBenchTable, engineAppend, mainChain, metadataOf, sleepUntil, startBenchCatalog, unreadableRetained, type Json, type OnceCheck } from './engine-appender.js';
import { summarize, type Summary } from './stats.js';

export interface StreamingResult {
  readonly store: 'fs' | 's3';
  readonly seconds: number;
  readonly writers: number;
  readonly maxSnapshotAgeMs: number;
  readonly accepted: number;
  readonly commit: Summary;
  readonly append: Summary;
  readonly freshness: Summary;
  readonly client409s: number;
  readonly serverCounters: Readonly<Record<string, number>>;
  readonly polls: number;
  readonly notModified: number;
  readonly once: OnceCheck;
  readonly rowsWritten: string;
  readonly rowsRead: string;
  /** Lists or manifests the reader found deleted before it got to them. */
  readonly readerUnreadable: number;
  readonly maintenance: { readonly runs: number; readonly answers: Readonly<Record<string, number>>; readonly expired: number; readonly deleted: number };
  readonly retainedSnapshots: number;
  /** Files of retained snapshots that are missing or do not parse (should be none). */
  readonly retainedProblems: readonly string[];
}

const SECONDS = Number(process.env['BENCH_STREAMING_SECONDS'] ?? 60);
const WRITERS = Number(process.env['BENCH_STREAMING_WRITERS'] ?? 8);
const MAX_AGE_MS = Number(process.env['BENCH_STREAMING_MAX_SNAPSHOT_AGE_MS'] ?? 10_000);
const INTERVAL_MS = 1_000;
const POLL_MS = 250;
/** After the writers stop, how long the reader may take to catch up. */
const CATCH_UP_MS = 30_000;
/** Between two maintenance runs. */
const MAINTENANCE_PAUSE_MS = 1_000;
const log = (line: string) => process.stderr.write(`[streaming ${process.env['BENCH_STORE'] ?? 'fs'}] ${line}\n`);

async function main(): Promise<void> {
  const bench = await startBenchCatalog();
  try {
    const name = `stream_${Date.now()}`;
    const path = await createBenchTable(bench, 'streaming', name, {
      'catalog.rebase-appends': 'true',
      'history.expire.max-snapshot-age-ms': String(MAX_AGE_MS),
      'catalog.maintenance.keep-recent-heads-ms': String(MAX_AGE_MS),
    });
    const maintenancePath = `/management/v1/warehouses/${bench.catalog.warehouse}/namespaces/streaming/tables/${name}/maintenance`;
    log(`${WRITERS} writers, one append a second each, for ${SECONDS} s; a reader polling every ~${POLL_MS} ms; maintenance beside them`);

    const accepted = new Map<string, { records: bigint; answeredAt: number }>();
    const commitMs: number[] = [];
    const appendMs: number[] = [];
    const serverCounters: Record<string, number> = {};
    let client409s = 0;
    let writersDone = false;
    const started = performance.now();

    const writer = async () => {
      const phase = Math.random() * INTERVAL_MS;
      for (let tick = 0; tick * INTERVAL_MS < SECONDS * 1000; tick++) {
        await sleepUntil(started + phase + tick * INTERVAL_MS);
        const done = await engineAppend(bench.client, bench.files, path, { writeDataFile: true });
        accepted.set(done.dataFile, { records: done.records, answeredAt: done.answeredAt });
        commitMs.push(done.commitMs);
        appendMs.push(done.appendMs);
        client409s += done.client409s;
        addCounters(serverCounters, done.serverCounters);
      }
    };

    const reader = new AddedFilesReader(bench.files);
    const seenAt = new Map<string, number>();
    let polls = 0;
    let notModified = 0;
    const read = async () => {
      let etag: string | undefined;
      let headSeen: bigint | null = null;
      let deadline = Number.POSITIVE_INFINITY;
      while (performance.now() < deadline && !(writersDone && [...accepted.keys()].every((f) => seenAt.has(f)))) {
        const pollStarted = performance.now();
        const answer = await bench.client.send('GET', path, undefined, etag === undefined ? {} : { 'if-none-match': etag });
        polls++;
        if (answer.status === 304) notModified++;
        else if (answer.status === 200) {
          etag = answer.headers.get('etag') ?? undefined;
          const metadata = metadataOf(answer);
          const chain = mainChain(metadata, headSeen);
          await reader.read(chain, (file) => void (seenAt.has(file) ? undefined : seenAt.set(file, performance.now())));
          if (chain.length > 0) headSeen = BigInt(chain[0]!['snapshot-id']);
        } else throw new Error(`loadTable answered ${answer.status}: ${answer.text.slice(0, 300)}`);
        if (writersDone && deadline === Number.POSITIVE_INFINITY) deadline = performance.now() + CATCH_UP_MS;
        await sleepUntil(pollStarted + POLL_MS * (0.8 + 0.4 * Math.random()));
      }
    };

    const answers: Record<string, number> = {};
    let runs = 0;
    let expired = 0;
    let deleted = 0;
    const maintainOnce = async () => {
      const answer = await bench.client.send('POST', maintenancePath, {});
      answers[answer.status] = (answers[answer.status] ?? 0) + 1;
      runs++;
      if (answer.status !== 200) return;
      const report = JSON.parse(answer.text) as Json;
      expired += (((report['expiry'] as Json | undefined)?.['expired-snapshot-ids'] ?? []) as unknown[]).length;
      deleted += Number((report['files'] as Json | undefined)?.['deleted'] ?? 0);
    };
    const maintain = async () => {
      while (!writersDone) {
        const runStarted = performance.now();
        await maintainOnce();
        await sleepUntil(runStarted + MAINTENANCE_PAUSE_MS);
      }
    };

    const reading = read();
    const maintaining = maintain();
    await Promise.all(Array.from({ length: WRITERS }, writer));
    writersDone = true;
    await Promise.all([reading, maintaining]);
    await maintainOnce();

    log('checking every retained snapshot');
    const metadata = metadataOf(await bench.client.expect(200, 'GET', path));
    const retainedProblems = await unreadableRetained(bench.files, metadata);
    const once = checkOnce(accepted.keys(), reader.added);
    const rowsWritten = [...accepted.values()].reduce((sum, a) => sum + a.records, 0n);
    const freshness = [...accepted].filter(([file]) => seenAt.has(file)).map(([file, a]) => Math.max(0, seenAt.get(file)! - a.answeredAt));
    const result: StreamingResult = {
      store: bench.store,
      seconds: SECONDS,
      writers: WRITERS,
      maxSnapshotAgeMs: MAX_AGE_MS,
      accepted: accepted.size,
      commit: summarize(commitMs),
      append: summarize(appendMs),
      freshness: summarize(freshness),
      client409s,
      serverCounters,
      polls,
      notModified,
      once,
      rowsWritten: String(rowsWritten),
      rowsRead: String(reader.rows),
      readerUnreadable: reader.unreadable.length,
      maintenance: { runs, answers, expired, deleted },
      retainedSnapshots: ((metadata['snapshots'] ?? []) as unknown[]).length,
      retainedProblems: retainedProblems.slice(0, 20),
    };
    await writeResult(result);
  } finally {
    await bench.close();
  }
}

await main();
