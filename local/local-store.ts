import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { CatalogConfig } from '../core/config.js';
import { MAX_CLOCK_SKEW_MS } from '../core/catalog/deadlines.js';
import { ConfigurationError } from '../core/errors.js';

/** Prepares what the embedded mode needs before the first request: the data folder, or the S3 bucket. */
export async function ensureLocalStore(config: CatalogConfig): Promise<void> {
  if (config.store.kind === 'fs') {
    await mkdir(config.store.dataDir, { recursive: true });
    return;
  }
  const { ensureBucket } = await import('../core/store/s3-object-store.js');
  await ensureBucket({ bucket: config.store.bucket, ...config.s3 });
}

const LOCK_FILE = '.catalog.lock';

/**
 * The local-files store is compare-and-swap safe within one process only (core/store/fs-object-store.ts):
 * a second server on the same folder would break every invariant, so it is refused at start. A lock
 * left by a process that died is taken over. Returns the release function.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => unlink(path).catch(() => undefined);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new ConfigurationError(`Another catalog process (pid ${holder}) uses ${dataDir}; two servers must not share one local-files store`);
      }
      await unlink(path).catch(() => undefined);
    }
  }
  throw new ConfigurationError(`Could not lock ${dataDir} (${LOCK_FILE})`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

/** How far this host's clock is from the store's (its `Date` header), in ms; undefined when it cannot tell. */
export async function storeClockSkewMs(config: CatalogConfig, now: () => number = Date.now): Promise<number | undefined> {
  if (config.store.kind !== 's3') return undefined;
  const endpoint = config.s3.endpoint ?? `https://s3.${config.s3.region}.amazonaws.com`;
  try {
    const sentAt = now();
    const response = await fetch(endpoint, { method: 'HEAD', signal: AbortSignal.timeout(3_000) });
    const date = response.headers.get('date');
    if (date === null) return undefined;
    // The header has one-second resolution: compare with the middle of the exchange, less half a second.
    const midpoint = (sentAt + now()) / 2;
    return Math.max(0, Math.abs(Date.parse(date) + 500 - midpoint) - 500);
  } catch {
    return undefined;
  }
}

/**
 * Deadline-bound deletes assume host clocks within MAX_CLOCK_SKEW_MS of each other
 * (core/catalog/deadlines.ts): a local server far off the store's clock refuses to share the store.
 */
export function refuseSkewedClock(skewMs: number | undefined): void {
  if (skewMs !== undefined && skewMs > MAX_CLOCK_SKEW_MS) {
    throw new ConfigurationError(
      `This host's clock is ${(skewMs / 1000).toFixed(1)} s off the object store's; the catalog tolerates ${MAX_CLOCK_SKEW_MS / 1000} s. Synchronise the clock (NTP) and start again`,
    );
  }
}
