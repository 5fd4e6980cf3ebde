import { randomUUID } from 'node:crypto';
import { access } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CatalogContext } from './catalog/context.js';
import { InProcessJobQueue } from './maintenance/jobs/in-process-job-queue.js';
import { LazySqsJobQueue } from './maintenance/jobs/lazy-sqs-job-queue.js';
import { MetadataFiles } from './catalog/tables/metadata-files.js';
import { ViewMetadataFiles } from './catalog/views/view-metadata-files.js';
import { describeJob, type JobQueue } from './maintenance/jobs/job-queue.js';
import type { CatalogConfig, S3Connection } from './config.js';
import { ConfinedFileIO } from './catalog/locations/confined-file-io.js';
import { confinementOf } from './catalog/locations/confinement.js';
import { ConfigurationError } from './errors.js';
import { CatalogKeys } from './catalog/catalog-keys.js';
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
    conditionalDelete: connection.conditionalDelete,
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

/**
 * Table files, confined to the configured warehouses (core/catalog/locations): only the schemes
 * the warehouses use are served at all (no `file:` in an S3 deployment), the local adapter stays
 * inside the local warehouse folders, the S3 adapter serves only the warehouse buckets, and every
 * location is canonicalised and checked before either sees it.
 */
export function createFileIO(config: Pick<CatalogConfig, 's3' | 'warehouses'>): FileIO {
  const confinement = confinementOf(config);
  const roots = confinement.warehouseRoots();
  const localRoots = roots.filter((r) => r.scheme === 'file').map((r) => fileURLToPath(r.uri));
  const buckets = roots.filter((r) => r.scheme === 's3').map((r) => r.authority);
  const byScheme: Record<string, FileIO> = {};
  if (localRoots.length > 0) byScheme['file'] = new LocalFileIO(localRoots);
  if (buckets.length > 0) {
    const s3 = new S3FileIO((bucket) => s3Store(config.s3, bucket), buckets);
    Object.assign(byScheme, { s3, s3a: s3, s3n: s3 });
  }
  return new ConfinedFileIO(new SchemeFileIO(byScheme), confinement);
}

/**
 * A missing keyring file is created only for a store without records: over existing records a new
 * key would make every one of them undecryptable (and hide the loss until the first read), so the
 * start is refused instead.
 */
async function refuseNewKeyOverRecords(config: CatalogConfig, objects: ObjectStore, masterKeyFile: string): Promise<void> {
  try {
    await access(masterKeyFile);
    return;
  } catch {
    // Missing (or unreadable: the keyring reader reports that itself).
  }
  const prefix = config.keyPrefix === '' ? '' : `${config.keyPrefix}/`;
  for (const folder of ['wh/', 'sys/']) {
    const page = await objects.list({ prefix: prefix + folder, maxKeys: 1 });
    if (page.objects.length > 0) {
      throw new ConfigurationError(
        `the master key file ${masterKeyFile} is missing, but the store already holds catalog records encrypted under it; ` +
          'restore the key file (or set CATALOG_MASTER_KEY / CATALOG_MASTER_KEY_FILE to the keys in use). A new key would make every record unreadable',
      );
    }
  }
}

/**
 * The records codec the configuration names (config.encryption): envelope encryption under AWS KMS
 * or a local master key, or plain JSON when explicitly allowed. Built once per container: its data
 * key cache is what keeps warm requests off KMS. core/crypto (and, in `kms` mode only, the KMS
 * client) is loaded here, on the first request, not at module init.
 */
export async function createRecordCodecFor(config: CatalogConfig, objects?: ObjectStore): Promise<RecordCodec> {
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
      if (encryption.masterKey === undefined && objects !== undefined) await refuseNewKeyOverRecords(config, objects, encryption.masterKeyFile);
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
  /** Without one (and without config.jobQueueUrl), jobs run in this process (the local server, the embedded mode). */
  readonly jobs?: JobQueue;
  /** Default: one structured JSON line on stderr, so a failed in-process job is never silent. */
  readonly onBackgroundError?: (what: string, error: unknown) => void;
}

function logBackgroundError(what: string, error: unknown): void {
  const detail = error instanceof Error ? { name: error.name, error: error.message } : { error: String(error) };
  process.stderr.write(`${JSON.stringify({ level: 'error', message: `${what} failed`, timestamp: new Date().toISOString(), ...detail })}\n`);
}

export async function createCatalogContext(config: CatalogConfig, options: CatalogRuntimeOptions = {}): Promise<CatalogContext> {
  // An injected FileIO (tests) is confined like the default one: no path may skip the check.
  const files = options.files !== undefined ? new ConfinedFileIO(options.files, confinementOf(config)) : createFileIO(config);
  const objects = options.objects ?? (await createObjectStore(config));
  const metadataFiles = new MetadataFiles(files, undefined, config.maxMetadataBytes);
  let jobs = options.jobs;
  const context: CatalogContext = {
    config,
    records: new RecordStore(objects, options.codec ?? (await createRecordCodecFor(config, objects))),
    keys: new CatalogKeys(config.keyPrefix),
    files,
    metadataFiles,
    viewMetadataFiles: new ViewMetadataFiles(files, undefined, config.maxMetadataBytes),
    get jobs(): JobQueue {
      return jobs!;
    },
    clock: { now: () => Date.now() },
    newUuid: randomUUID,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
  };
  const report = options.onBackgroundError ?? logBackgroundError;
  if (jobs === undefined && config.jobQueueUrl !== undefined) {
    // Production: jobs go to SQS for the job worker (functions/jobs/job-worker.ts).
    jobs = new LazySqsJobQueue({
      queueUrl: config.jobQueueUrl,
      region: config.s3.region,
      onLost: (job, error) => report(`queueing the ${describeJob(job)} (${job.type === 'purge' ? 'its files stay until purged by hand' : 'a later tick queues it again'})`, error),
    });
  }
  if (jobs === undefined) {
    // Loaded on the first job only: the manifest reader is not needed on any request path.
    jobs = new InProcessJobQueue(
      async (job) => {
        const { jobRunner } = await import('./maintenance/jobs/run-job.js');
        const result = await jobRunner({ files, confinement: confinementOf(config), catalog: async () => context })(job);
        if (result.type === 'purge' && job.type === 'purge' && result.refused.length > 0) {
          report(
            `purge of ${job.kind} ${job.uuid} deleted ${result.deleted} files; it refused to delete or read ${result.refused.length} named outside the object's own locations (kept: ${result.refused.slice(0, 10).join(', ')})`,
            new Error('files outside the dropped object were named'),
          );
        }
      },
      { onError: (job, error) => report(describeJob(job), error) },
    );
  }
  return context;
}
