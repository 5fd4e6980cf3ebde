import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogContext } from '../../core/catalog/context.js';
import { InProcessJobQueue } from '../../core/maintenance/jobs/in-process-job-queue.js';
import { parseJson, stringifyJson, type JsonValue } from '../../core/json/lossless-json.js';
import { checkConformance } from './openapi/conformance.js';

/**
 * Starts the real local server (the production handlers behind it) in this test process. The store
 * is local files in a fresh temporary folder, or, when S3_ENDPOINT is set, that S3 endpoint under a
 * key prefix unique to this run. Records are encrypted with a master key created for the run
 * (CATALOG_MASTER_KEY_FILE in the temporary folder) unless `env` configures KMS. Handlers read their configuration from the environment at import,
 * so the environment is set before the server module is loaded: test files must not import
 * functions/ modules statically (use `catalog.context()`).
 */
export interface CatalogResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: JsonValue | undefined;
  readonly text: string;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Sent as is, for malformed-input tests. */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
  /**
   * Sent as `Authorization: Bearer <token>`. With auth on, requests default to the bootstrap admin
   * key; `null` sends no credentials at all. An explicit `authorization` header wins.
   */
  readonly token?: string | null;
}

export interface TestCatalogOptions {
  /**
   * Authentication and authorization on (CATALOG_AUTH=enabled): the harness creates the bootstrap
   * admin key as `npm start` does and sends it by default. Off by default (CATALOG_AUTH=disabled),
   * so tests that are not about security need no credentials.
   */
  readonly auth?: boolean;
  /** Extra environment for this catalog (read once, when the handlers load). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface TestCatalog {
  readonly url: string;
  /** The catalog context the server's handlers use (same store instance), for white-box checks. */
  context(): Promise<CatalogContext>;
  readonly storeKind: 'fs' | 's3';
  readonly warehouse: string;
  /** The bootstrap admin API key (auth on only). */
  readonly adminKey?: string;
  request(method: string, path: string, options?: RequestOptions): Promise<CatalogResponse>;
  close(): Promise<void>;
}

export async function startTestCatalog(options: TestCatalogOptions = {}): Promise<TestCatalog> {
  const dataDir = await mkdtemp(join(tmpdir(), 'catalog-it-'));
  const s3 = process.env['S3_ENDPOINT'] !== undefined && process.env['S3_ENDPOINT'] !== '';
  process.env['CATALOG_LOG_LEVEL'] ??= 'warn';
  if (options.auth === true) process.env['CATALOG_AUTH'] = 'enabled';
  else process.env['CATALOG_AUTH'] ??= 'disabled';
  process.env['CATALOG_BOOTSTRAP_KEY_FILE'] = join(dataDir, 'admin-api-key');
  for (const [name, value] of Object.entries(options.env ?? {})) process.env[name] = value;
  // Records are encrypted as in production: unless the test configures KMS (or plaintext), with a
  // local master key generated for this run, in a key file beside the run's data (fs and S3 alike).
  const encryption = process.env['CATALOG_ENCRYPTION'] ?? '';
  if (encryption !== 'kms' && encryption !== 'none' && (process.env['CATALOG_KMS_KEY_ID'] ?? '') === '' && (process.env['CATALOG_MASTER_KEY'] ?? '') === '') {
    process.env['CATALOG_MASTER_KEY_FILE'] = join(dataDir, 'master-keys.txt');
  }
  if (s3) {
    process.env['CATALOG_BUCKET'] ??= process.env['S3_BUCKET'] ?? 'catalog-test';
    process.env['CATALOG_PREFIX'] = `it-${randomUUID()}`;
  } else {
    process.env['CATALOG_DATA_DIR'] = dataDir;
    delete process.env['CATALOG_BUCKET'];
  }
  const { loadConfig } = await import('../../core/config.js');
  const { ensureLocalStore } = await import('../../local/local-store.js');
  const { startLocalServer } = await import('../../local/server.js');
  const config = loadConfig(process.env);
  await ensureLocalStore(config);
  const server = await startLocalServer({ port: 0, host: '127.0.0.1' });
  let adminKey: string | undefined;
  if (config.auth.enabled) {
    const { catalogContext } = await import('../../functions/lib/catalog-context.js');
    const { bootstrapAdminKey } = await import('../../core/auth/bootstrap.js');
    const bootstrap = await bootstrapAdminKey(await catalogContext());
    if (!bootstrap.created) throw new Error('the test catalog was bootstrapped before');
    adminKey = bootstrap.key;
  }
  return {
    url: server.url,
    context: async () => (await import('../../functions/lib/catalog-context.js')).catalogContext(),
    storeKind: config.store.kind,
    warehouse: config.defaultWarehouse,
    ...(adminKey !== undefined ? { adminKey } : {}),
    async request(method, path, options = {}) {
      const body = options.rawBody ?? (options.body === undefined ? undefined : stringifyJson(options.body));
      const token = options.token === undefined ? adminKey : options.token;
      const headers: Record<string, string> = {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token !== undefined && token !== null ? { authorization: `Bearer ${token}` } : {}),
        ...options.headers,
      };
      const response = await fetch(server.url + path, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await response.text();
      let parsed: JsonValue | undefined;
      if (text !== '') {
        try {
          parsed = parseJson(text);
        } catch {
          parsed = undefined;
        }
      }
      // Every exchange is checked against the Iceberg REST OpenAPI spec; a violation fails this test.
      checkConformance({ method, path, headers: Object.fromEntries(new Headers(headers)), body }, { status: response.status, contentType: response.headers.get('content-type'), text });
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits for the test catalog's in-process job queue to finish every job (purges included) enqueued so far. */
export async function purgesSettled(catalog: TestCatalog): Promise<void> {
  const queue = (await catalog.context()).jobs;
  if (!(queue instanceof InProcessJobQueue)) throw new Error('the test catalog runs its jobs in process');
  await queue.idle();
}

/** Form-encodes one namespace level or name the way the Java client does (space as `+`). */
export function encodeLevel(level: string): string {
  return encodeURIComponent(level).replace(/%20/g, '+');
}

export function namespacePath(levels: readonly string[]): string {
  return levels.map(encodeLevel).join('%1F');
}

/** A name no other test (or earlier run on a shared bucket) uses. */
export function uniqueName(stem: string): string {
  return `${stem}_${randomUUID().slice(0, 8)}`;
}
