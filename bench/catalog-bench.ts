/**
 * One store's half of `npm run bench`, in its own process (the handlers read their configuration
 * once, at import): the floor of that store, then the catalog over HTTP through the local server,
 * started in-process by the test harness with the production handlers behind it.
 *
 * Environment: BENCH_STORE=s3|fs, BENCH_OUT=<result file>, BENCH_MODE=full|auth|contention (the
 * contention phase alone, no floor, for a quick check), and for s3 the
 * S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, S3_BUCKET of the endpoint under test.
 */
import { measureAuthCost, type AuthCost } from './auth-cost.js';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJson, stringifyJson } from '../core/json/lossless-json.js';
import { startTestCatalog, type TestCatalog } from '../test/support/catalog-harness.js';
import { startFakeKmsServer, type FakeKmsServer } from '../test/support/fake-kms-server.js';
import { appendCommit, createTableBody, randomSnapshotId, tableState, type TableState } from '../test/support/table-requests.js';
import { appendBaseOf, appendRequest, writeAppendFiles, type AppendFiles } from '../test/support/append-files.js';
import type { FileIO } from '../core/store/file-io.js';
import { floorStoreFor, measureFloor, type FloorResult } from './floor.js';
import { PLAN } from './plan.js';
import { summarize, throughput, timeSequential, type Summary } from './stats.js';


export interface ContentionResult {
  /** `catalog.rebase-appends=true` on the table, appenders writing real manifests and manifest lists. */
  readonly rebaseAppends?: boolean;
  readonly appenders: number;
  readonly commits: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly client409s: number;
  readonly serverRetries: number;
  /** Appends the server rebased onto a newer head (each wrote a manifest list); rebase-appends only. */
  readonly rebases?: number;
  /** True when the deadline ended the run before every appender made all its commits. */
  readonly stoppedAtDeadline: boolean;
}

export interface CatalogResult {
  readonly store: 'fs' | 's3';
  readonly floor?: FloorResult;
  readonly loadTable?: Summary;
  readonly loadTable304?: Summary;
  readonly createTable?: Summary;
  readonly createTablesPerSecond?: number;
  readonly commitTable?: Summary;
  readonly listTables1000?: Summary;
  readonly createNamespace?: Summary;
  readonly contention?: readonly ContentionResult[];
  /** The same contention levels on a table with catalog.rebase-appends=true. */
  readonly contentionRebase?: readonly ContentionResult[];
  readonly loadThroughput?: { readonly clients: number; readonly requests: number; readonly perSecond: number; readonly p50: number; readonly p99: number };
  /** BENCH_MODE=auth: loadTable with an API key, authentication + Cedar decision on every request. */
  readonly loadTableWithAuth?: Summary;
  /** BENCH_MODE=auth: the authenticate + authorize work alone, timed in-process (bench/auth-cost.ts). */
  readonly authCost?: AuthCost;
  /** KMS calls (CATALOG_ENCRYPTION=kms against a counting KMS endpoint) per phase of the run, in order. */
  readonly kms?: readonly KmsPhase[];
}

export interface KmsPhase {
  readonly phase: string;
  readonly requests: number;
  readonly generateDataKey: number;
  readonly decrypt: number;
}

/**
 * Counts the KMS calls of each phase: the catalog runs with CATALOG_ENCRYPTION=kms against the fake
 * KMS endpoint (test/support/fake-kms-server.ts), i.e. through the real wiring (configuration,
 * createRecordCodec, KmsKeyProvider, the AWS SDK's KMS client over HTTP); only the key service is fake.
 */
class KmsMeter {
  readonly phases: KmsPhase[] = [];

  constructor(
    private readonly kms: FakeKmsServer,
    private readonly client: Client,
  ) {}

  async measure<T>(phase: string, run: () => Promise<T>): Promise<T> {
    const requests = this.client.sent;
    const { generateDataKey, decrypt } = this.kms.calls;
    const result = await run();
    this.phases.push({
      phase,
      requests: this.client.sent - requests,
      generateDataKey: this.kms.calls.generateDataKey - generateDataKey,
      decrypt: this.kms.calls.decrypt - decrypt,
    });
    return result;
  }
}

const log = (line: string) => process.stderr.write(`[${process.env['BENCH_STORE']}${process.env['BENCH_MODE'] === 'auth' ? '+auth' : ''}] ${line}\n`);

class Client {
  /** Requests sent so far. */
  sent = 0;

  constructor(
    private readonly base: string,
    private readonly token?: string,
  ) {}

  async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
    this.sent++;
    const response = await fetch(this.base + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token !== undefined ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: stringifyJson(body) } : {}),
    });
    return { status: response.status, text: await response.text(), headers: response.headers };
  }

  async expect(status: number, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ text: string; headers: Headers }> {
    const out = await this.send(method, path, body, headers);
    if (out.status !== status) throw new Error(`${method} ${path}: ${out.status} ${out.text.slice(0, 300)}`);
    return out;
  }
}

function stateOf(text: string): TableState {
  return tableState((parseJson(text) as { metadata: Record<string, unknown> }).metadata);
}

async function createTable(client: Client, nsPath: string, name: string): Promise<TableState> {
  return stateOf((await client.expect(200, 'POST', `${nsPath}/tables`, createTableBody(name))).text);
}

/**
 * `appenders` writers, each committing `commits` appends as engines do: load, commit, on 409 reload
 * and retry. Spec-strict (no `files`): the snapshots name manifest lists that are never written, as
 * the server never reads them. With `files`: the table has `catalog.rebase-appends=true`, and each
 * attempt writes what an engine writes (test/support/append-files.ts: a data manifest once, then a
 * manifest list on top of the head it loaded), because the server reads them to rebase.
 */
async function contention(client: Client, nsPath: string, appenders: number, commits: number, files?: FileIO): Promise<ContentionResult> {
  const rebaseAppends = files !== undefined;
  const table = `contended_${appenders}${rebaseAppends ? '_rebase' : ''}`;
  await client.expect(200, 'POST', `${nsPath}/tables`, createTableBody(table, rebaseAppends ? { properties: { 'catalog.rebase-appends': 'true' } } : {}));
  const path = `${nsPath}/tables/${table}`;
  let client409s = 0;
  let serverRetries = 0;
  let rebases = 0;
  let accepted = 0;
  let stoppedAtDeadline = false;
  const started = performance.now();
  const deadline = started + PLAN.contentionBudgetMs;
  await Promise.all(
    Array.from({ length: appenders }, async () => {
      for (let n = 0; n < commits; n++) {
        const snapshotId = randomSnapshotId();
        let written: AppendFiles | undefined;
        for (let attempt = 0; ; attempt++) {
          if (performance.now() >= deadline) {
            stoppedAtDeadline = true;
            return;
          }
          if (attempt >= PLAN.maxClientAttempts) throw new Error(`appender starved after ${attempt} attempts`);
          const loaded = (await client.expect(200, 'GET', path)).text;
          let body: unknown;
          if (files === undefined) body = appendCommit(stateOf(loaded), snapshotId);
          else {
            const base = appendBaseOf((parseJson(loaded) as { metadata: Record<string, unknown> }).metadata);
            written = await writeAppendFiles(files, base, snapshotId, written);
            body = appendRequest(base, snapshotId, written);
          }
          const out = await client.send('POST', path, body);
          if (out.status === 200) {
            accepted++;
            serverRetries += Number(out.headers.get('x-catalog-commit-retries') ?? 0);
            rebases += Number(out.headers.get('x-catalog-commit-rebases') ?? 0);
            break;
          }
          if (out.status !== 409) throw new Error(`commit answered ${out.status}: ${out.text.slice(0, 300)}`);
          client409s++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { rebaseAppends, appenders, commits: accepted, seconds, perSecond: accepted / seconds, client409s, serverRetries, rebases, stoppedAtDeadline };
}

/** Every contention level, spec-strict and then with catalog.rebase-appends=true. */
async function contentionLevels(catalog: TestCatalog, client: Client, nsPath: string, meter?: KmsMeter): Promise<{ contention: ContentionResult[]; contentionRebase: ContentionResult[] }> {
  const files = (await catalog.context()).files;
  const measure = <T>(phase: string, run: () => Promise<T>) => (meter === undefined ? run() : meter.measure(phase, run));
  const contended: ContentionResult[] = [];
  for (const appenders of PLAN.concurrencies) {
    log(`contention: ${appenders} appenders x ${PLAN.commitsPerAppender} commits`);
    contended.push(await measure(`contention, ${appenders} appenders`, () => contention(client, nsPath, appenders, PLAN.commitsPerAppender)));
  }
  const rebased: ContentionResult[] = [];
  for (const appenders of PLAN.concurrencies) {
    log(`contention with catalog.rebase-appends=true: ${appenders} appenders x ${PLAN.commitsPerAppender} commits`);
    rebased.push(await measure(`contention, ${appenders} appenders, rebase-appends`, () => contention(client, nsPath, appenders, PLAN.commitsPerAppender, files)));
  }
  return { contention: contended, contentionRebase: rebased };
}

async function fullRun(catalog: TestCatalog, store: 'fs' | 's3', floorDir: string, kms: FakeKmsServer): Promise<CatalogResult> {
  const floorStore = floorStoreFor(store, floorDir);
  const floor = await measureFloor(floorStore, `bench-${randomUUID()}`, { samples: PLAN.samples, listSamples: PLAN.listSamples, concurrencies: PLAN.concurrencies, casPerWorker: PLAN.commitsPerAppender, casBudgetMs: PLAN.contentionBudgetMs }, log);

  const client = new Client(catalog.url);
  const meter = new KmsMeter(kms, client);
  const P = `/v1/${catalog.warehouse}`;
  log('createNamespace');
  const createNamespace = await meter.measure('createNamespace (from a cold container)', () =>
    timeSequential(PLAN.samples, async (i) => void (await client.expect(200, 'POST', `${P}/namespaces`, { namespace: [`ns_${i < 0 ? `w${-i}` : i}`] })), { warmup: 3, budgetMs: 45_000 }),
  );

  const nsPath = `${P}/namespaces/bench`;
  await client.expect(200, 'POST', `${P}/namespaces`, { namespace: ['bench'] });
  log('createTable');
  const createTableLatency = await meter.measure('createTable', () =>
    timeSequential(Math.min(PLAN.samples, 100), async (i) => void (await createTable(client, nsPath, `t_${i < 0 ? `w${-i}` : i}`)), { warmup: 3, budgetMs: 45_000 }),
  );

  log('loadTable (warm) and with If-None-Match (304)');
  await createTable(client, nsPath, 'loaded');
  const loadPath = `${nsPath}/tables/loaded`;
  const etag = (await client.expect(200, 'GET', loadPath)).headers.get('etag') ?? '';
  const loadTable = await meter.measure('loadTable (warm)', () => timeSequential(PLAN.samples, async () => void (await client.expect(200, 'GET', loadPath)), { warmup: 20, budgetMs: 30_000 }));
  const loadTable304 = await meter.measure('loadTable, 304', () =>
    timeSequential(PLAN.samples, async () => void (await client.expect(304, 'GET', loadPath, undefined, { 'if-none-match': etag })), { warmup: 5, budgetMs: 30_000 }),
  );

  log('commitTable (append, one writer)');
  let state = await createTable(client, nsPath, 'appended');
  const commitTable = await meter.measure('commitTable (append)', () =>
    timeSequential(PLAN.commitSamples, async () => {
      state = stateOf((await client.expect(200, 'POST', `${nsPath}/tables/appended`, appendCommit(state, randomSnapshotId()))).text);
    }, { warmup: 3, budgetMs: 45_000 }),
  );

  log(`listTables over ${PLAN.tablesToList} tables`);
  const listNs = `${P}/namespaces/listed`;
  await client.expect(200, 'POST', `${P}/namespaces`, { namespace: ['listed'] });
  const filled = await meter.measure('createTable, 16 concurrent clients', () =>
    throughput(16, PLAN.tablesToList, async (i) => void (await createTable(client, listNs, `t${String(i).padStart(4, '0')}`)), 120_000),
  );
  if (filled.ops !== PLAN.tablesToList) throw new Error(`only ${filled.ops} tables created in time`);
  const listTables1000 = await timeSequential(PLAN.listSamples, async () => {
    const out = await client.expect(200, 'GET', `${listNs}/tables`);
    const n = (parseJson(out.text) as { identifiers: unknown[] }).identifiers.length;
    if (n !== PLAN.tablesToList) throw new Error(`listTables returned ${n}`);
  }, { warmup: 2, budgetMs: 45_000 });

  const { contention: contended, contentionRebase } = await contentionLevels(catalog, client, nsPath, meter);

  log(`loadTable from ${PLAN.loadClients} concurrent clients`);
  const latencies: number[] = [];
  const load = await meter.measure(`loadTable, ${PLAN.loadClients} concurrent clients`, () =>
    throughput(PLAN.loadClients, PLAN.loadRequests, async () => {
      const started = performance.now();
      await client.expect(200, 'GET', loadPath);
      latencies.push(performance.now() - started);
    }, 60_000),
  );
  const loadSummary = summarize(latencies);

  return {
    store,
    floor,
    loadTable,
    loadTable304,
    createTable: createTableLatency,
    createTablesPerSecond: filled.perSecond,
    commitTable,
    listTables1000,
    createNamespace,
    contention: contended,
    contentionRebase,
    loadThroughput: { clients: PLAN.loadClients, requests: load.ops, perSecond: load.perSecond, p50: loadSummary.p50, p99: loadSummary.p99 },
    kms: meter.phases,
  };
}

async function authRun(catalog: TestCatalog, store: 'fs' | 's3', kms: FakeKmsServer): Promise<CatalogResult> {
  if (catalog.adminKey === undefined) throw new Error('the auth run needs the bootstrap admin key');
  const client = new Client(catalog.url, catalog.adminKey);
  const meter = new KmsMeter(kms, client);
  const P = `/v1/${catalog.warehouse}`;
  await meter.measure('createNamespace + createTable, authenticated (from a cold container)', async () => {
    await client.expect(200, 'POST', `${P}/namespaces`, { namespace: ['bench'] });
    await createTable(client, `${P}/namespaces/bench`, 'loaded');
  });
  log('loadTable (warm) with an API key');
  const loadTableWithAuth = await meter.measure('loadTable (warm), authenticated', () =>
    timeSequential(PLAN.samples, async () => void (await client.expect(200, 'GET', `${P}/namespaces/bench/tables/loaded`)), { warmup: 20, budgetMs: 30_000 }),
  );
  log('authentication + authorization, in-process');
  const authCost = await measureAuthCost(catalog, 'bench', 'loaded', 2_000);
  return { store, loadTableWithAuth, authCost, kms: meter.phases };
}

/** BENCH_MODE=contention: the contention phase alone, both variants, without the floor (a quick check). */
async function contentionRun(catalog: TestCatalog, store: 'fs' | 's3'): Promise<CatalogResult> {
  const client = new Client(catalog.url);
  const P = `/v1/${catalog.warehouse}`;
  await client.expect(200, 'POST', `${P}/namespaces`, { namespace: ['bench'] });
  const { contention: contended, contentionRebase } = await contentionLevels(catalog, client, `${P}/namespaces/bench`);
  return { store, contention: contended, contentionRebase };
}

async function main(): Promise<void> {
  const store = process.env['BENCH_STORE'] === 's3' ? 's3' : 'fs';
  const out = process.env['BENCH_OUT'];
  if (out === undefined) throw new Error('BENCH_OUT is required');
  if (store === 'fs') for (const name of ['S3_ENDPOINT', 'S3_BUCKET', 'CATALOG_BUCKET']) delete process.env[name];
  else process.env['CATALOG_BUCKET'] = process.env['S3_BUCKET'] ?? 'catalog-bench';
  process.env['CATALOG_LOG_LEVEL'] = 'error';
  const floorDir = await mkdtemp(join(tmpdir(), 'bench-floor-'));
  const auth = process.env['BENCH_MODE'] === 'auth';
  // Records encrypted as deployed (CATALOG_ENCRYPTION=kms), against a local KMS endpoint that counts calls.
  const kms = await startFakeKmsServer();
  process.env['AWS_ACCESS_KEY_ID'] ??= 'fake-kms-access-key';
  process.env['AWS_SECRET_ACCESS_KEY'] ??= 'fake-kms-secret-key';
  const catalog = await startTestCatalog({
    auth,
    env: { CATALOG_ENCRYPTION: 'kms', CATALOG_KMS_KEY_ID: kms.keyArn, CATALOG_KMS_ENDPOINT: kms.url, CATALOG_KMS_REGION: 'eu-west-1' },
  });
  try {
    const mode = process.env['BENCH_MODE'];
    const result = auth ? await authRun(catalog, store, kms) : mode === 'contention' ? await contentionRun(catalog, store) : await fullRun(catalog, store, floorDir, kms);
    await writeFile(out, JSON.stringify(result));
  } finally {
    await catalog.close();
    await kms.close();
    await rm(floorDir, { recursive: true, force: true });
  }
}

await main();
