import type { OperationId } from '../core/http/routes.js';

/**
 * The permission model, as plain data: what each operation does with storage, and the IAM actions
 * that follow. `sst.config.ts` turns it into one inline policy per function; the unit tests check it
 * against what the operations really do (test/unit/infra/access-trace.test.ts).
 *
 * Each function gets exactly the union of its accesses' grants, on the resource named, and nothing
 * else apart from writing its own logs (SST adds AWSLambdaBasicExecutionRole).
 *
 * What a grant applies to. Catalog records are scoped by key prefix inside the catalog bucket (the
 * deployment sets no CATALOG_PREFIX), so, e.g., a read route's only writes are new audit records and,
 * once ever, the auth secrets record; it cannot touch catalog state or API keys.
 */
export type Target =
  /** The catalog bucket itself (s3:ListBucket). */
  | 'catalogBucket'
  /** `wh/*`: namespaces, table and view pointers, transaction records, idempotency receipts. */
  | 'catalogState'
  /** `sys/auth/*`: API keys, OAuth clients, the auth secrets. */
  | 'authRecords'
  /** `sys/auth/secrets`: created by the first request that needs it (keyed-hash and token-signing keys). */
  | 'authSecrets'
  /** `sys/authz/*`: role bindings and custom policies. */
  | 'authzRecords'
  /** `sys/audit/*`: one new record per mutation and per denial. */
  | 'auditLog'
  /** The warehouse bucket itself (s3:ListBucket). */
  | 'warehouseBucket'
  /** Every object of the warehouse bucket: table metadata files, manifests, data files. */
  | 'warehouseFiles'
  /** The KMS key that wraps the data keys of catalog records. */
  | 'recordKey'
  /** The job queue (purges and maintenance runs, core/maintenance/jobs). */
  | 'jobQueue'
  /** The data-access role: what vended credentials are sessions of (infra/data-access.ts). */
  | 'dataAccessRole';

/** Object keys (relative to the catalog bucket) each catalog target covers: see core/catalog/catalog-keys.ts and core/auth/auth-keys.ts. */
export const CATALOG_KEY_SCOPES = {
  catalogState: 'wh/*',
  authRecords: 'sys/auth/*',
  authSecrets: 'sys/auth/secrets',
  authzRecords: 'sys/authz/*',
  auditLog: 'sys/audit/*',
} as const satisfies Partial<Record<Target, string>>;

/**
 * The catalog targets whose key pattern matches a record key (keys as stored: the deployment sets no
 * prefix). As in IAM, a request is allowed when any of them grants the action: the secrets record is
 * read through `authRecords` and created through `authSecrets`.
 */
export function catalogTargetsOf(key: string): Target[] {
  return (Object.entries(CATALOG_KEY_SCOPES) as [Target, string][])
    .filter(([, scope]) => (scope.endsWith('*') ? key.startsWith(scope.slice(0, -1)) : key === scope))
    .map(([target]) => target);
}

export type IamAction =
  | 's3:GetObject'
  | 's3:PutObject'
  | 's3:DeleteObject'
  | 's3:ListBucket'
  | 's3:AbortMultipartUpload'
  | 's3:ListMultipartUploadParts'
  | 'sts:AssumeRole'
  | 'kms:Decrypt'
  | 'kms:GenerateDataKey'
  | 'sqs:SendMessage'
  | 'sqs:ReceiveMessage'
  | 'sqs:DeleteMessage'
  | 'sqs:GetQueueAttributes';

export interface Grant {
  readonly target: Target;
  readonly actions: readonly IamAction[];
}

/** What a function does, in the catalog's own terms. */
export type Access =
  /** Reads catalog state (pointers, namespaces, transactions, receipts); decrypts records. */
  | 'reads-catalog'
  /** Creates, swaps and deletes catalog state (tombstones, receipts, transaction records); encrypts records. */
  | 'writes-catalog'
  /** Who is calling: API key and OAuth client records, the auth secrets (created on first use). */
  | 'authenticates'
  /** The Cedar decision: role bindings and policies. */
  | 'authorizes'
  /** Appends audit records (mutations before they run, denials before they are answered). */
  | 'audits'
  /** Management API: creates, revokes and deletes API keys and OAuth clients. */
  | 'writes-auth-records'
  /** Management API: creates and deletes role bindings and policies. */
  | 'writes-authz-records'
  /** Reads table metadata files in the warehouse. */
  | 'reads-table-files'
  /** Writes new, immutable table metadata files (If-None-Match: *). */
  | 'writes-table-files'
  /** Tells a missing table file from an unreadable one (registerTable's "does not exist"). */
  | 'finds-table-files'
  /** Hands work to the job worker: a dropped table's or view's files (drops), a table's maintenance run (the schedule). */
  | 'enqueues-jobs'
  /** Deletes table files: the job worker (purges, maintenance) and the maintenance route. */
  | 'deletes-table-files'
  /** Is triggered by the job queue (Lambda's SQS event source polls with the function's role). */
  | 'consumes-job-queue'
  /**
   * Hands out credentials scoped to one table: assumes the data-access role with a session policy
   * narrowing it to the table's prefix (core/access). Nothing else: the S3 rights are the role's.
   */
  | 'vends-credentials'
  /**
   * Signs an engine's S3 requests for one table with the function's own credentials (remote
   * signing). A signature carries the signer's rights, so the role holds exactly what it may sign;
   * which table and which methods a caller may have signed is decided per request (core/access).
   */
  | 'signs-table-requests';

/**
 * The S3 rights an engine may need on table files, and no more: read, write, delete (snapshot
 * expiry, compaction), multipart uploads (PutObject covers create, upload part and complete), and
 * listing (ListBucket; a session policy or the signer confines it to a table's prefix). Both the
 * data-access role and the sign function hold exactly these, on the warehouse bucket only.
 */
export const WAREHOUSE_OBJECT_GRANTS: readonly Grant[] = [
  { target: 'warehouseBucket', actions: ['s3:ListBucket'] },
  { target: 'warehouseFiles', actions: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'] },
];

// ListBucket: without it S3 answers a GET of a missing key with 403 instead of 404, and a missing
// record (an unknown table, a free name, an unknown API key) is an ordinary answer for the catalog.
export const ACCESS_GRANTS: Readonly<Record<Access, readonly Grant[]>> = {
  'reads-catalog': [
    { target: 'catalogBucket', actions: ['s3:ListBucket'] },
    { target: 'catalogState', actions: ['s3:GetObject'] },
    { target: 'recordKey', actions: ['kms:Decrypt'] },
  ],
  'writes-catalog': [
    { target: 'catalogState', actions: ['s3:PutObject', 's3:DeleteObject'] },
    { target: 'recordKey', actions: ['kms:GenerateDataKey'] },
  ],
  authenticates: [
    { target: 'catalogBucket', actions: ['s3:ListBucket'] },
    { target: 'authRecords', actions: ['s3:GetObject'] },
    { target: 'authSecrets', actions: ['s3:PutObject'] },
    { target: 'recordKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'] },
  ],
  authorizes: [
    { target: 'catalogBucket', actions: ['s3:ListBucket'] },
    { target: 'authzRecords', actions: ['s3:GetObject'] },
    { target: 'recordKey', actions: ['kms:Decrypt'] },
  ],
  audits: [
    { target: 'auditLog', actions: ['s3:PutObject'] },
    { target: 'recordKey', actions: ['kms:GenerateDataKey'] },
  ],
  'writes-auth-records': [
    { target: 'authRecords', actions: ['s3:PutObject', 's3:DeleteObject'] },
    { target: 'recordKey', actions: ['kms:GenerateDataKey'] },
  ],
  'writes-authz-records': [
    { target: 'authzRecords', actions: ['s3:PutObject', 's3:DeleteObject'] },
    { target: 'recordKey', actions: ['kms:GenerateDataKey'] },
  ],
  'reads-table-files': [{ target: 'warehouseFiles', actions: ['s3:GetObject'] }],
  // GetObject: after an ambiguous answer to a conditional PUT (a 409, a 5xx, a lost connection) the
  // S3 adapter re-reads the file to learn whether its write landed (core/store/s3-object-store.ts).
  'writes-table-files': [{ target: 'warehouseFiles', actions: ['s3:GetObject', 's3:PutObject'] }],
  'finds-table-files': [{ target: 'warehouseBucket', actions: ['s3:ListBucket'] }],
  'enqueues-jobs': [{ target: 'jobQueue', actions: ['sqs:SendMessage'] }],
  // A purge run again after a crash meets files it already deleted: they must read as missing (404).
  'deletes-table-files': [
    { target: 'warehouseBucket', actions: ['s3:ListBucket'] },
    { target: 'warehouseFiles', actions: ['s3:GetObject', 's3:DeleteObject'] },
  ],
  'consumes-job-queue': [{ target: 'jobQueue', actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'] }],
  // No sts:TagSession: the vendor passes no session tags (a session policy does the scoping).
  'vends-credentials': [{ target: 'dataAccessRole', actions: ['sts:AssumeRole'] }],
  'signs-table-requests': WAREHOUSE_OBJECT_GRANTS,
};

/** The accesses of access delegation: exercised through STS or a signature, never by a store call of the function. */
export const DELEGATION_ACCESS: readonly Access[] = ['vends-credentials', 'signs-table-requests'];

/** Every route that is not public authenticates its caller, asks Cedar, and audits (see functions/lib/route.ts). */
const SECURED: readonly Access[] = ['authenticates', 'authorizes', 'audits'];
const READ: readonly Access[] = [...SECURED, 'reads-catalog'];
const WRITE: readonly Access[] = [...READ, 'writes-catalog'];
const READ_TABLE: readonly Access[] = [...READ, 'reads-table-files'];
const WRITE_TABLE: readonly Access[] = [...WRITE, 'reads-table-files', 'writes-table-files'];
const CREATE_TABLE: readonly Access[] = [...WRITE, 'writes-table-files'];
const MANAGE_KEYS: readonly Access[] = [...SECURED, 'writes-auth-records'];
const MANAGE_POLICIES: readonly Access[] = [...SECURED, 'writes-authz-records'];
/** Routes not built yet (infra/functions.ts also grants nothing to any route while it is planned). */
const NONE: readonly Access[] = [];

/**
 * Derived from what each operation does once live (see core/catalog and core/auth): every write
 * reads first; every writer is idempotent, and releasing an Idempotency-Key after a 5xx deletes its
 * receipt. A route gets these only while its status in core/http/routes.ts is `live`.
 */
export const OPERATION_ACCESS: Readonly<Record<string, readonly Access[]>> = {
  // Its own work needs no storage; authenticating and authorizing the caller does.
  getConfig: SECURED,
  // Public: verifies an OAuth client and signs a token with the auth secrets.
  getToken: ['authenticates'],

  listNamespaces: READ,
  createNamespace: WRITE,
  loadNamespaceMetadata: READ,
  namespaceExists: READ,
  dropNamespace: WRITE,
  updateProperties: WRITE,

  listTables: READ,
  // Writes version 0 of the metadata; reads none. Vends credentials for the new table's location.
  createTable: [...CREATE_TABLE, 'vends-credentials'],
  // Reads the metadata file it is given; writes none.
  registerTable: [...WRITE, 'reads-table-files', 'finds-table-files', 'vends-credentials'],
  // Pointer, then the metadata file (cached per container); credentials for the table's location.
  loadTable: [...READ_TABLE, 'vends-credentials'],
  updateTable: WRITE_TABLE,
  // The drop is the pointer swap; the files are the job worker's.
  dropTable: [...WRITE, 'enqueues-jobs'],
  tableExists: READ,
  // A drop without purge (nothing enqueued) that answers the metadata file of the pointer it retires.
  unregisterTable: [...WRITE, 'reads-table-files'],
  renameTable: WRITE,
  reportMetrics: READ,
  // The table's location (pointer, metadata file), then credentials scoped to it.
  loadCredentials: [...READ_TABLE, 'vends-credentials'],
  // The table's location, then a signature on a request inside it.
  signRequest: [...READ_TABLE, 'signs-table-requests'],

  commitTransaction: WRITE_TABLE,

  // The pointer, the metadata file, then the snapshot's manifest list and manifests (table files).
  planTableScan: READ_TABLE,
  fetchPlanningResult: NONE,
  cancelPlanning: NONE,
  fetchScanTasks: NONE,

  // View metadata files live in the warehouse like table metadata files, with the same rights.
  listViews: READ,
  createView: CREATE_TABLE,
  loadView: READ_TABLE,
  replaceView: WRITE_TABLE,
  // The pointer; the current metadata file is the job worker's (core/catalog/views/drop-view.ts).
  dropView: [...WRITE, 'enqueues-jobs'],
  viewExists: READ,
  renameView: WRITE,
  registerView: [...WRITE, 'reads-table-files', 'finds-table-files'],

  listFunctions: NONE,
  loadFunction: NONE,

  createApiKey: MANAGE_KEYS,
  listApiKeys: SECURED,
  revokeApiKey: MANAGE_KEYS,
  createOAuthClient: MANAGE_KEYS,
  listOAuthClients: SECURED,
  deleteOAuthClient: MANAGE_KEYS,
  createRoleBinding: MANAGE_POLICIES,
  listRoleBindings: SECURED,
  deleteRoleBinding: MANAGE_POLICIES,
  listPolicies: SECURED,
  putPolicy: MANAGE_POLICIES,
  getPolicy: SECURED,
  deletePolicy: MANAGE_POLICIES,
  simulateAuthorization: SECURED,
  getEffectivePermissions: SECURED,
  // Expiry is a commit (pointer swap, new metadata file); then it reads manifest lists and
  // manifests, lists the table location (orphans) and deletes what nothing retained references.
  maintainTable: [...WRITE_TABLE, 'deletes-table-files'],
};

export function accessOf(operationId: OperationId): readonly Access[] {
  const access = OPERATION_ACCESS[operationId];
  if (access === undefined) throw new Error(`infra/permissions.ts lists no access for operation ${operationId}`);
  return access;
}

/**
 * The job worker (functions/jobs/job-worker.ts) runs both kinds of job: a purge reads a dropped
 * table's metadata, manifest lists and manifests and deletes what they list; a maintenance run
 * needs what maintainTable needs without the middleware (the expiry commit, reading manifests,
 * listing a table's location for orphans, deleting) plus the schedule's cursor record.
 */
export const JOB_WORKER_ACCESS: readonly Access[] = ['consumes-job-queue', 'reads-catalog', 'writes-catalog', 'reads-table-files', 'writes-table-files', 'deletes-table-files'];

/** The sweeper: reads catalog state, aborts expired transactions, settles pointers, deletes what is settled. */
export const SWEEPER_ACCESS: readonly Access[] = ['reads-catalog', 'writes-catalog'];

/**
 * Scheduled maintenance (core/maintenance/schedule.ts): lists the table pointers, keeps its cursor
 * record (catalog state) and enqueues one maintain-table job per table; the job worker runs them.
 */
export const MAINTENANCE_ACCESS: readonly Access[] = ['reads-catalog', 'writes-catalog', 'enqueues-jobs'];

/** The union of the grants of `accesses`, one entry per target, actions sorted. */
export function grantsFor(accesses: readonly Access[]): Grant[] {
  const byTarget = new Map<Target, Set<IamAction>>();
  for (const access of accesses) {
    for (const grant of ACCESS_GRANTS[access]) {
      const actions = byTarget.get(grant.target) ?? new Set<IamAction>();
      for (const action of grant.actions) actions.add(action);
      byTarget.set(grant.target, actions);
    }
  }
  return [...byTarget].map(([target, actions]) => ({ target, actions: [...actions].sort() }));
}

export interface PolicyStatement<R> {
  readonly actions: string[];
  readonly resources: R[];
}

/**
 * The ARN (pattern) of a target, from the deployed resources' ARNs: buckets for ListBucket, key
 * patterns inside them for object actions.
 */
export interface DeployedArns {
  readonly catalogBucket: string;
  readonly warehouseBucket: string;
  readonly recordKey: string;
  readonly jobQueue: string;
  readonly dataAccessRole: string;
}

export function targetArn(target: Target, arns: DeployedArns): string {
  switch (target) {
    case 'catalogBucket':
      return arns.catalogBucket;
    case 'catalogState':
    case 'authRecords':
    case 'authSecrets':
    case 'authzRecords':
    case 'auditLog':
      return `${arns.catalogBucket}/${CATALOG_KEY_SCOPES[target]}`;
    case 'warehouseBucket':
      return arns.warehouseBucket;
    case 'warehouseFiles':
      return `${arns.warehouseBucket}/*`;
    case 'recordKey':
      return arns.recordKey;
    case 'jobQueue':
      return arns.jobQueue;
    case 'dataAccessRole':
      return arns.dataAccessRole;
  }
}

/** One IAM statement per grant (grants are already one per target): the function's inline policy. */
export function policyStatements<R>(grants: readonly Grant[], arnOf: (target: Target) => R): PolicyStatement<R>[] {
  return grants.map((grant) => ({ actions: [...grant.actions], resources: [arnOf(grant.target)] }));
}

/** An identity policy document (IAM JSON) of Allow statements, for roles created outside sst.aws.Function. */
export function policyDocument(statements: readonly PolicyStatement<string>[]): { Version: string; Statement: { Effect: 'Allow'; Action: string[]; Resource: string[] }[] } {
  return { Version: '2012-10-17', Statement: statements.map((s) => ({ Effect: 'Allow', Action: [...s.actions], Resource: [...s.resources] })) };
}
