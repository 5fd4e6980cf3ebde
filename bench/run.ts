/**
 * `npm run bench`: measures the catalog against the floor of its object store and writes
 * docs/benchmarks.md. One run covers
 *
 * - the S3 endpoint in S3_ENDPOINT / S3_ACCESS_KEY / S3_SECRET_KEY / S3_BUCKET (skipped without it),
 * - the local-files store,
 * - the function bundles (scripts/build-functions.ts): size and cold module init time.
 *
 * BENCH_ONLY=access | group-commit | streaming | flatness runs one section alone (each in its own
 * process, on the S3 endpoint when S3_* are set, else local files) and replaces it in docs/benchmarks.md.
 *
 * Each store runs in its own process (bench/catalog-bench.ts), because the handlers read their
 * configuration once, at import. Every loop is bounded by a count and a deadline.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFunctions, kib, LAMBDA_LIKE_ENV, measureInit, OUT_DIR } from '../scripts/build-functions.js';
import { BUNDLE, CEDAR_WASM_ASSET } from '../infra/bundle.js';
import type { AccessBenchResult } from './access-bench.js';
import type { AuthCost } from './auth-cost.js';
import type { CatalogResult, ContentionResult } from './catalog-bench.js';
import type { OnceCheck } from './engine-appender.js';
import type { FlatnessPoint, FlatnessResult } from './flatness-bench.js';
import type { GroupCommitResult } from './group-commit-bench.js';
import type { StreamingResult } from './streaming-bench.js';
import { PLAN } from './plan.js';
import type { Summary } from './stats.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DOC = join(ROOT, 'docs', 'benchmarks.md');
const INIT_SAMPLES = Number(process.env['BENCH_INIT_SAMPLES'] ?? 5);
const log = (line: string) => process.stderr.write(`${line}\n`);

function runChild(env: Record<string, string>, out: string): Promise<CatalogResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'catalog-bench.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...env, BENCH_OUT: out },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('exit', async (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`bench/catalog-bench.ts (${env['BENCH_STORE']}) exited with ${code}`));
      resolve(JSON.parse(await readFile(out, 'utf8')) as CatalogResult);
    });
  });
}

// --- access delegation (issue 11): bench/access-bench.ts in its own process -------------------
function runAccessBench(out: string): Promise<AccessBenchResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'access-bench.ts')], { cwd: ROOT, env: { ...process.env, BENCH_OUT: out }, stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('exit', async (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`bench/access-bench.ts exited with ${code}`));
      resolve(JSON.parse(await readFile(out, 'utf8')) as AccessBenchResult);
    });
  });
}

const ACCESS_HEADING = '## Access delegation (issue 11)';

function accessSection(r: AccessBenchResult): string {
  return [
    ACCESS_HEADING,
    '',
    `From bench/access-bench.ts: the loadTable operation called in-process (no HTTP, so the ratio is the strict one) on an \`s3://\` table whose files are in memory, with the CredentialVendor port counting the calls a warm container would make to STS (credentials of ${r.lifetimeSeconds} s, reused while over half their lifetime is left).`,
    '',
    '| target | measured | met |',
    '|---|---|---|',
    `| STS calls per 1,000 loadTable calls in a warm container: at most a few | ${r.stsPer1000Sequential} for 1,000 sequential calls of one table; ${r.stsPer1000Concurrent} for 1,000 concurrent calls of one cold table (misses share one call); ${r.stsPer1000TenTables} for 1,000 calls over 10 tables (one per table) | ${r.stsPer1000Sequential <= 3 && r.stsPer1000Concurrent <= 3 ? 'yes' : 'no'} |`,
    `| loadTable with vended credentials (from cache) ≤ 1.1× plain loadTable | p50 ${ms(r.vendedFromCache.p50)} vs ${ms(r.plain.p50)}: ${x(r.ratio)} (mean ${ms(r.vendedFromCache.mean)} vs ${ms(r.plain.mean)}; ${r.samples} interleaved samples each) | ${r.ratio <= 1.1 ? 'yes' : 'no'} |`,
    '',
    'Over HTTP both loops also pay the request round trip, so the ratio there is closer to 1. `BENCH_ONLY=access npm run bench` runs this section alone (a few seconds) and replaces it in this file, leaving the rest as it was.',
  ].join('\n');
}

/** BENCH_ONLY=access: this section alone, written over its previous text in docs/benchmarks.md. */
async function accessOnly(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'bench-access-'));
  try {
    const section = accessSection(await runAccessBench(join(work, 'access.json')));
    const doc = await readFile(DOC, 'utf8').catch(() => '# Benchmarks\n');
    const start = doc.indexOf(ACCESS_HEADING);
    const next = start < 0 ? -1 : doc.indexOf('\n## ', start + ACCESS_HEADING.length);
    const updated = start < 0 ? `${doc.trimEnd()}\n\n${section}\n` : `${doc.slice(0, start)}${section}\n${next < 0 ? '' : doc.slice(next)}`;
    await writeFile(DOC, updated);
    log(section);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
// --- end access delegation ---------------------------------------------------------------------

// --- issue 12: group commit, streaming, flatness; each its own process, each BENCH_ONLY=<section> ---
/** The store the issue-12 sections run on: the S3 endpoint when S3_* are all set, else local files. */
function issue12StoreEnv(): Record<string, string> {
  const endpoint = process.env['S3_ENDPOINT'] ?? '';
  const accessKey = process.env['S3_ACCESS_KEY'] ?? '';
  const secretKey = process.env['S3_SECRET_KEY'] ?? '';
  if (endpoint === '' || accessKey === '' || secretKey === '') return { BENCH_STORE: 'fs' };
  return { BENCH_STORE: 's3', S3_ENDPOINT: endpoint, S3_ACCESS_KEY: accessKey, S3_SECRET_KEY: secretKey, S3_BUCKET: process.env['S3_BUCKET'] ?? 'catalog-bench' };
}

function runSectionChild<T>(script: string, out: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', script)], { cwd: ROOT, env: { ...process.env, ...issue12StoreEnv(), BENCH_OUT: out }, stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', async (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`bench/${script} exited with ${code}`));
      resolve(JSON.parse(await readFile(out, 'utf8')) as T);
    });
  });
}

const GROUP_COMMIT_HEADING = '## Group commit (issue 12)';
const STREAMING_HEADING = '## Streaming ingestion (issue 12)';
const FLATNESS_HEADING = '## Flatness through HTTP (issue 12)';
const ISSUE_12_HEADINGS = [GROUP_COMMIT_HEADING, STREAMING_HEADING, FLATNESS_HEADING];
const REPRODUCE_HEADING = '## How to reproduce';
const storeName = (store: 'fs' | 's3') => (store === 's3' ? `the S3 endpoint \`${process.env['S3_ENDPOINT'] ?? ''}\`` : 'the local-files store');
const counters = (c: Readonly<Record<string, number>>) => (Object.keys(c).length === 0 ? 'none' : Object.entries(c).map(([k, v]) => `${k} ${v}`).join(', '));
const pp = (s: Summary) => `${ms(s.p50)} / ${ms(s.p99)}`;
const onceText = (o: OnceCheck) => (o.ok ? `yes (${o.expected})` : `**no**: ${o.missing} missing, ${o.duplicated} twice, ${o.unexpected} unexpected of ${o.expected}`);
const measuredOn = () => `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}.`;

function groupCommitSection(r: GroupCommitResult): string {
  const lines = [
    GROUP_COMMIT_HEADING,
    '',
    `From bench/group-commit-bench.ts on ${storeName(r.store)}. ${measuredOn()} N appenders on one table with \`catalog.rebase-appends=true\`, each making ${r.levels[0]?.appendsEach ?? 'K'} appends as an engine does (load; a data manifest with one ADDED file and a manifest list on the loaded head, written through the catalog's FileIO; commit add-snapshot + set-snapshot-ref guarded by assert-ref-snapshot-id; on 409 reload and write a new list). The floor is N clients doing read + PUT If-Match on one object, as many accepted swaps each, on the same store, just before. "Group commit off" is the same run on a table with \`catalog.group-commit.enabled=false\` (the server still rebases and retries, one swap per append), just before; "gain" is accepted/s with group commit over without. Pointer swaps are the metadata files the commits wrote (the table keeps them all in its log): fewer swaps than appends means appends were committed together. Server counters sum the \`x-catalog-commit-*\` headers of the accepted answers (retries and rebases are counts; grouped counts the appends that went in with another writer's swap). "Every file once": main walked from the head, each snapshot's added files read (the manifests new in its list, their ADDED entries), every appended data file found exactly once and nothing else.`,
    '',
    '| appenders | accepted appends | accepted/s | CAS/s (floor, same N) | ratio | group commit off: accepted/s, 409s, commit p50 / p99 | gain | client-visible 409s | pointer swaps (appends per swap) | server counters | commit request p50 / p99 | append p50 / p99 (load + files + commit, with retries) | every file once |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const l of r.levels) {
    lines.push(
      `| ${l.appenders} | ${l.accepted}${l.stoppedAtDeadline ? ` (deadline ${PLAN.contentionBudgetMs / 1000} s)` : ''} | ${rate(l.perSecond)} | ${rate(l.cas.perSecond)} | ${((l.perSecond / l.cas.perSecond) * 100).toFixed(0)} % | ${rate(l.withoutGroupCommit.perSecond)}${l.withoutGroupCommit.stoppedAtDeadline ? ' (deadline)' : ''}, ${l.withoutGroupCommit.client409s}, ${pp(l.withoutGroupCommit.commit)} | ${(l.perSecond / l.withoutGroupCommit.perSecond).toFixed(2)}× | ${l.client409s} | ${l.swaps} (${l.swaps === 0 ? 'n/a' : (l.accepted / l.swaps).toFixed(2)}) | ${counters(l.serverCounters)} | ${pp(l.commit)} | ${pp(l.append)} | ${onceText(l.once)} |`,
    );
  }
  lines.push('', '`BENCH_ONLY=group-commit npm run bench` runs this section alone and replaces it in this file (knobs: BENCH_GROUP_COMMIT_APPENDS, BENCH_GROUP_COMMIT_LEVELS, BENCH_CONTENTION_BUDGET_MS).');
  return lines.join('\n');
}

function streamingSection(r: StreamingResult): string {
  const m = r.maintenance;
  return [
    STREAMING_HEADING,
    '',
    `From bench/streaming-bench.ts on ${storeName(r.store)}. ${measuredOn()} ${r.writers} writers each append one small batch (one data file, written) once a second for ${r.seconds} s to a \`catalog.rebase-appends=true\` table, as engines do; a reader polls loadTable every ~250 ms with If-None-Match and reads every new snapshot's added files; maintenance runs beside them through the management route, one run a second at most. The table sets history.expire.max-snapshot-age-ms and catalog.maintenance.keep-recent-heads-ms to ${r.maxSnapshotAgeMs} ms so that expiry has work during the run. Freshness is the time from a writer's 200 to the reader's first sight of its data file.`,
    '',
    '| measured | value |',
    '|---|---|',
    `| appends accepted | ${r.accepted} |`,
    `| commit request p50 / p99 | ${pp(r.commit)} |`,
    `| append p50 / p99 (load + files + commit, with retries) | ${pp(r.append)} |`,
    `| freshness p50 / p99 | ${pp(r.freshness)} |`,
    `| client-visible 409s | ${r.client409s} |`,
    `| server counters | ${counters(r.serverCounters)} |`,
    `| reader polls (304 Not Modified) | ${r.polls} (${r.notModified}) |`,
    `| reader read every accepted file exactly once | ${onceText(r.once)}; rows read ${r.rowsRead} of ${r.rowsWritten} written${r.readerUnreadable > 0 ? `; ${r.readerUnreadable} lists or manifests gone before the reader got there` : ''} |`,
    `| maintenance runs (answers) | ${m.runs} (${Object.entries(m.answers).map(([s, n]) => `${s}: ${n}`).join(', ')}); ${m.expired} snapshots expired, ${m.deleted} files deleted |`,
    `| retained snapshots that lost a file | ${r.retainedProblems.length === 0 ? `none (${r.retainedSnapshots} retained, each list, manifest and data file read)` : `**${r.retainedProblems.length}**: ${r.retainedProblems.slice(0, 3).join('; ')}`} |`,
    '',
    '`BENCH_ONLY=streaming npm run bench` runs this section alone and replaces it in this file (knobs: BENCH_STREAMING_SECONDS, BENCH_STREAMING_WRITERS, BENCH_STREAMING_MAX_SNAPSHOT_AGE_MS).',
  ].join('\n');
}

function flatnessSection(r: FlatnessResult): string {
  const row = (label: string, p: FlatnessPoint) =>
    `| ${label}: commits ${p.from + 1}–${p.to} | ${p.retainedSnapshots} | ${kib(p.metadataBytes)} | ${p.folderFiles} | ${ms(p.commit.p50)} / ${ms(p.commit.p99)} | ${ms(p.loadTable.p50)} / ${ms(p.loadTable.p99)} |`;
  const ratio = (a: number, b: number) => x(b / a);
  return [
    FLATNESS_HEADING,
    '',
    `From bench/flatness-bench.ts on ${storeName(r.store)}. ${measuredOn()} One table driven over HTTP to ${r.appends} spec-strict fast appends (${r.appenders} appender${r.appenders === 1 ? '' : 's'}, ${r.client409s} client 409s, ${r.seconds.toFixed(0)} s, after ${r.warmUpAppends} appends to a warm-up table in the same process) while maintenance runs beside them through the management route, one run a second at most (${r.maintenance.runs} runs, answers ${Object.entries(r.maintenance.answers).map(([status, count]) => `${status}: ${count}`).join(', ')}; ${r.maintenance.expired} snapshots expired). The table keeps its latest ${r.keepSnapshots} snapshots (history.expire.min-snapshots-to-keep=${r.keepSnapshots}, history.expire.max-snapshot-age-ms=${r.maxSnapshotAgeMs}: the early window holds as many, so the two windows differ in history only); every other maintenance setting is the default (old metadata files deleted by maintenance, orphan removal every run). The two rows are windows of ${r.window} commits taken side by side, one append to each table in turn (a fresh table after its 100th commit, and the long table's last ${r.window}), so both see the same machine: medians of the snapshots retained and of the metadata's size (the loadTable body, i.e. the metadata file's JSON) over its loads (both oscillate between maintenance runs), the median of ${'5'} listings of the metadata folder (the appends name manifest lists without writing them, so these are metadata files), commit and loadTable latency.`,
    '',
    '| window | snapshots retained (median) | metadata (median) | files in metadata folder | commit p50 / p99 | loadTable p50 / p99 |',
    '|---|---|---|---|---|---|',
    row('fresh table', r.early),
    row(`the ${r.appends}-append table`, r.late),
    `| ratio | ${ratio(r.early.retainedSnapshots, r.late.retainedSnapshots)} | ${ratio(r.early.metadataBytes, r.late.metadataBytes)} | ${ratio(r.early.folderFiles, r.late.folderFiles)} | ${ratio(r.early.commit.p50, r.late.commit.p50)} (p50) | ${ratio(r.early.loadTable.p50, r.late.loadTable.p50)} (p50) |`,
    '',
    '`BENCH_ONLY=flatness npm run bench` runs this section alone and replaces it in this file (knobs: BENCH_FLATNESS_APPENDS, BENCH_FLATNESS_APPENDERS, BENCH_FLATNESS_KEEP_SNAPSHOTS, BENCH_FLATNESS_MAX_SNAPSHOT_AGE_MS, BENCH_FLATNESS_WARMUP).',
  ].join('\n');
}

/** `doc` with `section` in place of the one under `heading`; a new one goes before "How to reproduce", or at the end. */
function replaceSection(doc: string, heading: string, section: string): string {
  const start = doc.indexOf(`\n${heading}\n`) + 1;
  if (start > 0) {
    const next = doc.indexOf('\n## ', start + heading.length);
    return `${doc.slice(0, start)}${section}\n${next < 0 ? '' : doc.slice(next)}`;
  }
  const reproduce = doc.indexOf(`\n${REPRODUCE_HEADING}\n`);
  return reproduce < 0 ? `${doc.trimEnd()}\n\n${section}\n` : `${doc.slice(0, reproduce)}\n${section}\n${doc.slice(reproduce)}`;
}

/** The section under `heading` in `doc`, without the text of the next one. */
function sectionOf(doc: string, heading: string): string | undefined {
  const start = doc.indexOf(`\n${heading}\n`) + 1;
  if (start <= 0) return undefined;
  const next = doc.indexOf('\n## ', start + heading.length);
  return doc.slice(start, next < 0 ? undefined : next).trimEnd();
}

/** The full run does not measure the issue-12 sections (they take minutes each): it keeps the ones docs/benchmarks.md has. */
async function keepIssue12Sections(doc: string): Promise<string> {
  const previous = await readFile(DOC, 'utf8').catch(() => '');
  let kept = doc;
  for (const heading of ISSUE_12_HEADINGS) {
    const section = sectionOf(previous, heading);
    if (section !== undefined) kept = replaceSection(kept, heading, section);
  }
  return kept;
}

/** BENCH_ONLY=group-commit | streaming | flatness: that section alone, written over its previous text. */
async function issue12Only(which: 'group-commit' | 'streaming' | 'flatness'): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), `bench-${which}-`));
  try {
    const out = join(work, `${which}.json`);
    const [heading, section] =
      which === 'group-commit'
        ? [GROUP_COMMIT_HEADING, groupCommitSection(await runSectionChild<GroupCommitResult>('group-commit-bench.ts', out, 30 * 60_000))]
        : which === 'streaming'
          ? [STREAMING_HEADING, streamingSection(await runSectionChild<StreamingResult>('streaming-bench.ts', out, (Number(process.env['BENCH_STREAMING_SECONDS'] ?? 60) + 600) * 1000))]
          : [FLATNESS_HEADING, flatnessSection(await runSectionChild<FlatnessResult>('flatness-bench.ts', out, 24 * 3_600_000))];
    const doc = await readFile(DOC, 'utf8').catch(() => '# Benchmarks\n');
    await writeFile(DOC, replaceSection(doc, heading, section));
    log(section);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
// --- end issue 12 ------------------------------------------------------------------------------

/** Cedar's WebAssembly module compiled in a fresh process, as on a function's first authorized request. */
function cedarCompileMs(samples: number): number {
  const probe = `
    import { readFileSync } from 'node:fs';
    const cedar = await import('@cedar-policy/cedar-wasm/web');
    const started = performance.now();
    cedar.initSync({ module: readFileSync(process.argv[1]) });
    process.stdout.write(String(performance.now() - started));`;
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe, join(ROOT, CEDAR_WASM_ASSET.from)], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    if (run.status !== 0) throw new Error(`Cedar compile probe failed: ${run.stderr}`);
    times.push(Number(run.stdout));
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const us = (v: number) => `${(v * 1000).toFixed(1)} µs`;

function authCostTable(cost: AuthCost | undefined): string {
  if (cost === undefined) return 'Not measured.';
  const row = (what: string, s: Summary) => `| ${what} | ${us(s.p50)} | ${us(s.p99)} | ${s.n} |`;
  return [
    'Timed in-process on a warm container (records cached, Cedar loaded), the work the authenticate and authorize middlewares do per request (bench/auth-cost.ts):',
    '',
    '| per request | p50 | p99 | samples |',
    '|---|---|---|---|',
    row('authentication + authorization, API key, loadTable on a table asked about before (cached decision)', cost.perRequest),
    row('authentication + authorization, API key, a table never asked about (Cedar evaluates)', cost.perRequestNewResource),
    row('API key verification alone (cached record, keyed BLAKE3 via hash-wasm, constant-time compare)', cost.apiKeyVerify),
  ].join('\n');
}

const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? 'n/a' : v < 10 ? `${v.toFixed(2)} ms` : `${v.toFixed(1)} ms`);
const x = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : 'n/a');
const rate = (v: number) => `${v.toFixed(v < 100 ? 1 : 0)}/s`;

/** KMS calls per phase of each run (bench/catalog-bench.ts: CATALOG_ENCRYPTION=kms against a counting KMS endpoint). */
function kmsSection(runs: readonly (readonly [string, CatalogResult | undefined])[]): string {
  const lines = [
    'Every run stores its records encrypted as deployed: `CATALOG_ENCRYPTION=kms`, through the real wiring (configuration, `createRecordCodec`, `KmsKeyProvider`, the AWS SDK\'s KMS client over HTTP) against a KMS endpoint on this machine that counts `GenerateDataKey` and `Decrypt` calls (test/support/fake-kms-server.ts). One process is one warm container: data keys are cached per encryption context (catalog × warehouse) for 5 minutes or 10,000 records, unwrapped keys for 15 minutes.',
    '',
    '| run | phase | requests | GenerateDataKey | Decrypt | KMS calls per 1,000 requests |',
    '|---|---|---|---|---|---|',
  ];
  let requests = 0;
  let calls = 0;
  let warmRequests = 0;
  let warmCalls = 0;
  for (const [run, result] of runs) {
    for (const p of result?.kms ?? []) {
      const total = p.generateDataKey + p.decrypt;
      requests += p.requests;
      calls += total;
      if (!/cold/.test(p.phase)) {
        warmRequests += p.requests;
        warmCalls += total;
      }
      lines.push(`| ${run} | ${p.phase} | ${p.requests} | ${p.generateDataKey} | ${p.decrypt} | ${p.requests === 0 ? 'n/a' : ((total / p.requests) * 1000).toFixed(2)} |`);
    }
  }
  if (requests === 0) return 'Not measured.';
  lines.push(
    '',
    `In all: **${calls} KMS calls for ${requests} requests**; after each container's first requests (the phases marked cold), **${warmRequests === 0 ? 'n/a' : ((warmCalls / warmRequests) * 1000).toFixed(2)} per 1,000 warm requests** (target: at most a handful). test/integration/record-encryption-kms.test.ts checks the same bound on every \`npm test\`.`,
  );
  return lines.join('\n');
}

interface Row {
  readonly name: string;
  readonly catalog: Summary | undefined;
  /** The S3 round trips the operation cannot avoid, and their floor. */
  readonly floorLabel: string;
  readonly floorP50: number;
  readonly floorP99: number;
  readonly target?: string;
}

function catalogRows(r: CatalogResult, withTargets = true): Row[] {
  const f = r.floor!;
  const rows: Row[] = [
    { name: 'loadTable (warm)', catalog: r.loadTable, floorLabel: '1 GET (pointer; metadata cached)', floorP50: f.get.p50, floorP99: f.get.p99, target: '≤ 1.3×' },
    { name: 'loadTable, 304 (If-None-Match)', catalog: r.loadTable304, floorLabel: '1 GET (pointer)', floorP50: f.get.p50, floorP99: f.get.p99 },
    {
      name: 'commitTable (append)',
      catalog: r.commitTable,
      floorLabel: 'GET + PUT If-None-Match + PUT If-Match',
      floorP50: f.get.p50 + f.putIfAbsent.p50 + f.putIfMatch.p50,
      floorP99: f.get.p99 + f.putIfAbsent.p99 + f.putIfMatch.p99,
      target: '≤ 1.3×',
    },
    {
      name: 'createTable',
      catalog: r.createTable,
      floorLabel: 'GET namespace + 2 PUT If-None-Match (metadata, pointer)',
      floorP50: f.get.p50 + 2 * f.putIfAbsent.p50,
      floorP99: f.get.p99 + 2 * f.putIfAbsent.p99,
    },
    { name: 'listTables (1,000 tables, one answer)', catalog: r.listTables1000, floorLabel: 'GET namespace + LIST of 1,000 keys', floorP50: f.get.p50 + f.list1000.p50, floorP99: f.get.p99 + f.list1000.p99 },
    { name: 'createNamespace', catalog: r.createNamespace, floorLabel: '1 PUT If-None-Match', floorP50: f.putIfAbsent.p50, floorP99: f.putIfAbsent.p99 },
  ];
  // The targets are about S3: the local-files floor has no network round trip to amortize HTTP against.
  return withTargets ? rows : rows.map(({ target: _target, ...row }) => row);
}

const accepted = (c: ContentionResult) => `${c.commits}${c.stoppedAtDeadline ? ` (deadline ${PLAN.contentionBudgetMs / 1000} s)` : ''}`;
const casRatio = (c: ContentionResult, cas: { perSecond: number } | undefined) => (cas === undefined ? 'n/a' : `${((c.perSecond / cas.perSecond) * 100).toFixed(0)} %`);

function storeSection(title: string, r: CatalogResult, withTargets: boolean): string {
  const f = r.floor!;
  const lines: string[] = [`### ${title}`, '', '**Floor** (the store alone):', '', '| operation | p50 | p99 | samples |', '|---|---|---|---|'];
  lines.push(`| GET (1 KiB) | ${ms(f.get.p50)} | ${ms(f.get.p99)} | ${f.get.n} |`);
  lines.push(`| PUT If-None-Match: * (1 KiB, new key) | ${ms(f.putIfAbsent.p50)} | ${ms(f.putIfAbsent.p99)} | ${f.putIfAbsent.n} |`);
  lines.push(`| PUT If-Match (1 KiB, uncontended swap) | ${ms(f.putIfMatch.p50)} | ${ms(f.putIfMatch.p99)} | ${f.putIfMatch.n} |`);
  lines.push(`| LIST (prefix of 1,000 keys, one page) | ${ms(f.list1000.p50)} | ${ms(f.list1000.p99)} | ${f.list1000.n} |`);
  lines.push('', '**Catalog over HTTP** (local server in-process, production handlers, one client unless noted):', '');
  lines.push('| operation | p50 | p99 | samples | round trips it cannot avoid | their floor p50 / p99 | ratio p50 | ratio p99 | target |', '|---|---|---|---|---|---|---|---|---|');
  for (const row of catalogRows(r, withTargets)) {
    const c = row.catalog;
    if (c === undefined) continue;
    lines.push(`| ${row.name} | ${ms(c.p50)} | ${ms(c.p99)} | ${c.n} | ${row.floorLabel} | ${ms(row.floorP50)} / ${ms(row.floorP99)} | ${x(c.p50 / row.floorP50)} | ${x(c.p99 / row.floorP99)} | ${row.target ?? ''} |`);
  }
  lines.push(
    '',
    `The commit's metadata file grows with the table (${PLAN.commitSamples} appends to one table: the last file holds every snapshot), while the floor's PUTs are 1 KiB; createTable runs the whole pointer protocol: 3 GETs and 3 PUTs where 3 round trips are unavoidable (the namespace read, the metadata file, the claim, the namespace re-check that guards against a concurrent drop, the rival view pointer and the activation).`,
  );
  if (r.loadThroughput !== undefined) {
    const t = r.loadThroughput;
    lines.push('', `**loadTable throughput**, ${t.clients} concurrent clients, ${t.requests} requests: **${rate(t.perSecond)}** (latency p50 ${ms(t.p50)}, p99 ${ms(t.p99)}).`);
  }
  if (r.createTablesPerSecond !== undefined) lines.push(`Filling the 1,000-table namespace with 16 concurrent createTable calls ran at ${rate(r.createTablesPerSecond)}.`);
  lines.push('', '**Contention**: N appenders on one table, each committing ' + `${PLAN.commitsPerAppender} appends as engines do (load, add-snapshot + set-snapshot-ref guarded by assert-ref-snapshot-id; on 409 reload and retry). The floor is N clients doing read + PUT If-Match on one object, ${PLAN.commitsPerAppender} accepted swaps each, on the same store.`, '');
  lines.push('| appenders | accepted commits | accepted/s | client-visible 409s | server-side retries | single-object CAS/s (floor, same N) | ratio |', '|---|---|---|---|---|---|---|');
  for (const c of r.contention ?? ([] as ContentionResult[])) {
    const cas = f.cas[c.appenders];
    lines.push(`| ${c.appenders} | ${accepted(c)} | ${rate(c.perSecond)} | ${c.client409s} | ${c.serverRetries} | ${cas === undefined ? 'n/a' : rate(cas.perSecond)} | ${casRatio(c, cas)} |`);
  }
  if (r.contentionRebase !== undefined && r.contentionRebase.length > 0) {
    lines.push(
      '',
      '**Contention with `catalog.rebase-appends=true`** (server-side rebase of appends, docs/storage-protocol.md): the same appenders on a table that opts in, each attempt writing what an engine writes (test/support/append-files.ts: a data manifest with one ADDED file, then a manifest list of it plus the loaded head\'s manifests, through the catalog\'s FileIO on the same store). A commit that lost to another append is rebased by the server onto the new head (a new manifest list) instead of answering 409. Server rebases counts manifest lists the server wrote, including those of swaps it lost and retried.',
      '',
      '| appenders | accepted commits | accepted/s | client-visible 409s | server rebases | server-side retries | single-object CAS/s (floor, same N) | ratio |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const c of r.contentionRebase) {
      const cas = f.cas[c.appenders];
      lines.push(`| ${c.appenders} | ${accepted(c)} | ${rate(c.perSecond)} | ${c.client409s} | ${c.rebases ?? 0} | ${c.serverRetries} | ${cas === undefined ? 'n/a' : rate(cas.perSecond)} | ${casRatio(c, cas)} |`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = loadavg();
  const s3 = {
    endpoint: process.env['S3_ENDPOINT'] ?? '',
    accessKey: process.env['S3_ACCESS_KEY'] ?? '',
    secretKey: process.env['S3_SECRET_KEY'] ?? '',
    bucket: process.env['S3_BUCKET'] ?? 'catalog-bench',
  };
  const haveS3 = s3.endpoint !== '' && s3.accessKey !== '' && s3.secretKey !== '';
  if (!haveS3) log('S3_ENDPOINT, S3_ACCESS_KEY and S3_SECRET_KEY are not all set: measuring the local-files store only');

  log('bundling the functions (scripts/build-functions.ts)');
  const built = await buildFunctions();
  log(`measuring cold module init of ${built.length} bundles, ${INIT_SAMPLES} samples each`);
  const inits = built.map((fn) => ({ fn, init: measureInit(fn.outfile, INIT_SAMPLES), withLazy: measureInit(fn.outfile, INIT_SAMPLES, [], true) }));
  const probe = built.find((b) => b.spec.operationId === 'loadTable') ?? built[0]!;
  const withSourceMaps = measureInit(probe.outfile, INIT_SAMPLES, ['--enable-source-maps']);
  const cedarMs = cedarCompileMs(3);

  const work = await mkdtemp(join(tmpdir(), 'bench-'));
  const s3Env = { BENCH_STORE: 's3', S3_ENDPOINT: s3.endpoint, S3_ACCESS_KEY: s3.accessKey, S3_SECRET_KEY: s3.secretKey, S3_BUCKET: s3.bucket };
  let results: { s3?: CatalogResult; fs: CatalogResult; auth: CatalogResult };
  let access: AccessBenchResult;
  try {
    const s3Result = haveS3 ? await runChild({ ...s3Env, BENCH_MODE: 'full' }, join(work, 's3.json')) : undefined;
    const fs = await runChild({ BENCH_STORE: 'fs', BENCH_MODE: 'full' }, join(work, 'fs.json'));
    const auth = await runChild({ ...(haveS3 ? s3Env : { BENCH_STORE: 'fs' }), BENCH_MODE: 'auth' }, join(work, 'auth.json'));
    results = { ...(s3Result !== undefined ? { s3: s3Result } : {}), fs, auth };
    access = await runAccessBench(join(work, 'access.json'));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const seconds = (Date.now() - started) / 1000;
  const loadAfter = loadavg();

  const primary = results.s3 ?? results.fs;
  const loadRow = catalogRows(primary)[0]!;
  const commitRow = catalogRows(primary)[2]!;
  const c16 = primary.contention?.find((c) => c.appenders === 16);
  const r16 = primary.contentionRebase?.find((c) => c.appenders === 16);
  const cas16 = primary.floor?.cas[16];
  const worstInit = Math.max(...inits.map((i) => i.init.medianMs));
  const worstWithLazy = Math.max(...inits.map((i) => i.withLazy.medianMs));
  const medians = inits.map((i) => i.init.medianMs).sort((a, b) => a - b);
  const medianInit = medians[Math.floor(medians.length / 2)]!;
  const authOverhead = results.auth.loadTableWithAuth !== undefined && primary.loadTable !== undefined ? results.auth.loadTableWithAuth.p50 - primary.loadTable.p50 : Number.NaN;

  const doc = [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench\` (bench/run.ts) on ${new Date(started).toISOString().slice(0, 16).replace('T', ' ')} UTC in ${seconds.toFixed(0)} s.`,
    `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}; load average ${loadBefore[0]!.toFixed(1)} at the start, ${loadAfter[0]!.toFixed(1)} at the end (other work shared the machine: the latencies are upper bounds, and p99 especially is noisy).`,
    haveS3 ? `S3 endpoint: \`${s3.endpoint}\` (bucket \`${s3.bucket}\`), the Ceph RADOS Gateway of scripts/rgw-up.sh when run here.` : 'S3: not measured (no S3_ENDPOINT in the environment).',
    '',
    `Command: \`${haveS3 ? `S3_ENDPOINT=${s3.endpoint} S3_ACCESS_KEY=… S3_SECRET_KEY=… S3_BUCKET=${s3.bucket} ` : ''}npm run bench\``,
    '',
    '## Against the targets of issue 6',
    '',
    '| target | measured | met |',
    '|---|---|---|',
    `| warm loadTable ≤ 1.3× one S3 GET | ${ms(primary.loadTable?.p50)} vs ${ms(loadRow.floorP50)}: ${x((primary.loadTable?.p50 ?? NaN) / loadRow.floorP50)} (p50) | ${(primary.loadTable?.p50 ?? Infinity) / loadRow.floorP50 <= 1.3 ? 'yes' : 'no'} |`,
    `| commit ≤ 1.3× its three S3 round trips | ${ms(primary.commitTable?.p50)} vs ${ms(commitRow.floorP50)}: ${x((primary.commitTable?.p50 ?? NaN) / commitRow.floorP50)} (p50) | ${(primary.commitTable?.p50 ?? Infinity) / commitRow.floorP50 <= 1.3 ? 'yes' : 'no'} |`,
    `| 16 concurrent appenders, spec-strict: zero client-visible 409s | ${c16?.client409s ?? 'n/a'} client 409s for ${c16?.commits ?? 'n/a'} commits | ${c16?.client409s === 0 ? 'yes' : 'no'} |`,
    `| 16 concurrent appenders, spec-strict: ≥ 80 % of the single-object CAS rate | ${c16 === undefined ? 'n/a' : rate(c16.perSecond)} vs ${cas16 === undefined ? 'n/a' : rate(cas16.perSecond)}: ${c16 !== undefined && cas16 !== undefined ? `${((c16.perSecond / cas16.perSecond) * 100).toFixed(0)} %` : 'n/a'} | ${c16 !== undefined && cas16 !== undefined && c16.perSecond / cas16.perSecond >= 0.8 ? 'yes' : 'no'} |`,
    `| 16 concurrent appenders, \`catalog.rebase-appends=true\`: zero client-visible 409s | ${r16?.client409s ?? 'n/a'} client 409s for ${r16?.commits ?? 'n/a'} commits (${r16?.rebases ?? 'n/a'} server rebases) | ${r16 === undefined ? 'n/a' : r16.client409s === 0 ? 'yes' : 'no'} |`,
    `| 16 concurrent appenders, \`catalog.rebase-appends=true\`: ≥ 80 % of the single-object CAS rate | ${r16 === undefined ? 'n/a' : rate(r16.perSecond)} vs ${cas16 === undefined ? 'n/a' : rate(cas16.perSecond)}: ${r16 !== undefined && cas16 !== undefined ? `${((r16.perSecond / cas16.perSecond) * 100).toFixed(0)} %` : 'n/a'} | ${r16 !== undefined && cas16 !== undefined && r16.perSecond / cas16.perSecond >= 0.8 ? 'yes' : 'no'} |`,
    `| cold init ≤ 150 ms per function (module import) | worst median ${ms(worstInit)}, typical (median of medians) ${ms(medianInit)} over ${inits.length} functions; with every lazily loaded chunk too, worst ${ms(worstWithLazy)} | ${worstWithLazy <= 150 ? 'yes' : worstInit <= 150 ? 'init yes; with all lazy chunks no' : 'no'} |`,
    '',
    'Why the contention targets are missed: an engine\'s append carries `assert-ref-snapshot-id main = <the snapshot it built on>`, so once another append lands the requirement is false and the server may not re-apply the commit (its server-side retry only helps when the requirements still hold, e.g. commits without a ref requirement); each loser gets a 409, reloads and tries again. Every round of N racing appenders accepts one commit, so accepted commits/s falls with N while the raw CAS floor, whose clients simply retry the swap, falls more slowly. A table that opts in with `catalog.rebase-appends=true` lets the server do the client\'s reload-and-rebuild itself (a new manifest list on top of the new head, docs/storage-protocol.md): the losers are rebased and retried inside the request, so clients see no 409, at the price of one manifest-list read and write per rebase; one append still wins each round.',
    '',
    '## S3 endpoint',
    '',
    results.s3 !== undefined ? storeSection(`\`${s3.endpoint}\``, results.s3, true) : 'Not measured: set S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY and S3_BUCKET.',
    '',
    '## Local-files store (`npm start`)',
    '',
    'The ratios compare with the same store\'s own floor (the fs adapter called directly, no HTTP): they show what HTTP and the handlers add, not how close the catalog is to S3.',
    '',
    storeSection('local files', results.fs, false),
    '',
    '## Authentication and authorization cost',
    '',
    authCostTable(results.auth.authCost),
    '',
    results.auth.loadTableWithAuth !== undefined
      ? `For scale, a whole loadTable (warm) over HTTP with an API key on the ${haveS3 ? 'S3' : 'local-files'} store: p50 ${ms(results.auth.loadTableWithAuth.p50)}, p99 ${ms(results.auth.loadTableWithAuth.p99)} (${results.auth.loadTableWithAuth.n} requests), against p50 ${ms(primary.loadTable?.p50)} with CATALOG_AUTH=disabled above (another process, run earlier: a difference of ${ms(authOverhead)} that is mostly the store's variance, not auth).`
      : 'Not measured.',
    '',
    '## KMS calls per 1,000 requests',
    '',
    kmsSection([
      ['S3', results.s3],
      ['local files', results.fs],
      ['auth', results.auth],
    ]),
    '',
    accessSection(access),
    '',
    '## Function bundles and cold init',
    '',
    `${built.length} live functions, bundled as \`sst deploy\` bundles them (infra/bundle.ts: esbuild, ESM, ${BUNDLE.target}, minified, linked source maps, AWS SDK bundled and tree-shaken) into \`${relative(ROOT, OUT_DIR)}/<operationId>/index.mjs\`. Code splitting is on: what a route imports at the top is loaded at init, and the S3, KMS and SQS clients, core/crypto and the Avro code are chunks a dynamic import loads on the first request that needs them. Init is the time from \`import()\` of the bundle in a fresh \`node\` process to a callable \`handler\` (configuration parsed, nothing fetched), median of ${INIT_SAMPLES}; "+ lazy chunks" also imports every other chunk of the function, the most module loading its first requests can add. Lambda adds its runtime start (not measurable here) and the first request adds client construction.`,
    '',
    '| function | loaded at init | gzip | all chunks | source map (init) | init median | init min | init + lazy chunks (median) |',
    '|---|---|---|---|---|---|---|---|',
    ...inits.map(({ fn, init, withLazy }) => `| ${fn.spec.name} | ${kib(fn.bytes)} | ${kib(fn.gzipBytes)} | ${kib(fn.totalBytes)} | ${kib(fn.sourcemapBytes)} | ${ms(init.medianMs)} | ${ms(Math.min(...init.samplesMs))} | ${ms(withLazy.medianMs)} |`),
    '',
    `Largest bundle by source (${[...built].sort((a, b) => b.bytes - a.bytes)[0]!.spec.name}): ${[...built].sort((a, b) => b.bytes - a.bytes)[0]!.composition.slice(0, 8).map((c) => `${c.source} ${kib(c.bytes)}`).join(', ')}.`,
    '',
    `- \`NODE_OPTIONS=--enable-source-maps\` would make ${probe.spec.name}'s init ${ms(withSourceMaps.medianMs)} (median) instead of ${ms(inits.find((i) => i.fn === probe)!.init.medianMs)}: source maps are shipped but not enabled.`,
    `- Functions that authorize also ship Cedar's WebAssembly module (${kib(readFileSync(join(ROOT, CEDAR_WASM_ASSET.from)).length)}), compiled on the first authorized request: ${ms(cedarMs)} (median of 3) on top of init.`,
    `- Environment during the init measurement: ${Object.entries(LAMBDA_LIKE_ENV).map(([k, v]) => `${k}=${v}`).join(', ')}.`,
    '',
    '## How to reproduce',
    '',
    '```sh',
    'npm ci',
    'eval "$(bash scripts/rgw-up.sh --env)"   # Ceph RGW on 127.0.0.1:7480 (or export S3_* for MinIO / AWS)',
    'npm run bench                            # writes docs/benchmarks.md',
    'npx node --import tsx scripts/build-functions.ts   # the bundle table alone',
    '```',
    '',
    `Knobs (environment): BENCH_SAMPLES (latency samples per operation, default ${PLAN.samples}), BENCH_COMMITS (sequential appends, default ${PLAN.commitSamples}), BENCH_COMMITS_PER_APPENDER (default ${PLAN.commitsPerAppender}), BENCH_CONTENTION_BUDGET_MS (default ${PLAN.contentionBudgetMs}), BENCH_INIT_SAMPLES (default ${INIT_SAMPLES}), BENCH_ONLY=access (only the access-delegation section, replaced in place); BENCH_ONLY=group-commit, BENCH_ONLY=streaming, BENCH_ONLY=flatness (the issue-12 sections, each alone and replaced in place; the full run keeps them as they were). The run is sized for about five minutes on 2 cores; every loop also stops at a deadline.`,
    '',
  ].join('\n');
  await writeFile(DOC, await keepIssue12Sections(doc));
  log(`wrote ${relative(ROOT, DOC)} in ${seconds.toFixed(0)} s`);
}

const only = process.env['BENCH_ONLY'];
await (only === 'access' ? accessOnly() : only === 'group-commit' || only === 'streaming' || only === 'flatness' ? issue12Only(only) : main());
