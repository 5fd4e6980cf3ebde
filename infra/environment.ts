import { MAX_CHAINED_SESSION_SECONDS, MIN_SESSION_SECONDS } from './data-access.js';
import type { Access } from './permissions.js';

/**
 * The environment of every function: the settings README.md's configuration table describes, with
 * the values of this deployment. Plain strings in, so the same code serves sst.config.ts (inside an
 * `apply` over the resource names) and the unit tests.
 *
 * Buckets and the queue are passed by name rather than SST `link`: a link grants `s3:*` / `sqs:*` on
 * the linked resource, and each function's permissions are narrower than that (infra/permissions.ts).
 */
export interface DeployedResources {
  readonly catalogBucket: string;
  readonly warehouseBucket: string;
  readonly recordKeyArn: string;
  readonly jobQueueUrl: string;
  /** The data-access role (infra/data-access.ts) that vending functions assume. */
  readonly dataAccessRoleArn: string;
}

/** `sst dev` against MinIO (or any S3-compatible server): records and table files go there. */
export interface DevStorage {
  readonly endpoint: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly catalogBucket: string;
  readonly warehouseBucket: string;
}

export const WAREHOUSE_NAME = 'default';
/** Table locations live under this prefix of the warehouse bucket. */
export const WAREHOUSE_PREFIX = 'warehouse';

/**
 * The KMS key that wraps the data keys of catalog records (envelope encryption, core/crypto). Every
 * route function gets the same record settings (core/config.ts validates them at every cold start),
 * but only functions whose policy grants the key (infra/permissions.ts, `recordKey`) can use it.
 */
export const RECORD_KEY_VARIABLE = 'CATALOG_KMS_KEY_ID';
/** A deployed catalog always encrypts its records with KMS. */
export const ENCRYPTION_VARIABLE = 'CATALOG_ENCRYPTION';
/** Where drops send purge jobs and the schedule maintenance jobs (core/maintenance/jobs/sqs-job-queue.ts). */
export const JOB_QUEUE_VARIABLE = 'CATALOG_JOB_QUEUE_URL';
/** The role vending functions assume to hand out table-scoped credentials (core/config.ts, core/access). */
export const DATA_ACCESS_ROLE_VARIABLE = 'CATALOG_DATA_ACCESS_ROLE_ARN';
/** How long vended credentials live; passed through from the deployer, at most MAX_CHAINED_SESSION_SECONDS. */
export const VENDED_CREDENTIALS_SECONDS_VARIABLE = 'CATALOG_VENDED_CREDENTIALS_SECONDS';

export function warehouseLocation(bucket: string): string {
  return `s3://${bucket}/${WAREHOUSE_PREFIX}`;
}

/**
 * Settings of the catalog's authentication (README.md, issue 5) that a deployer may pass: copied from
 * the environment of `sst deploy` when set. `CATALOG_AUTH` is deliberately absent: a deployed catalog
 * always authenticates.
 */
export const PASSED_THROUGH_SETTINGS: readonly string[] = [
  'CATALOG_OIDC_ISSUER',
  'CATALOG_OIDC_AUDIENCE',
  'CATALOG_OIDC_JWKS_URI',
  'CATALOG_OIDC_JWKS',
  'CATALOG_OIDC_ALGORITHMS',
  'CATALOG_OIDC_PRINCIPAL_CLAIM',
  'CATALOG_OIDC_GROUPS_CLAIM',
  'CATALOG_TOKEN_ISSUER',
  'CATALOG_TOKEN_LIFETIME',
  'CATALOG_AUTH_ADMINS',
  'CATALOG_AUTH_CLOCK_SKEW',
  'CATALOG_AUTH_CACHE_TTL',
  'CATALOG_IDEMPOTENCY_LIFETIME',
  'CATALOG_LOG_LEVEL',
  'CATALOG_ID',
  VENDED_CREDENTIALS_SECONDS_VARIABLE,
];

export function passedThroughSettings(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const settings: Record<string, string> = Object.fromEntries(PASSED_THROUGH_SETTINGS.flatMap((name) => (env[name] !== undefined && env[name] !== '' ? [[name, env[name]!]] : [])));
  // core/config.ts accepts STS's own bounds (up to 12 h); from a Lambda function AssumeRole is role
  // chaining, which AWS refuses above one hour: refuse it at deploy rather than on every vend.
  const seconds = settings[VENDED_CREDENTIALS_SECONDS_VARIABLE];
  if (seconds !== undefined && !(/^\d+$/.test(seconds) && Number(seconds) >= MIN_SESSION_SECONDS && Number(seconds) <= MAX_CHAINED_SESSION_SECONDS)) {
    throw new Error(`${VENDED_CREDENTIALS_SECONDS_VARIABLE} must be ${MIN_SESSION_SECONDS} to ${MAX_CHAINED_SESSION_SECONDS} seconds on AWS (role chaining from Lambda caps sessions at one hour); got '${seconds}'`);
  }
  return settings;
}

export function functionEnvironment(
  access: readonly Access[],
  resources: DeployedResources,
  dev?: DevStorage,
  settings: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const catalogBucket = dev?.catalogBucket ?? resources.catalogBucket;
  const warehouseBucket = dev?.warehouseBucket ?? resources.warehouseBucket;
  const env: Record<string, string> = {
    CATALOG_STORE: 's3',
    CATALOG_BUCKET: catalogBucket,
    CATALOG_WAREHOUSES: `${WAREHOUSE_NAME}=${warehouseLocation(warehouseBucket)}`,
    // HTTP APIs decode the path before the function sees it.
    CATALOG_PATH_ENCODING: 'decoded',
    CATALOG_LOG_LEVEL: 'info',
    ...settings,
  };
  // Every route function loads the catalog configuration (functions/lib/catalog-context.ts), which
  // requires the record settings, even where its policy grants no use of the key (planned routes);
  // so do the background functions (the job worker's maintenance runs commit). Set after the
  // settings: a deployment cannot switch encryption off or to a local key.
  env[ENCRYPTION_VARIABLE] = 'kms';
  env[RECORD_KEY_VARIABLE] = resources.recordKeyArn;
  if (access.includes('enqueues-jobs')) env[JOB_QUEUE_VARIABLE] = resources.jobQueueUrl;
  // Only functions that vend learn the role. Under `sst dev` the store is MinIO, whose STS is not
  // AWS's: vending is off there (core/config.ts refuses a role with S3_ENDPOINT and no STS endpoint).
  if (access.includes('vends-credentials') && dev === undefined) env[DATA_ACCESS_ROLE_VARIABLE] = resources.dataAccessRoleArn;
  if (dev !== undefined) {
    env['S3_ENDPOINT'] = dev.endpoint;
    env['S3_FORCE_PATH_STYLE'] = 'true';
    env['S3_ACCESS_KEY'] = dev.accessKey;
    env['S3_SECRET_KEY'] = dev.secretKey;
  }
  return env;
}

/**
 * `sst dev` only: the S3-compatible server the functions (running on the developer's machine) use,
 * from the deployer's environment. Defaults fit `minio server` with its default credentials.
 */
export function devStorageFrom(env: Readonly<Record<string, string | undefined>>): DevStorage {
  return {
    endpoint: env['DEV_S3_ENDPOINT'] ?? 'http://127.0.0.1:9000',
    accessKey: env['DEV_S3_ACCESS_KEY'] ?? 'minioadmin',
    secretKey: env['DEV_S3_SECRET_KEY'] ?? 'minioadmin',
    catalogBucket: env['DEV_CATALOG_BUCKET'] ?? 'iceberg-catalog',
    warehouseBucket: env['DEV_WAREHOUSE_BUCKET'] ?? 'iceberg-warehouse',
  };
}
