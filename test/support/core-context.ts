import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogContext } from '../../core/catalog/context.js';
import { createCatalogContext, createObjectStore } from '../../core/catalog-runtime.js';
import { loadConfig } from '../../core/config.js';
import { ensureLocalStore } from '../../local/local-store.js';
import { FaultInjectingStore } from './fault-injecting-store.js';

/**
 * A catalog context over the real store of this test run (local files in a temporary folder, or
 * the S3 endpoint in S3_ENDPOINT under a fresh prefix), with a clock the test moves and a fault
 * injector around the store. For protocol tests that must stop the catalog between two store calls.
 */
export interface CoreHarness {
  readonly ctx: CatalogContext;
  readonly store: FaultInjectingStore;
  readonly warehouse: string;
  advanceClock(ms: number): void;
  close(): Promise<void>;
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
  const store = new FaultInjectingStore(await createObjectStore(config));
  const base = await createCatalogContext(config, { objects: store });
  let offset = 0;
  const ctx: CatalogContext = Object.assign(Object.create(Object.getPrototypeOf(base) as object) as CatalogContext, base, {
    clock: { now: () => Date.now() + offset },
    sleep: () => Promise.resolve(),
  });
  Object.defineProperty(ctx, 'purgeQueue', { get: () => base.purgeQueue });
  return {
    ctx,
    store,
    warehouse: config.defaultWarehouse,
    advanceClock: (ms) => {
      offset += ms;
    },
    close: () => rm(dataDir, { recursive: true, force: true }),
  };
}
