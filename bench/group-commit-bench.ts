/**
 * The group-commit section of `npm run bench` (issue 12), in its own process (the handlers read
 * their configuration once, at import): 1, 4, 16 and 64 appenders on one table with
 * `catalog.rebase-appends=true`, each making K appends as an engine does (bench/engine-appender.ts),
 * against N clients swapping one object on the same store (the CAS floor at the same N).
 *
 * Reported per level: accepted appends/s and its ratio to the CAS rate, client-visible 409s, the
 * server's `x-catalog-commit-*` counters, pointer swaps (metadata files written: the table keeps
 * every one in its log), commit and append latency p50/p99, and whether every appended data file is
 * in main's history exactly once (main walked from the head, each snapshot's added files read).
 *
 * Environment: BENCH_STORE=s3|fs, BENCH_OUT=<result file>, BENCH_GROUP_COMMIT_APPENDS (K, default 5),
 * BENCH_GROUP_COMMIT_LEVELS (default 1,4,16,64), BENCH_CONTENTION_BUDGET_MS (per level, default
 * PLAN's), and for s3 the S3_* of the endpoint under test.
 */
import { writeResult } from './result-out.js';
import { addCounters, AddedFilesReader, casRate, checkOnce, createBenchTable, engineAppend, mainChain, metadataOf, startBenchCatalog, type BenchCatalog, type CasRate, type OnceCheck } from './engine-appender.js';
import { PLAN } from './plan.js';
import { summarize, type Summary } from './stats.js';

export interface GroupCommitLevel {
  readonly appenders: number;
  readonly appendsEach: number;
  readonly accepted: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly cas: CasRate;
  readonly client409s: number;
  readonly serverCounters: Readonly<Record<string, number>>;
  /** Metadata files the table's commits wrote (the metadata log's growth): one per pointer swap. */
  readonly swaps: number;
  readonly commit: Summary;
  readonly append: Summary;
  readonly once: OnceCheck;
  readonly stoppedAtDeadline: boolean;
  readonly withoutGroupCommit: WithoutGroupCommit;
}

export interface GroupCommitResult {
  readonly store: 'fs' | 's3';
  readonly levels: readonly GroupCommitLevel[];
}

const APPENDS_EACH = Number(process.env['BENCH_GROUP_COMMIT_APPENDS'] ?? 5);
const LEVELS = (process.env['BENCH_GROUP_COMMIT_LEVELS'] ?? '1,4,16,64').split(',').map(Number);
const log = (line: string) => process.stderr.write(`[group-commit ${process.env['BENCH_STORE'] ?? 'fs'}] ${line}\n`);

/** The same appenders on a table with group commit off: server-side rebases and retries only (the catalog before group commit). */
export interface WithoutGroupCommit {
  readonly accepted: number;
  readonly perSecond: number;
  readonly client409s: number;
  readonly commit: Summary;
  readonly stoppedAtDeadline: boolean;
}

async function level(bench: BenchCatalog, appenders: number): Promise<GroupCommitLevel> {
  log(`CAS floor: ${appenders} clients x ${APPENDS_EACH} swaps`);
  const cas = await casRate(bench.floor, appenders, APPENDS_EACH, PLAN.contentionBudgetMs);
  log(`${appenders} appenders x ${APPENDS_EACH} appends, group commit off`);
  const off = await appendRun(bench, appenders, false);
  log(`${appenders} appenders x ${APPENDS_EACH} appends`);
  const on = await appendRun(bench, appenders, true);
  return {
    ...on,
    cas,
    withoutGroupCommit: { accepted: off.accepted, perSecond: off.perSecond, client409s: off.client409s, commit: off.commit, stoppedAtDeadline: off.stoppedAtDeadline },
  };
}

async function appendRun(bench: BenchCatalog, appenders: number, groupCommit: boolean): Promise<Omit<GroupCommitLevel, 'cas' | 'withoutGroupCommit'>> {
  // Every metadata file stays in the log, so its length counts the swaps.
  const properties = { 'catalog.rebase-appends': 'true', 'write.metadata.previous-versions-max': '100000', 'catalog.group-commit.enabled': String(groupCommit) };
  const path = await createBenchTable(bench, 'group_commit', `appenders_${appenders}_${groupCommit ? 'on' : 'off'}_${Date.now()}`, properties);
  const logBefore = ((metadataOf(await bench.client.expect(200, 'GET', path))['metadata-log'] ?? []) as unknown[]).length;
  const commitMs: number[] = [];
  const appendMs: number[] = [];
  const dataFiles: string[] = [];
  const serverCounters: Record<string, number> = {};
  let client409s = 0;
  let stoppedAtDeadline = false;
  const started = performance.now();
  const deadline = started + PLAN.contentionBudgetMs;
  await Promise.all(
    Array.from({ length: appenders }, async () => {
      for (let n = 0; n < APPENDS_EACH; n++) {
        if (performance.now() >= deadline) {
          stoppedAtDeadline = true;
          return;
        }
        const done = await engineAppend(bench.client, bench.files, path);
        commitMs.push(done.commitMs);
        appendMs.push(done.appendMs);
        dataFiles.push(done.dataFile);
        client409s += done.client409s;
        addCounters(serverCounters, done.serverCounters);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;

  log('walking main: each snapshot\'s added files');
  const metadata = metadataOf(await bench.client.expect(200, 'GET', path));
  const reader = new AddedFilesReader(bench.files);
  await reader.read(mainChain(metadata));
  const once = checkOnce(dataFiles, reader.added);
  if (!once.ok) log(`NOT every appended file exactly once: ${JSON.stringify(once)}; unreadable ${reader.unreadable.length}`);
  const swaps = ((metadata['metadata-log'] ?? []) as unknown[]).length - logBefore;
  return {
    appenders,
    appendsEach: APPENDS_EACH,
    accepted: dataFiles.length,
    seconds,
    perSecond: dataFiles.length / seconds,
    client409s,
    serverCounters,
    swaps,
    commit: summarize(commitMs),
    append: summarize(appendMs),
    once,
    stoppedAtDeadline,
  };
}

async function main(): Promise<void> {
  const bench = await startBenchCatalog();
  try {
    const levels: GroupCommitLevel[] = [];
    for (const appenders of LEVELS) levels.push(await level(bench, appenders));
    const result: GroupCommitResult = { store: bench.store, levels };
    await writeResult(result);
  } finally {
    await bench.close();
  }
}

await main();
