/**
 * The access-delegation section of `npm run bench` (issue 11), in its own process: STS calls per
 * 1,000 loadTable calls in a warm container, counted at the CredentialVendor port, and loadTable
 * with vended credentials served from the container's cache as a ratio to plain loadTable.
 *
 * It calls the loadTable operation itself (core/http/operations), not HTTP: the delegation is the
 * only difference between the two loops, and without the HTTP round trip in both the ratio is the
 * stricter one. The table lives in an `s3://` warehouse whose files are held in memory (no store
 * is measured here; bench/catalog-bench.ts does that), and the port is a stand-in for STS that
 * mints credentials with the configured lifetime: what is counted is how often the catalog would
 * call STS, which is the cache's doing, not STS's.
 *
 * Environment: BENCH_OUT=<result file>, BENCH_SAMPLES (per loop, default 2000).
 */
import { writeResult } from './result-out.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CredentialVendor, VendRequest } from '../core/access/credential-vendor.js';
import { installCredentialVendor } from '../core/access/vendor-runtime.js';
import { createCatalogContext } from '../core/catalog-runtime.js';
import { loadConfig } from '../core/config.js';
import type { OperationRequest } from '../core/http/operation.js';
import { createNamespace } from '../core/http/operations/create-namespace.js';
import { createTable } from '../core/http/operations/create-table.js';
import { loadTable } from '../core/http/operations/load-table.js';
import { routeFor, type OperationId } from '../core/http/routes.js';
import { parseJson } from '../core/json/lossless-json.js';
import type { FileIO } from '../core/store/file-io.js';
import { summarize, type Summary } from './stats.js';

export interface AccessBenchResult {
  readonly samples: number;
  readonly plain: Summary;
  readonly vendedFromCache: Summary;
  /** p50 with vended credentials (from cache) / p50 plain. */
  readonly ratio: number;
  /** STS calls for 1,000 sequential loadTable calls of one table, cold cache. */
  readonly stsPer1000Sequential: number;
  /** STS calls for 1,000 concurrent loadTable calls of one table, cold cache (misses share one call). */
  readonly stsPer1000Concurrent: number;
  /** STS calls for 1,000 loadTable calls spread over 10 tables, round robin, cold cache. */
  readonly stsPer1000TenTables: number;
  readonly lifetimeSeconds: number;
}

/** Table files in memory: the bench measures the catalog's own work, not a store. */
class MemoryFileIO implements FileIO {
  private readonly files = new Map<string, Uint8Array>();
  async read(location: string) {
    return this.files.get(location);
  }
  async create(location: string, bytes: Uint8Array) {
    if (this.files.has(location)) return 'exists' as const;
    this.files.set(location, bytes);
    return 'created' as const;
  }
  async delete(location: string) {
    this.files.delete(location);
  }
  async list(prefix: string) {
    return [...this.files.keys()].filter((k) => k.startsWith(prefix));
  }
}

class CountingVendor implements CredentialVendor {
  calls = 0;
  constructor(private readonly lifetimeSeconds: number) {}
  async vend(_request: VendRequest) {
    this.calls++;
    return { accessKeyId: `ASIABENCH${this.calls}`, secretAccessKey: 'bench-secret', sessionToken: 'bench-token', expiresAtMs: Date.now() + this.lifetimeSeconds * 1000 };
  }
}

function request(operationId: OperationId, pathParams: Record<string, string>, options: { body?: unknown; headers?: Record<string, string> } = {}): OperationRequest {
  return {
    route: routeFor(operationId),
    requestId: 'bench',
    pathParams,
    query: new Map(),
    headers: options.headers ?? {},
    body: options.body === undefined ? undefined : parseJson(JSON.stringify(options.body)),
  };
}

async function main(): Promise<void> {
  const samples = Number(process.env['BENCH_SAMPLES'] ?? 2000);
  const dataDir = await mkdtemp(join(tmpdir(), 'access-bench-'));
  try {
    const config = loadConfig({
      CATALOG_DATA_DIR: dataDir,
      CATALOG_AUTH: 'disabled',
      CATALOG_ENCRYPTION: 'none',
      CATALOG_ALLOW_PLAINTEXT_RECORDS: 'true',
      CATALOG_WAREHOUSES: 'default=s3://bench-lake/warehouse',
      CATALOG_DATA_ACCESS_ROLE_ARN: 'arn:aws:iam::000000000000:role/bench-data-access',
      CATALOG_LOG_LEVEL: 'error',
    });
    const ctx = await createCatalogContext(config, { files: new MemoryFileIO() });
    const vendor = new CountingVendor(config.access.vendedCredentialsSeconds);
    installCredentialVendor(config, vendor);
    const ns = { prefix: 'default', namespace: 'bench' };
    await createNamespace(request('createNamespace', { prefix: 'default' }, { body: { namespace: ['bench'] } }), ctx);
    const names = Array.from({ length: 13 }, (_, i) => `t${i}`);
    for (const name of names) {
      await createTable(request('createTable', ns, { body: { name, schema: { type: 'struct', 'schema-id': 0, fields: [{ id: 1, name: 'id', required: true, type: 'long' }] } } }), ctx);
    }
    const plainRequest = request('loadTable', { ...ns, table: 't0' });
    const vendedRequest = request('loadTable', { ...ns, table: 't0' }, { headers: { 'x-iceberg-access-delegation': 'vended-credentials' } });

    // STS calls per 1,000 loadTable calls, each on a cold cache (a fresh table, so a fresh key).
    let before = vendor.calls;
    for (let i = 0; i < 1000; i++) await loadTable(request('loadTable', { ...ns, table: 't1' }, { headers: vendedRequest.headers }), ctx);
    const stsPer1000Sequential = vendor.calls - before;
    before = vendor.calls;
    await Promise.all(Array.from({ length: 1000 }, () => loadTable(request('loadTable', { ...ns, table: 't2' }, { headers: vendedRequest.headers }), ctx)));
    const stsPer1000Concurrent = vendor.calls - before;
    before = vendor.calls;
    for (let i = 0; i < 1000; i++) await loadTable(request('loadTable', { ...ns, table: names[3 + (i % 10)]! }, { headers: vendedRequest.headers }), ctx);
    const stsPer1000TenTables = vendor.calls - before;

    // Latency: the two loops interleaved, so drift (GC, other work on the machine) hits both alike.
    for (let i = 0; i < 200; i++) {
      await loadTable(plainRequest, ctx);
      await loadTable(vendedRequest, ctx);
    }
    const plain: number[] = [];
    const vended: number[] = [];
    const deadline = Date.now() + 60_000;
    for (let i = 0; i < samples && Date.now() < deadline; i++) {
      let t = performance.now();
      await loadTable(plainRequest, ctx);
      plain.push(performance.now() - t);
      t = performance.now();
      await loadTable(vendedRequest, ctx);
      vended.push(performance.now() - t);
    }
    const p = summarize(plain);
    const v = summarize(vended);
    const result: AccessBenchResult = {
      samples: plain.length,
      plain: p,
      vendedFromCache: v,
      ratio: v.p50 / p.p50,
      stsPer1000Sequential,
      stsPer1000Concurrent,
      stsPer1000TenTables,
      lifetimeSeconds: config.access.vendedCredentialsSeconds,
    };
    await writeResult(result);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
