/**
 * App-level settings of the SST deployment, kept out of `sst.config.ts` so that the offline checks
 * (`npm run typecheck:infra`, the unit tests) read the same values the deployment uses.
 */
export const APP_NAME = 'iceberg-catalog';

/**
 * The `@pulumi/aws` provider version, pinned so that a deploy never picks up a newer provider on its
 * own. Keep it equal to the version the pinned `sst` platform was built against (its
 * `.sst/platform/package.json`); `infra/platform/prepare-platform.ts` warns when they differ.
 */
export const AWS_PROVIDER_VERSION = '7.20.0';

/** Stages whose data survives `sst remove`: buckets and the KMS key are retained. */
export const PROTECTED_STAGES: readonly string[] = ['production'];

export const DEFAULT_REGION = 'us-east-1';

/** CloudWatch log retention of every function and of the API's access log. */
export const LOG_RETENTION = '1 month';

/** Noncurrent object versions (every record swap leaves one) expire after this many days. */
export const NONCURRENT_VERSION_DAYS = 30;
export const INCOMPLETE_UPLOAD_DAYS = 7;

/** A job (purge, maintenance run) is tried this many times before it moves to the dead-letter queue. */
export const JOB_RETRIES = 5;
