import { mkdir } from 'node:fs/promises';
import type { CatalogConfig } from '../core/config.js';

/** Prepares what the embedded mode needs before the first request: the data folder, or the S3 bucket. */
export async function ensureLocalStore(config: CatalogConfig): Promise<void> {
  if (config.store.kind === 'fs') {
    await mkdir(config.store.dataDir, { recursive: true });
    return;
  }
  const { ensureBucket } = await import('../core/store/s3-object-store.js');
  await ensureBucket({ bucket: config.store.bucket, ...config.s3 });
}
