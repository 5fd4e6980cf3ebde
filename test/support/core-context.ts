import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogContext } from '../../core/catalog/context.js';
import { createCatalogContext, createFileIO, createObjectStore } from '../../core/catalog-runtime.js';
import { loadConfig, type CatalogConfig } from '../../core/config.js';
import type { ObjectStore } from '../../core/store/object-store.js';
import { ensureLocalStore } from '../../local/local-store.js';
import { FaultInjectingFileIO, FaultInjectingStore, FaultInjector, type FaultRule } from './fault-injecting-store.js';

/**
 * A catalog context over the real store of this test run (local files in a temporary folder, or
 * the S3 endpoint in S3_ENDPOINT under a fresh prefix), with a clock the test moves and a fault
 * injector around the store. For protocol tests that must stop the catalog between two store calls.
 *
 * `newContext` adds further contexts over the SAME underlying store, as separate Lambdas would
 * be: each with its own fault injector (its own seed and rules), its own record codec, metadata
 * caches and job queue, sharing only the store (and the test's clock).
 */
export interface CoreHarness {
  readonly ctx: CatalogContext;
  readonly store: FaultInjectingStore;
  /** The adapter under every context's fault injector. */
  readonly inner: ObjectStore;
  readonly warehouse: string;
  readonly config: CatalogConfig;
  readonly storeKind: 'fs' | 's3';
  advanceClock(ms: number): void;
  newContext(options?: ContextOptions): Promise<FaultyContext>;
  close(): Promise<void>;
}

export interface ContextOptions {
  readonly seed?: number;
  readonly rules?: readonly FaultRule[];
  /** Inject faults on metadata files (FileIO) too, from the same injector. */
  readonly files?: boolean;
  /** Wait between retries for real (default: no waiting, as in the protocol tests). */
  readonly realSleep?: boolean;
  /** The catalog's own jitter (default Math.random, as in production). */
  readonly random?: () => number;
}

export interface FaultyContext {
  readonly ctx: CatalogContext;
  readonly store: FaultInjectingStore;
  readonly faults: FaultInjector;
}

export async function startCoreHarness(): Promise<CoreHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'catalog-core-'));
  const s3 = (process.env['S3_ENDPOINT'] ?? '') !== '';
  const config = loadConfig({
    ...process.env,
    CATALOG_DATA_DIR: dataDir,
    CATALOG_PREFIX: `core-${randomUUID()}`,
    // Records encrypted as in production, with a master key created for this run.
    CATALOG_ENCRYPTION: 'local',
    CATALOG_KMS_KEY_ID: undefined,
    CATALOG_MASTER_KEY: undefined,
    CATALOG_MASTER_KEY_FILE: join(dataDir, 'master-keys.txt'),
    ...(s3 ? { CATALOG_BUCKET: process.env['CATALOG_BUCKET'] ?? process.env['S3_BUCKET'] ?? 'catalog-test' } : { CATALOG_STORE: 'fs' }),
  });
  await ensureLocalStore(config);
  const inner = await createObjectStore(config);
  let offset = 0;

  const build = async (options: ContextOptions = {}): Promise<FaultyContext> => {
    const faults = new FaultInjector({ seed: options.seed ?? 1, rules: options.rules ?? [] });
    const store = new FaultInjectingStore(inner, faults);
    const files = options.files === true ? new FaultInjectingFileIO(createFileIO(config), faults) : undefined;
    const base = await createCatalogContext(config, { objects: store, ...(files !== undefined ? { files } : {}) });
    const ctx: CatalogContext = Object.assign(Object.create(Object.getPrototypeOf(base) as object) as CatalogContext, base, {
      clock: { now: () => Date.now() + offset },
      sleep: options.realSleep === true ? base.sleep : () => Promise.resolve(),
      random: options.random ?? base.random,
    });
    Object.defineProperty(ctx, 'jobs', { get: () => base.jobs });
    return { ctx, store, faults };
  };

  const first = await build();
  return {
    ctx: first.ctx,
    store: first.store,
    inner,
    warehouse: config.defaultWarehouse,
    config,
    storeKind: s3 ? 's3' : 'fs',
    advanceClock: (ms) => {
      offset += ms;
    },
    newContext: build,
    close: () => rm(dataDir, { recursive: true, force: true }),
  };
}
