import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadAuthConfig, type AuthConfig } from './auth/auth-config.js';
import { catalogOwnAreas, LocationConfinement } from './catalog/locations/confinement.js';
import { DEFAULT_MASTER_KEY_FILE, parseMasterKeyring } from './crypto/master-keyring.js';
import { ConfigurationError } from './errors.js';
import { RESERVED_WAREHOUSE_NAMES } from './http/routes.js';

/**
 * All settings, read once at cold start. `loadConfig` is pure: it takes the environment as an
 * argument, applies defaults and throws ConfigurationError on a bad value, so a misconfigured
 * function fails at init rather than on some later request.
 */
export interface WarehouseConfig {
  /** The `{prefix}` clients put in paths and the `warehouse` they ask /v1/config for. */
  readonly name: string;
  /** Where table data and metadata files go by default, e.g. `s3://bucket/warehouse` or `file:///...`. */
  readonly location: string;
}

export type StoreConfig = { readonly kind: 'fs'; readonly dataDir: string } | { readonly kind: 's3'; readonly bucket: string };

/** How to reach S3: used for the catalog bucket and for `s3://` table locations alike. */
export interface S3Connection {
  readonly endpoint?: string;
  readonly region: string;
  readonly forcePathStyle: boolean;
  /** The server enforces If-Match on DELETE (AWS S3 does; Ceph RGW 16 does not): S3_CONDITIONAL_DELETE. */
  readonly conditionalDelete: boolean;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface CatalogConfig {
  readonly store: StoreConfig;
  readonly s3: S3Connection;
  /** Key prefix of every catalog record inside the store (lets several catalogs share a bucket). */
  readonly keyPrefix: string;
  readonly warehouses: readonly WarehouseConfig[];
  readonly defaultWarehouse: string;
  /** Url-encoded separator advertised to clients besides the always-accepted `%1F`. */
  readonly namespaceSeparator?: string;
  /**
   * `raw`: the event's rawPath keeps the client's percent-encoding (local server, Function URLs,
   * REST APIs). `decoded`: API Gateway HTTP APIs decode rawPath, so path parameters are read from
   * `pathParameters` and not decoded again.
   */
  readonly pathEncoding: 'raw' | 'decoded';
  readonly logLevel: LogLevel;
  /** How long an Idempotency-Key's first answer is replayed; advertised as an ISO-8601 duration. */
  readonly idempotencyLifetime: { readonly iso: string; readonly ms: number };
  /** Authentication, authorization and audit (see core/auth/auth-config.ts). */
  readonly auth: AuthConfig;
  /**
   * CATALOG_JOB_QUEUE_URL (formerly CATALOG_PURGE_QUEUE_URL): the SQS queue background jobs go to
   * (purges after a drop with purgeRequested=true, scheduled maintenance runs), read by the job
   * worker (functions/jobs/job-worker.ts). Unset: jobs run in this process (core/maintenance/jobs).
   */
  readonly jobQueueUrl?: string;
  /**
   * CATALOG_MAINTENANCE (`on` | `off`, default on): whether table maintenance (snapshot expiry and
   * the deletion of the files only expired snapshots used; core/maintenance) runs on tables that do
   * not say otherwise with `catalog.maintenance.enabled`. The defaults it applies are Iceberg's.
   */
  readonly maintenanceEnabled: boolean;
  /** CATALOG_ID: names this catalog (tenant) in every record's encryption context and AAD; fixed for the life of the data. */
  readonly catalogId: string;
  /** Envelope encryption of every catalog record (core/crypto). */
  readonly encryption: RecordEncryptionConfig;
  /**
   * CATALOG_MAX_METADATA_BYTES: the largest metadata file (uncompressed JSON) a commit may write;
   * loadTable answers carry it inline (Lambda answers at most 6 MB). Default 4 MiB.
   */
  readonly maxMetadataBytes?: number;
  /** Access delegation: vended credentials (STS) and what loadTable tells engines (core/access). */
  readonly access: AccessDelegationConfig;
  /**
   * CATALOG_ORPHAN_FILES_MIN_AGE_MS: the catalog-wide safety age of orphan file removal (table
   * property `catalog.maintenance.orphan-files.min-age-ms` overrides it). Default 3 days, at least 1 hour.
   */
  readonly orphanFilesMinAgeMs?: number;
}

// --- access delegation (issue 11, core/access) ---------------------------------------------
/** STS's own bounds on DurationSeconds of AssumeRole. */
export const MIN_VENDED_CREDENTIALS_SECONDS = 900;
export const MAX_VENDED_CREDENTIALS_SECONDS = 43200;
const DEFAULT_VENDED_CREDENTIALS_SECONDS = 3600;

export type AccessDelegationMechanism = 'vended-credentials' | 'remote-signing';

export interface AccessDelegationConfig {
  /**
   * CATALOG_DATA_ACCESS_ROLE_ARN: the role assumed (with a session policy scoped to one table) to
   * vend credentials. Unset: nothing is vended; remote signing is offered instead where it is live.
   */
  readonly dataAccessRoleArn?: string;
  /** CATALOG_STS_ENDPOINT: an S3-compatible store's STS (Ceph RGW answers STS on its S3 endpoint); default AWS STS. */
  readonly stsEndpoint?: string;
  /** CATALOG_STS_REGION: default the S3 region. */
  readonly stsRegion: string;
  /** CATALOG_VENDED_CREDENTIALS_SECONDS: lifetime of vended credentials, 900..43200, default 3600. */
  readonly vendedCredentialsSeconds: number;
  /**
   * CATALOG_PUBLIC_URL: the catalog's URL as engines reach it, for `signer.uri`. Unset: engines
   * resolve the signer endpoint against the catalog URI they were configured with.
   */
  readonly publicUrl?: string;
  /** CATALOG_ACCESS_DELEGATION_PREFERENCE: what a client that accepts both gets, where both are available. */
  readonly preference: AccessDelegationMechanism;
}

function loadAccessDelegation(env: Environment, s3: S3Connection): AccessDelegationConfig {
  const dataAccessRoleArn = nonEmpty(env, 'CATALOG_DATA_ACCESS_ROLE_ARN');
  if (dataAccessRoleArn !== undefined && !/^arn:[a-z0-9-]+:iam::[0-9]*:role\/[\w+=,.@/-]{1,512}$/.test(dataAccessRoleArn)) {
    throw new ConfigurationError(`CATALOG_DATA_ACCESS_ROLE_ARN must be an IAM role ARN such as arn:aws:iam::123456789012:role/catalog-data-access; got '${dataAccessRoleArn}'`);
  }
  const stsEndpoint = nonEmpty(env, 'CATALOG_STS_ENDPOINT');
  if (stsEndpoint !== undefined && !/^https?:\/\/[^/\s]+/i.test(stsEndpoint)) {
    throw new ConfigurationError(`CATALOG_STS_ENDPOINT must be an http(s) URL; got '${stsEndpoint}'`);
  }
  // An S3-compatible store's role means nothing to AWS STS: vending there needs that store's STS.
  if (dataAccessRoleArn !== undefined && s3.endpoint !== undefined && stsEndpoint === undefined) {
    throw new ConfigurationError('CATALOG_DATA_ACCESS_ROLE_ARN with S3_ENDPOINT needs CATALOG_STS_ENDPOINT (the STS of that S3-compatible store); unset the role to turn vending off');
  }
  const secondsText = nonEmpty(env, 'CATALOG_VENDED_CREDENTIALS_SECONDS');
  const seconds = secondsText === undefined ? DEFAULT_VENDED_CREDENTIALS_SECONDS : /^\d+$/.test(secondsText) ? Number(secondsText) : Number.NaN;
  if (!(seconds >= MIN_VENDED_CREDENTIALS_SECONDS && seconds <= MAX_VENDED_CREDENTIALS_SECONDS)) {
    throw new ConfigurationError(`CATALOG_VENDED_CREDENTIALS_SECONDS must be a whole number of seconds from ${MIN_VENDED_CREDENTIALS_SECONDS} to ${MAX_VENDED_CREDENTIALS_SECONDS} (STS's bounds); got '${secondsText}'`);
  }
  const publicUrl = nonEmpty(env, 'CATALOG_PUBLIC_URL')?.replace(/\/+$/, '');
  if (publicUrl !== undefined && !/^https?:\/\/[^/\s?#]+(\/[^\s?#]*)?$/i.test(publicUrl)) {
    throw new ConfigurationError(`CATALOG_PUBLIC_URL must be the http(s) URL engines use for the catalog, without /v1; got '${publicUrl}'`);
  }
  return {
    ...(dataAccessRoleArn !== undefined ? { dataAccessRoleArn } : {}),
    ...(stsEndpoint !== undefined ? { stsEndpoint } : {}),
    stsRegion: nonEmpty(env, 'CATALOG_STS_REGION') ?? s3.region,
    vendedCredentialsSeconds: seconds,
    ...(publicUrl !== undefined ? { publicUrl } : {}),
    preference: oneOf(env, 'CATALOG_ACCESS_DELEGATION_PREFERENCE', ['vended-credentials', 'remote-signing'], 'vended-credentials'),
  };
}
// --- end access delegation -------------------------------------------------------------------

/**
 * How catalog records are encrypted at rest (CATALOG_ENCRYPTION):
 * - `kms`: data keys from AWS KMS (CATALOG_KMS_KEY_ID); the default when that variable is set.
 * - `local`: data keys wrapped by a local master key (CATALOG_MASTER_KEY, or the keyring file
 *   CATALOG_MASTER_KEY_FILE, created on first start); the default otherwise. The S3 store needs the
 *   key named explicitly, as every process sharing the bucket must use the same one.
 * - `none`: plain JSON; only with CATALOG_ALLOW_PLAINTEXT_RECORDS=true.
 * With `kms` or `local`, CATALOG_ALLOW_PLAINTEXT_RECORDS=true also reads records stored as plain JSON
 * (migration of an unencrypted catalog: each is encrypted when next written).
 */
export type RecordEncryptionConfig =
  | {
      readonly mode: 'kms';
      readonly kmsKeyId: string;
      readonly region: string;
      readonly endpoint?: string;
      readonly allowPlaintextRecords: boolean;
    }
  | {
      readonly mode: 'local';
      /** A keyring value (`[<id>:]<base64 of 32 bytes>`, comma-separated, first active): a secret. */
      readonly masterKey?: string;
      /** The keyring file, used when no `masterKey` is given. */
      readonly masterKeyFile: string;
      readonly allowPlaintextRecords: boolean;
    }
  | { readonly mode: 'none' };

export type Environment = Readonly<Record<string, string | undefined>>;

const WAREHOUSE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

function nonEmpty(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function oneOf<T extends string>(env: Environment, name: string, allowed: readonly T[], fallback: T): T {
  const value = nonEmpty(env, name) ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigurationError(`${name} must be one of ${allowed.join(', ')}; got '${value}'`);
  }
  return value as T;
}

function bool(env: Environment, name: string, fallback: boolean): boolean {
  const value = nonEmpty(env, name);
  if (value === undefined) return fallback;
  if (/^(1|true|yes)$/i.test(value)) return true;
  if (/^(0|false|no)$/i.test(value)) return false;
  throw new ConfigurationError(`${name} must be true or false; got '${value}'`);
}

function loadStore(env: Environment): StoreConfig {
  const endpoint = nonEmpty(env, 'S3_ENDPOINT');
  const bucket = nonEmpty(env, 'CATALOG_BUCKET') ?? nonEmpty(env, 'S3_BUCKET');
  const kind = oneOf(env, 'CATALOG_STORE', ['fs', 's3'], endpoint !== undefined || bucket !== undefined ? 's3' : 'fs');
  if (kind === 'fs') return { kind, dataDir: resolve(nonEmpty(env, 'CATALOG_DATA_DIR') ?? '.data') };
  return { kind, bucket: bucket ?? 'iceberg-catalog' };
}

function loadS3Connection(env: Environment): S3Connection {
  const endpoint = nonEmpty(env, 'S3_ENDPOINT');
  const accessKeyId = nonEmpty(env, 'S3_ACCESS_KEY');
  const secretAccessKey = nonEmpty(env, 'S3_SECRET_KEY');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new ConfigurationError('S3_ACCESS_KEY and S3_SECRET_KEY must be set together');
  }
  return {
    ...(endpoint !== undefined ? { endpoint } : {}),
    region: nonEmpty(env, 'S3_REGION') ?? nonEmpty(env, 'AWS_REGION') ?? 'us-east-1',
    forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', endpoint !== undefined),
    // AWS honours it; an S3-compatible server must be known to before correctness may rest on it.
    conditionalDelete: bool(env, 'S3_CONDITIONAL_DELETE', endpoint === undefined),
    ...(accessKeyId !== undefined && secretAccessKey !== undefined ? { credentials: { accessKeyId, secretAccessKey } } : {}),
  };
}

function defaultWarehouseLocation(store: StoreConfig, env: Environment): string {
  const bucket = nonEmpty(env, 'WAREHOUSE_BUCKET');
  if (bucket !== undefined) return `s3://${bucket}/warehouse`;
  if (store.kind === 's3') return `s3://${store.bucket}/warehouse`;
  return pathToFileURL(resolve(store.dataDir, 'warehouse')).href;
}

function parseWarehouses(env: Environment, store: StoreConfig): WarehouseConfig[] {
  const spec = nonEmpty(env, 'CATALOG_WAREHOUSES');
  if (spec === undefined) return [{ name: 'default', location: defaultWarehouseLocation(store, env) }];
  const warehouses = spec.split(',').map((entry) => {
    const eq = entry.indexOf('=');
    const name = (eq < 0 ? entry : entry.slice(0, eq)).trim();
    const location = (eq < 0 ? '' : entry.slice(eq + 1)).trim().replace(/\/+$/, '');
    if (!WAREHOUSE_NAME.test(name)) throw new ConfigurationError(`CATALOG_WAREHOUSES: invalid warehouse name '${name}'`);
    // `/v1/namespaces/...` is the un-prefixed form of the routes (core/http/routes.ts): a warehouse
    // named `namespaces` would make `/v1/namespaces/namespaces` mean two things.
    if (RESERVED_WAREHOUSE_NAMES.has(name)) {
      const reserved = [...RESERVED_WAREHOUSE_NAMES].sort().join(', ');
      throw new ConfigurationError(`CATALOG_WAREHOUSES: warehouse name '${name}' is reserved: paths under /v1/${name} are routes without a warehouse prefix; reserved names: ${reserved}`);
    }
    if (!/^[a-z][a-z0-9+.-]*:\/\/./i.test(location)) {
      throw new ConfigurationError(`CATALOG_WAREHOUSES: warehouse '${name}' needs a location URI such as s3://bucket/path`);
    }
    return { name, location };
  });
  const names = new Set(warehouses.map((w) => w.name));
  if (names.size !== warehouses.length) throw new ConfigurationError('CATALOG_WAREHOUSES: duplicate warehouse name');
  return warehouses;
}

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** ISO-8601 durations of days, hours, minutes and seconds (`PT30M`, `P1DT12H`). */
export function parseDuration(name: string, text: string): { iso: string; ms: number } {
  const match = DURATION.exec(text);
  const [d, h, m, sec] = (match ?? []).slice(1).map((v) => Number(v ?? 0));
  const ms = (((d ?? 0) * 24 + (h ?? 0)) * 60 * 60 + (m ?? 0) * 60 + (sec ?? 0)) * 1000;
  if (match === null || text === 'P' || text.endsWith('T') || ms <= 0) throw new ConfigurationError(`${name} must be an ISO-8601 duration such as PT30M; got '${text}'`);
  return { iso: text, ms };
}

const CATALOG_ID = /^[^\u0000-\u001f\u007f]{1,256}$/;

function loadCatalogId(env: Environment, keyPrefix: string): string {
  const id = nonEmpty(env, 'CATALOG_ID') ?? (keyPrefix !== '' ? keyPrefix : 'catalog');
  if (!CATALOG_ID.test(id)) throw new ConfigurationError('CATALOG_ID must be 1 to 256 characters without control characters');
  return id;
}

/** CATALOG_ENCRYPTION and its keys; see RecordEncryptionConfig. Master key values never appear in an error. */
function loadEncryption(env: Environment, store: StoreConfig): RecordEncryptionConfig {
  const kmsKeyId = nonEmpty(env, 'CATALOG_KMS_KEY_ID');
  const masterKey = nonEmpty(env, 'CATALOG_MASTER_KEY');
  const masterKeyFile = nonEmpty(env, 'CATALOG_MASTER_KEY_FILE');
  const allowPlaintextRecords = bool(env, 'CATALOG_ALLOW_PLAINTEXT_RECORDS', false);
  const mode = oneOf(env, 'CATALOG_ENCRYPTION', ['kms', 'local', 'none'], kmsKeyId !== undefined ? 'kms' : 'local');
  const localKey = masterKey !== undefined ? 'CATALOG_MASTER_KEY' : masterKeyFile !== undefined ? 'CATALOG_MASTER_KEY_FILE' : undefined;
  if (mode === 'none') {
    if (!allowPlaintextRecords) {
      throw new ConfigurationError('CATALOG_ENCRYPTION=none stores catalog records unencrypted; set CATALOG_ALLOW_PLAINTEXT_RECORDS=true to confirm');
    }
    const key = kmsKeyId !== undefined ? 'CATALOG_KMS_KEY_ID' : localKey;
    if (key !== undefined) throw new ConfigurationError(`${key} is set but CATALOG_ENCRYPTION=none`);
    return { mode };
  }
  if (mode === 'kms') {
    if (kmsKeyId === undefined) throw new ConfigurationError('CATALOG_ENCRYPTION=kms needs CATALOG_KMS_KEY_ID (a KMS key id, key ARN or alias)');
    if (localKey !== undefined) throw new ConfigurationError(`${localKey} is for CATALOG_ENCRYPTION=local; with KMS (CATALOG_KMS_KEY_ID) leave it unset`);
    const endpoint = nonEmpty(env, 'CATALOG_KMS_ENDPOINT');
    if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/i.test(endpoint)) {
      throw new ConfigurationError(`CATALOG_KMS_ENDPOINT must be an http(s) URL; got '${endpoint}'`);
    }
    const region = nonEmpty(env, 'CATALOG_KMS_REGION') ?? nonEmpty(env, 'AWS_REGION') ?? nonEmpty(env, 'AWS_DEFAULT_REGION') ?? nonEmpty(env, 'S3_REGION') ?? 'us-east-1';
    return { mode, kmsKeyId, region, ...(endpoint !== undefined ? { endpoint } : {}), allowPlaintextRecords };
  }
  if (kmsKeyId !== undefined) throw new ConfigurationError('CATALOG_KMS_KEY_ID is set but CATALOG_ENCRYPTION=local; unset one of them');
  if (masterKey !== undefined && masterKeyFile !== undefined) throw new ConfigurationError('set CATALOG_MASTER_KEY or CATALOG_MASTER_KEY_FILE, not both');
  if (masterKey !== undefined) parseMasterKeyring(masterKey, 'CATALOG_MASTER_KEY');
  if (store.kind === 's3' && localKey === undefined) {
    throw new ConfigurationError(
      'the S3 store needs a key to encrypt catalog records that every process using the bucket shares: set CATALOG_KMS_KEY_ID (AWS KMS), ' +
        'or CATALOG_MASTER_KEY or CATALOG_MASTER_KEY_FILE (a local master key); CATALOG_ENCRYPTION=none with CATALOG_ALLOW_PLAINTEXT_RECORDS=true stores them unencrypted',
    );
  }
  return {
    mode,
    ...(masterKey !== undefined ? { masterKey } : {}),
    masterKeyFile: resolve(masterKeyFile ?? join(store.kind === 'fs' ? store.dataDir : resolve(nonEmpty(env, 'CATALOG_DATA_DIR') ?? '.data'), DEFAULT_MASTER_KEY_FILE)),
    allowPlaintextRecords,
  };
}

/**
 * What a process that only reads and deletes table files needs (the purge worker): how to reach S3
 * and how much to log. It never touches catalog records, so it needs no store, warehouse or
 * encryption settings, and is not refused for lacking them.
 */
export type FileAccessConfig = Pick<CatalogConfig, 's3' | 'logLevel' | 'warehouses'>;

/** The warehouses bound what the worker may delete (core/catalog/locations), so it reads CATALOG_WAREHOUSES too. */
export function loadFileAccessConfig(env: Environment): FileAccessConfig {
  const warehouses = parseWarehouses(env, loadStore(env));
  new LocationConfinement({ warehouses });
  return { s3: loadS3Connection(env), logLevel: oneOf(env, 'CATALOG_LOG_LEVEL', ['debug', 'info', 'warn', 'error'], 'info'), warehouses };
}

const MIN_METADATA_BYTES = 64 * 1024;
const MAX_METADATA_BYTES = 256 * 1024 * 1024;

function loadMaxMetadataBytes(env: Environment): number {
  const text = nonEmpty(env, 'CATALOG_MAX_METADATA_BYTES');
  if (text === undefined) return 4 * 1024 * 1024;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= MIN_METADATA_BYTES && value <= MAX_METADATA_BYTES)) {
    throw new ConfigurationError(`CATALOG_MAX_METADATA_BYTES must be a number of bytes from ${MIN_METADATA_BYTES} to ${MAX_METADATA_BYTES}; got '${text}'`);
  }
  return value;
}

// --- orphan file removal (issue 12, core/maintenance/orphan-files.ts) ---------------------------
/** The same floor as MIN_ORPHAN_AGE_FLOOR_MS there (config may not import core/maintenance). */
const MIN_ORPHAN_FILES_AGE_MS = 60 * 60 * 1000;

function loadOrphanFilesMinAgeMs(env: Environment): number | undefined {
  const text = nonEmpty(env, 'CATALOG_ORPHAN_FILES_MIN_AGE_MS');
  if (text === undefined) return undefined;
  const value = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= MIN_ORPHAN_FILES_AGE_MS)) {
    throw new ConfigurationError(`CATALOG_ORPHAN_FILES_MIN_AGE_MS must be a whole number of milliseconds of at least ${MIN_ORPHAN_FILES_AGE_MS} (1 hour); got '${text}'`);
  }
  return value;
}

function orphanFilesSetting(env: Environment): { orphanFilesMinAgeMs?: number } {
  const value = loadOrphanFilesMinAgeMs(env);
  return value === undefined ? {} : { orphanFilesMinAgeMs: value };
}

/**
 * Refuses at start a layout where a table location could name the catalog's own records or keys
 * (a warehouse containing the record folders or a key file, or inside the record folders), two
 * overlapping warehouses, a warehouse that is a whole catalog bucket, or a warehouse location
 * with a scheme the catalog cannot serve.
 */
function checkConfinement(config: CatalogConfig): void {
  const keyFiles = [config.auth.bootstrapKeyFile, ...(config.encryption.mode === 'local' && config.encryption.masterKey === undefined ? [config.encryption.masterKeyFile] : [])];
  new LocationConfinement({ warehouses: config.warehouses, ownAreas: catalogOwnAreas({ store: config.store, keyPrefix: config.keyPrefix, keyFiles }) });
}

export function loadConfig(env: Environment): CatalogConfig {
  const store = loadStore(env);
  const warehouses = parseWarehouses(env, store);
  const defaultWarehouse = nonEmpty(env, 'CATALOG_DEFAULT_WAREHOUSE') ?? warehouses[0]!.name;
  if (!warehouses.some((w) => w.name === defaultWarehouse)) {
    throw new ConfigurationError(`CATALOG_DEFAULT_WAREHOUSE '${defaultWarehouse}' is not in CATALOG_WAREHOUSES`);
  }
  const keyPrefix = (nonEmpty(env, 'CATALOG_PREFIX') ?? '').replace(/^\/+|\/+$/g, '');
  const namespaceSeparator = nonEmpty(env, 'CATALOG_NAMESPACE_SEPARATOR');
  if (namespaceSeparator !== undefined && /[/?#]/.test(namespaceSeparator)) {
    throw new ConfigurationError('CATALOG_NAMESPACE_SEPARATOR must be url-encoded (e.g. %2E), without / ? #');
  }
  const jobQueueVariable = nonEmpty(env, 'CATALOG_JOB_QUEUE_URL') !== undefined ? 'CATALOG_JOB_QUEUE_URL' : 'CATALOG_PURGE_QUEUE_URL';
  const jobQueueUrl = nonEmpty(env, jobQueueVariable);
  if (jobQueueUrl !== undefined && !/^https?:\/\/[^/\s]+\/\S+$/i.test(jobQueueUrl)) {
    throw new ConfigurationError(`${jobQueueVariable} must be an SQS queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/jobs; got '${jobQueueUrl}'`);
  }
  const s3 = loadS3Connection(env);
  const config: CatalogConfig = {
    store,
    s3,
    keyPrefix,
    warehouses,
    defaultWarehouse,
    ...(namespaceSeparator !== undefined ? { namespaceSeparator } : {}),
    pathEncoding: oneOf(env, 'CATALOG_PATH_ENCODING', ['raw', 'decoded'], 'raw'),
    logLevel: oneOf(env, 'CATALOG_LOG_LEVEL', ['debug', 'info', 'warn', 'error'], 'info'),
    idempotencyLifetime: parseDuration('CATALOG_IDEMPOTENCY_LIFETIME', nonEmpty(env, 'CATALOG_IDEMPOTENCY_LIFETIME') ?? 'PT30M'),
    auth: loadAuthConfig(env, keyPrefix),
    ...(jobQueueUrl !== undefined ? { jobQueueUrl } : {}),
    maintenanceEnabled: oneOf(env, 'CATALOG_MAINTENANCE', ['on', 'off'], 'on') === 'on',
    catalogId: loadCatalogId(env, keyPrefix),
    encryption: loadEncryption(env, store),
    maxMetadataBytes: loadMaxMetadataBytes(env),
    access: loadAccessDelegation(env, s3),
    ...orphanFilesSetting(env),
  };
  checkConfinement(config);
  return config;
}
