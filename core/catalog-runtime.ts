import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import type { CatalogContext } from './catalog/context.js';
import { InProcessPurgeQueue } from './catalog/tables/in-process-purge-queue.js';
import { LazySqsPurgeQueue } from './catalog/tables/lazy-sqs-purge-queue.js';
import { MetadataFiles } from './catalog/tables/metadata-files.js';
import { ViewMetadataFiles } from './catalog/views/view-metadata-files.js';
import type { PurgeQueue } from './catalog/tables/purge-queue.js';
import type { CatalogConfig, S3Connection } from './config.js';
import { CatalogKeys } from './store/catalog-keys.js';
import { SchemeFileIO, type FileIO } from './store/file-io.js';
import { LocalFileIO } from './store/local-file-io.js';
import { S3FileIO } from './store/s3-file-io.js';
import type { ObjectStore } from './store/object-store.js';
import type { RecordCodec } from './store/record-codec.js';
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

export function createFileIO(config: Pick<CatalogConfig, 's3'>): FileIO {
  const s3 = new S3FileIO((bucket) => s3Store(config.s3, bucket));
  return new SchemeFileIO({ file: new LocalFileIO(), s3, s3a: s3, s3n: s3 });
}

/**
 * The records codec the configuration names (config.encryption): envelope encryption under AWS KMS
 * or a local master key, or plain JSON when explicitly allowed. Built once per container: its data
 * key cache is what keeps warm requests off KMS. core/crypto (and, in `kms` mode only, the KMS
 * client) is loaded here, on the first request, not at module init.
 */
export async function createRecordCodecFor(config: CatalogConfig): Promise<RecordCodec> {
  const { createRecordCodec } = await import('./crypto/create-record-codec.js');
  const common = { tenant: config.catalogId, keyPrefix: config.keyPrefix } as const;
  const encryption = config.encryption;
  switch (encryption.mode) {
    case 'none':
      return createRecordCodec({ ...common, mode: 'plaintext' });
    case 'kms':
      return createRecordCodec({
        ...common,
        mode: 'kms',
        kmsKeyId: encryption.kmsKeyId,
        region: encryption.region,
        ...(encryption.endpoint !== undefined ? { endpoint: encryption.endpoint } : {}),
        allowPlaintext: encryption.allowPlaintextRecords,
      });
    case 'local':
      return createRecordCodec({
        ...common,
        mode: 'local',
        dataDir: dirname(encryption.masterKeyFile),
        masterKeyFile: encryption.masterKeyFile,
        ...(encryption.masterKey !== undefined ? { masterKeys: encryption.masterKey } : {}),
        allowPlaintext: encryption.allowPlaintextRecords,
      });
  }
}

export interface CatalogRuntimeOptions {
  readonly objects?: ObjectStore;
  /** Default: the codec config.encryption names (createRecordCodecFor). */
  readonly codec?: RecordCodec;
  readonly files?: FileIO;
  /** Without one, dropped tables are purged in this process (the embedded mode). */
  readonly purgeQueue?: PurgeQueue;
  /** Default: one structured JSON line on stderr, so a failed in-process purge is never silent. */
  readonly onBackgroundError?: (what: string, error: unknown) => void;
}

function logBackgroundError(what: string, error: unknown): void {
  const detail = error instanceof Error ? { name: error.name, error: error.message } : { error: String(error) };
  process.stderr.write(`${JSON.stringify({ level: 'error', message: `${what} failed`, timestamp: new Date().toISOString(), ...detail })}\n`);
}

export async function createCatalogContext(config: CatalogConfig, options: CatalogRuntimeOptions = {}): Promise<CatalogContext> {
  const files = options.files ?? createFileIO(config);
  const metadataFiles = new MetadataFiles(files);
  let purgeQueue = options.purgeQueue;
  const context: CatalogContext = {
    config,
    records: new RecordStore(options.objects ?? (await createObjectStore(config)), options.codec ?? (await createRecordCodecFor(config))),
    keys: new CatalogKeys(config.keyPrefix),
    files,
    metadataFiles,
    viewMetadataFiles: new ViewMetadataFiles(files),
    get purgeQueue(): PurgeQueue {
      return purgeQueue!;
    },
    clock: { now: () => Date.now() },
    newUuid: randomUUID,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
  };
  if (purgeQueue === undefined && config.purgeQueueUrl !== undefined) {
    // Production: jobs go to SQS for the purge worker.
    purgeQueue = new LazySqsPurgeQueue({
      queueUrl: config.purgeQueueUrl,
      region: config.s3.region,
      onLost: (job, error) => (options.onBackgroundError ?? logBackgroundError)(`queueing the purge of ${job.kind} ${job.uuid} (metadata ${job.metadataLocation}; its files stay until purged by hand)`, error),
    });
  }
  if (purgeQueue === undefined) {
    // Loaded on the first purge only: the manifest reader is not needed on any request path.
    purgeQueue = new InProcessPurgeQueue(
      async (job) => {
        const { purgeDropped } = await import('./catalog/purge-dropped.js');
        await purgeDropped(files, job);
      },
      (job, error) => (options.onBackgroundError ?? logBackgroundError)(`purge of ${job.kind} ${job.uuid}`, error),
    );
  }
  return context;
}
