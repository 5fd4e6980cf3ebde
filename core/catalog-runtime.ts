import { randomUUID } from 'node:crypto';
import type { CatalogContext } from './catalog/context.js';
import { InProcessPurgeQueue } from './catalog/tables/in-process-purge-queue.js';
import { MetadataFiles } from './catalog/tables/metadata-files.js';
import type { PurgeQueue } from './catalog/tables/purge-queue.js';
import type { CatalogConfig, S3Connection } from './config.js';
import { CatalogKeys } from './store/catalog-keys.js';
import { SchemeFileIO, type FileIO } from './store/file-io.js';
import { LocalFileIO } from './store/local-file-io.js';
import { S3FileIO } from './store/s3-file-io.js';
import type { ObjectStore } from './store/object-store.js';
import { JsonRecordCodec } from './store/record-codec.js';
import { RecordStore } from './store/record-store.js';

/**
 * The composition root: picks the adapters the configuration names and wires the ports. Called
 * once per container (Lambda) or process (local server). The AWS SDK is imported only when an S3
 * adapter is needed, so the embedded mode never loads it.
 */
async function s3Store(connection: S3Connection, bucket: string): Promise<ObjectStore> {
  const { S3ObjectStore } = await import('./store/s3-object-store.js');
  return new S3ObjectStore({
    bucket,
    region: connection.region,
    forcePathStyle: connection.forcePathStyle,
    ...(connection.endpoint !== undefined ? { endpoint: connection.endpoint } : {}),
    ...(connection.credentials !== undefined ? { credentials: connection.credentials } : {}),
  });
}

export async function createObjectStore(config: CatalogConfig): Promise<ObjectStore> {
  if (config.store.kind === 'fs') {
    const { FsObjectStore } = await import('./store/fs-object-store.js');
    return new FsObjectStore(config.store.dataDir);
  }
  return s3Store(config.s3, config.store.bucket);
}

export function createFileIO(config: CatalogConfig): FileIO {
  const s3 = new S3FileIO((bucket) => s3Store(config.s3, bucket));
  return new SchemeFileIO({ file: new LocalFileIO(), s3, s3a: s3, s3n: s3 });
}

export interface CatalogRuntimeOptions {
  readonly objects?: ObjectStore;
  readonly files?: FileIO;
  /** Without one, dropped tables are purged in this process (the embedded mode). */
  readonly purgeQueue?: PurgeQueue;
  readonly onBackgroundError?: (what: string, error: unknown) => void;
}

export async function createCatalogContext(config: CatalogConfig, options: CatalogRuntimeOptions = {}): Promise<CatalogContext> {
  const files = options.files ?? createFileIO(config);
  const metadataFiles = new MetadataFiles(files);
  let purgeQueue = options.purgeQueue;
  const context: CatalogContext = {
    config,
    records: new RecordStore(options.objects ?? (await createObjectStore(config)), new JsonRecordCodec()),
    keys: new CatalogKeys(config.keyPrefix),
    files,
    metadataFiles,
    get purgeQueue(): PurgeQueue {
      return purgeQueue!;
    },
    clock: { now: () => Date.now() },
    newUuid: randomUUID,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
  };
  if (purgeQueue === undefined) {
    // Loaded on the first purge only: the manifest reader is not needed on any request path.
    purgeQueue = new InProcessPurgeQueue(
      async (job) => {
        const { purgeTable } = await import('./catalog/tables/purge-table.js');
        await purgeTable(files, job);
      },
      (job, error) => options.onBackgroundError?.(`purge of table ${job.tableUuid}`, error),
    );
  }
  return context;
}
