/**
 * What the issue-12 bench sections (group commit, streaming, flatness) share: the catalog of one
 * store started in this process, an HTTP client, an append made the way an engine makes it, the
 * walk of main that reads each snapshot's added files, and the single-object CAS floor.
 *
 * The store comes from the environment, as for bench/catalog-bench.ts: BENCH_STORE=s3 uses
 * S3_ENDPOINT / S3_ACCESS_KEY / S3_SECRET_KEY / S3_BUCKET (bench/run.ts passes them when they are
 * all set), anything else the local-files store.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifest, readManifestList } from '../core/avro/index.js';
import { parseJson, stringifyJson } from '../core/json/lossless-json.js';
import type { FileIO } from '../core/store/file-io.js';
import { appendBaseOf, appendRequest, writeAppendFiles, type AppendFiles } from '../test/support/append-files.js';
import { startTestCatalog, type TestCatalog } from '../test/support/catalog-harness.js';
import { randomSnapshotId } from '../test/support/table-requests.js';
import { floorStoreFor, type FloorStore } from './floor.js';

export type Json = Record<string, unknown>;
type SnapshotJson = { 'snapshot-id': number | bigint; 'parent-snapshot-id'?: number | bigint; 'manifest-list': string };

/** A manifest entry's status for a file the snapshot added. */
const ADDED = 1;
/** An append that is refused this many times in a row (409) fails the bench: the writer starved. */
export const MAX_CLIENT_ATTEMPTS = 1000;

export interface BenchCatalog {
  readonly catalog: TestCatalog;
  readonly store: 'fs' | 's3';
  readonly files: FileIO;
  readonly client: BenchClient;
  /** `/v1/<warehouse>` */
  readonly prefix: string;
  /** The store itself (SDK for S3, the fs adapter locally), for the CAS floor. */
  readonly floor: FloorStore;
  close(): Promise<void>;
}

/** Starts the catalog (production handlers behind the local server) on the store BENCH_STORE names. */
export async function startBenchCatalog(): Promise<BenchCatalog> {
  const store = process.env['BENCH_STORE'] === 's3' ? 's3' : 'fs';
  if (store === 'fs') for (const name of ['S3_ENDPOINT', 'S3_BUCKET', 'CATALOG_BUCKET']) delete process.env[name];
  else process.env['CATALOG_BUCKET'] = process.env['S3_BUCKET'] ?? 'catalog-bench';
  process.env['CATALOG_LOG_LEVEL'] = 'error';
  const floorDir = await mkdtemp(join(tmpdir(), 'bench-floor-'));
  const catalog = await startTestCatalog();
  const floor = floorStoreFor(store, floorDir);
  return {
    catalog,
    store,
    files: (await catalog.context()).files,
    client: new BenchClient(catalog.url),
    prefix: `/v1/${catalog.warehouse}`,
    floor,
    async close() {
      await catalog.close();
      await rm(floorDir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
  /** The request's round trip, milliseconds. */
  readonly ms: number;
}

/** Plain fetch (no OpenAPI validation on the way, unlike the test harness's client). */
export class BenchClient {
  constructor(private readonly base: string) {}

  async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const started = performance.now();
    const response = await fetch(this.base + path, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: stringifyJson(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, text, headers: response.headers, ms: performance.now() - started };
  }

  async expect(status: number, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer> {
    const answer = await this.send(method, path, body, headers);
    if (answer.status !== status) throw new Error(`${method} ${path}: ${answer.status} ${answer.text.slice(0, 300)}`);
    return answer;
  }
}

export const metadataOf = (answer: Answer): Json => (parseJson(answer.text) as { metadata: Json }).metadata;

/** Creates a namespace (if new) and a table in it with `properties`; returns the table's path. */
export async function createBenchTable(bench: BenchCatalog, namespace: string, name: string, properties: Record<string, string>): Promise<string> {
  const created = await bench.client.send('POST', `${bench.prefix}/namespaces`, { namespace: [namespace] });
  if (created.status !== 200 && created.status !== 409) throw new Error(`createNamespace: ${created.status} ${created.text.slice(0, 300)}`);
  const schema = { type: 'struct', 'schema-id': 0, fields: [{ id: 1, name: 'id', required: true, type: 'long' }] };
  await bench.client.expect(200, 'POST', `${bench.prefix}/namespaces/${namespace}/tables`, { name, schema, properties });
  return `${bench.prefix}/namespaces/${namespace}/tables/${name}`;
}

export interface EngineAppend {
  readonly snapshotId: bigint;
  readonly dataFile: string;
  readonly records: bigint;
  /** The accepted commit request's round trip. */
  readonly commitMs: number;
  /** From the first load to the 200: load, files, commit, and every client retry. */
  readonly appendMs: number;
  /** performance.now() when the 200 arrived. */
  readonly answeredAt: number;
  readonly client409s: number;
  /** Every numeric or `true` `x-catalog-commit-*` header of the accepted answer (retries, rebases, grouped, ...). */
  readonly serverCounters: Readonly<Record<string, number>>;
}

/**
 * One fast append as an engine makes it: load, write the data file (when `writeDataFile`), a data
 * manifest and a manifest list on the loaded head (test/support/append-files.ts), commit
 * add-snapshot + set-snapshot-ref guarded by assert-ref-snapshot-id; on 409 reload and write a new
 * list on the new head. Anything but 200 or 409 throws.
 */
export async function engineAppend(client: BenchClient, files: FileIO, path: string, options: { writeDataFile?: boolean } = {}): Promise<EngineAppend> {
  const snapshotId = randomSnapshotId();
  const started = performance.now();
  let written: AppendFiles | undefined;
  let client409s = 0;
  for (let attempt = 0; attempt < MAX_CLIENT_ATTEMPTS; attempt++) {
    const base = appendBaseOf(metadataOf(await client.expect(200, 'GET', path)));
    const first = written === undefined;
    written = await writeAppendFiles(files, base, snapshotId, written);
    if (first && options.writeDataFile === true) await files.create(written.dataFile, new TextEncoder().encode(`parquet, notionally: ${written.records} rows`));
    const committed = await client.send('POST', path, appendRequest(base, snapshotId, written));
    if (committed.status === 200) {
      const serverCounters: Record<string, number> = {};
      committed.headers.forEach((value, name) => {
        // A flag (x-catalog-commit-grouped: true, the append went in with another writer's swap) counts as 1.
        if (name.startsWith('x-catalog-commit-') && /^(\d+|true)$/.test(value)) serverCounters[name.slice('x-catalog-commit-'.length)] = value === 'true' ? 1 : Number(value);
      });
      const answeredAt = performance.now();
      return { snapshotId, dataFile: written.dataFile, records: written.records, commitMs: committed.ms, appendMs: answeredAt - started, answeredAt, client409s, serverCounters };
    }
    if (committed.status !== 409) throw new Error(`commit answered ${committed.status}: ${committed.text.slice(0, 300)}`);
    client409s++;
  }
  throw new Error(`an append was refused ${MAX_CLIENT_ATTEMPTS} times in a row`);
}

/** Adds b's counters into a. */
export function addCounters(into: Record<string, number>, more: Readonly<Record<string, number>>): void {
  for (const [name, value] of Object.entries(more)) into[name] = (into[name] ?? 0) + value;
}

/** main from the head back to the root (or to `stopAt`, exclusive): newest first. */
export function mainChain(metadata: Json, stopAt: bigint | null = null): SnapshotJson[] {
  const refs = (metadata['refs'] ?? {}) as Record<string, { 'snapshot-id': number | bigint }>;
  const head = refs['main']?.['snapshot-id'];
  const byId = new Map(((metadata['snapshots'] ?? []) as SnapshotJson[]).map((s) => [BigInt(s['snapshot-id']), s]));
  const chain: SnapshotJson[] = [];
  for (let cursor = head === undefined ? undefined : BigInt(head); cursor !== undefined && cursor !== stopAt; ) {
    const snapshot = byId.get(cursor);
    if (snapshot === undefined) break; // expired ancestors end the walk
    chain.push(snapshot);
    cursor = snapshot['parent-snapshot-id'] === undefined ? undefined : BigInt(snapshot['parent-snapshot-id']);
  }
  return chain;
}

/**
 * Reads what each snapshot of main added, oldest first: the manifests in its list that no older
 * snapshot's list named, and their ADDED entries. Keeps what it has seen, so a reader that polls
 * reads each manifest once.
 */
export class AddedFilesReader {
  private readonly manifests = new Set<string>();
  /** Data file → how many times an ADDED entry named it. */
  readonly added = new Map<string, number>();
  rows = 0n;
  /** Lists or manifests that could not be read (expired and deleted before the reader got there). */
  readonly unreadable: string[] = [];

  constructor(private readonly files: FileIO) {}

  /** Reads the snapshots of `chainNewestFirst`; calls `onFile` for each data file added. */
  async read(chainNewestFirst: readonly SnapshotJson[], onFile: (dataFile: string) => void | Promise<void> = () => {}): Promise<void> {
    for (const snapshot of [...chainNewestFirst].reverse()) {
      const list = await this.files.read(snapshot['manifest-list']);
      if (list === undefined) {
        this.unreadable.push(snapshot['manifest-list']);
        continue;
      }
      for (const entry of readManifestList(list)) {
        if (this.manifests.has(entry.manifest_path)) continue;
        this.manifests.add(entry.manifest_path);
        const manifest = await this.files.read(entry.manifest_path);
        if (manifest === undefined) {
          this.unreadable.push(entry.manifest_path);
          continue;
        }
        for (const file of readManifest(manifest).entries) {
          if (file.status !== ADDED) continue;
          const path = file.data_file.file_path;
          this.added.set(path, (this.added.get(path) ?? 0) + 1);
          this.rows += BigInt(file.data_file.record_count);
          await onFile(path);
        }
      }
    }
  }
}

export interface OnceCheck {
  readonly expected: number;
  readonly missing: number;
  readonly duplicated: number;
  readonly unexpected: number;
  readonly ok: boolean;
}

/** Is every expected data file added exactly once, and nothing else? */
export function checkOnce(expected: Iterable<string>, added: ReadonlyMap<string, number>): OnceCheck {
  const want = new Set(expected);
  let missing = 0;
  let duplicated = 0;
  for (const file of want) {
    const count = added.get(file) ?? 0;
    if (count === 0) missing++;
    else if (count > 1) duplicated++;
  }
  const unexpected = [...added.keys()].filter((f) => !want.has(f)).length;
  return { expected: want.size, missing, duplicated, unexpected, ok: missing === 0 && duplicated === 0 && unexpected === 0 };
}

/**
 * Every snapshot the table retains reads: its manifest list and its manifests parse, and each data
 * file they name exists (each file checked once). Returns the problems found.
 */
export async function unreadableRetained(files: FileIO, metadata: Json): Promise<string[]> {
  const problems: string[] = [];
  const checked = new Set<string>();
  for (const snapshot of (metadata['snapshots'] ?? []) as SnapshotJson[]) {
    const list = await files.read(snapshot['manifest-list']);
    if (list === undefined) {
      problems.push(`manifest list ${snapshot['manifest-list']} of snapshot ${snapshot['snapshot-id']}`);
      continue;
    }
    for (const entry of readManifestList(list)) {
      if (checked.has(entry.manifest_path)) continue;
      checked.add(entry.manifest_path);
      const manifest = await files.read(entry.manifest_path);
      if (manifest === undefined) {
        problems.push(`manifest ${entry.manifest_path} of snapshot ${snapshot['snapshot-id']}`);
        continue;
      }
      for (const file of readManifest(manifest).entries) {
        if (checked.has(file.data_file.file_path)) continue;
        checked.add(file.data_file.file_path);
        if ((await files.read(file.data_file.file_path)) === undefined) problems.push(`data file ${file.data_file.file_path} of snapshot ${snapshot['snapshot-id']}`);
      }
    }
  }
  return problems;
}

export interface CasRate {
  readonly workers: number;
  readonly accepted: number;
  readonly lost: number;
  readonly seconds: number;
  readonly perSecond: number;
}

/**
 * The floor for N appenders: N clients doing read + PUT If-Match on one object, `perWorker`
 * accepted swaps each (a lost swap reads again), as bench/floor.ts measures it.
 */
export async function casRate(floor: FloorStore, workers: number, perWorker: number, budgetMs: number): Promise<CasRate> {
  const key = `bench-${randomUUID()}/cas-${workers}`;
  await floor.putIfAbsent(key, new TextEncoder().encode('{}'));
  let accepted = 0;
  let lost = 0;
  const started = performance.now();
  const deadline = started + budgetMs;
  const body = new Uint8Array(64);
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let n = 0; n < perWorker && performance.now() < deadline; n++) {
        for (;;) {
          if (performance.now() >= deadline) return;
          const current = await floor.get(key);
          if (current !== undefined && (await floor.putIfMatch(key, body, current.etag)) !== undefined) {
            accepted++;
            break;
          }
          lost++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await floor.delete(key).catch(() => undefined);
  return { workers, accepted, lost, seconds, perSecond: accepted / seconds };
}

/** Waits until `at` (performance.now() time). */
export async function sleepUntil(at: number): Promise<void> {
  const wait = at - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
