import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeManifestList } from '../../../core/avro/index.js';
import { beginIdempotent, finishIdempotent } from '../../../core/catalog/idempotency/idempotency.js';
import type { CatalogContext } from '../../../core/catalog/context.js';
import type { Job, JobQueue } from '../../../core/maintenance/jobs/job-queue.js';
import { createCatalogContext } from '../../../core/catalog-runtime.js';
import { loadConfig, type CatalogConfig } from '../../../core/config.js';
import type { Operation, OperationRequest } from '../../../core/http/operation.js';
import { routeFor, type OperationId } from '../../../core/http/routes.js';
import type { JsonValue } from '../../../core/json/lossless-json.js';
import { MemoryObjectStore } from '../../../core/store/memory-object-store.js';
import type { ListOptions, ListPage, ObjectStore, StoredObject, WriteResult } from '../../../core/store/object-store.js';
import { S3FileIO } from '../../../core/store/s3-file-io.js';
import { ROUTE_FUNCTIONS } from '../../../infra/functions.js';
import { ACCESS_GRANTS, catalogTargetsOf, DELEGATION_ACCESS, grantsFor, type Access, type Target } from '../../../infra/permissions.js';
import { appendCommit, createTableBody, tableState } from '../../support/table-requests.js';
import { aCreateViewRequest, aViewCommit, type ViewMetadataJson } from '../../support/view-fixtures.js';

/**
 * Runs every live catalog operation against stores that enforce that operation's IAM policy
 * (infra/permissions.ts) the way S3 would: an action the policy does not grant fails with 403, and
 * a GET of a missing key is a 403 too unless the policy grants ListBucket. It checks that
 *
 * - the operations still answer as they should under exactly that policy,
 * - they attempt nothing outside it (apart from the best-effort deletions listed below), and
 * - everything the policy grants for the operation's own work is used by at least one scenario.
 *
 * KMS is counted as the records codec will use it: a record read needs Decrypt, a record written
 * GenerateDataKey. The accesses of the middleware (authenticates, authorizes, audits) are checked
 * against the key layout in permissions.test.ts; here the operations' own work is traced.
 */

const WAREHOUSE_BUCKET = 'warehouse-bucket';
const MIDDLEWARE: readonly Access[] = ['authenticates', 'authorizes', 'audits'];

/**
 * Attempts the policy refuses on purpose. The code treats each as best effort: a metadata file that
 * no pointer references (a lost race, a failed create, an expired metadata log entry with
 * write.metadata.delete-after-commit.enabled) is left behind instead of deleted, because only the
 * purge worker may delete from the warehouse.
 */
const TOLERATED_DENIALS: ReadonlySet<string> = new Set(['warehouseFiles s3:DeleteObject']);

/**
 * The same for the auth middleware: an API key's `lastUsedAt` is rewritten in its record at most
 * once per resolution period (core/auth/api-keys.ts, "never fails a request"). Granting that would
 * let every route rewrite API key records (un-revoke a key), so only the management routes keep it
 * up to date; a separate last-used object per key would let it be granted narrowly.
 */
const TOLERATED_AUTH_DENIALS: ReadonlySet<string> = new Set(['authRecords s3:PutObject']);

/**
 * Grants only the S3 adapter exercises: after an ambiguous answer to a conditional PUT it re-reads
 * the object (core/store/s3-object-store.ts). The memory store never answers ambiguously.
 */
const ADAPTER_ONLY: ReadonlySet<string> = new Set(['warehouseFiles s3:GetObject']);

/**
 * Grants an operation holds for paths its scenario does not reach. maintainTable takes no
 * Idempotency-Key (whose release is how the other writers use catalogState DeleteObject); it deletes
 * catalog state only when it meets a leftover of a writer that died: its orphan step's walk of the
 * warehouse sweeps an expired transitional pointer it lists (isListedPointerLive), and its commit
 * retires a pointer an aborted transaction left (resolve-pointer.ts).
 */
const UNREACHED: Partial<Record<OperationId, ReadonlySet<string>>> = { maintainTable: new Set(['catalogState s3:DeleteObject']) };

type Attempt = `${Target} ${string}`;

class AccessDenied extends Error {
  override readonly name = 'AccessDenied';
  readonly $metadata = { httpStatusCode: 403 };
}

function catalogTargets(key: string): Target[] {
  const targets = catalogTargetsOf(key);
  if (targets.length === 0) throw new Error(`record key ${key} is outside every key scope of infra/permissions.ts`);
  return targets;
}

class Policy {
  readonly attempts = new Set<Attempt>();
  granted = new Set<string>();
  enforcing = false;

  allow(accesses: readonly Access[]): void {
    this.granted = new Set(grantsFor(accesses).flatMap((g) => g.actions.map((a) => `${g.target} ${a}`)));
    this.attempts.clear();
    this.enforcing = true;
  }

  /** Allowed when any of `targets` (the patterns that match the key) grants `action`, as in IAM. */
  check(targets: Target | readonly Target[], action: string): void {
    if (!this.enforcing) return;
    const candidates: Attempt[] = (typeof targets === 'string' ? [targets] : targets).map((t) => `${t} ${action}` as Attempt);
    const allowed = candidates.find((a) => this.granted.has(a));
    this.attempts.add(allowed ?? candidates[0]!);
    if (allowed === undefined) throw new AccessDenied(`${candidates.join(' or ')} is not granted`);
  }
}

/** An object store that asks the policy first, as S3 asks IAM. */
class PolicedStore implements ObjectStore {
  readonly capabilities = { conditionalDelete: false };

  constructor(
    private readonly inner: ObjectStore,
    private readonly policy: Policy,
    private readonly objectTargets: (key: string) => Target | readonly Target[],
    private readonly bucketTarget: Target,
    private readonly usesRecordKey: boolean,
  ) {}

  private object(key: string, action: string): void {
    this.policy.check(this.objectTargets(key), action);
    if (!this.usesRecordKey) return;
    this.policy.check('recordKey', action === 's3:GetObject' ? 'kms:Decrypt' : 'kms:GenerateDataKey');
  }

  async get(key: string): Promise<StoredObject | undefined> {
    this.policy.check(this.objectTargets(key), 's3:GetObject');
    const found = await this.inner.get(key);
    if (found === undefined) this.policy.check(this.bucketTarget, 's3:ListBucket');
    else if (this.usesRecordKey) this.policy.check('recordKey', 'kms:Decrypt');
    return found;
  }

  async putIfAbsent(key: string, body: Uint8Array): Promise<WriteResult> {
    this.object(key, 's3:PutObject');
    return this.inner.putIfAbsent(key, body);
  }

  async putIfMatch(key: string, body: Uint8Array, etag: string): Promise<WriteResult> {
    this.object(key, 's3:PutObject');
    return this.inner.putIfMatch(key, body, etag);
  }

  async put(key: string, body: Uint8Array): Promise<{ etag: string }> {
    this.object(key, 's3:PutObject');
    return this.inner.put(key, body);
  }

  async delete(key: string, options?: { ifMatch?: string }): Promise<{ deleted: boolean }> {
    this.policy.check(this.objectTargets(key), 's3:DeleteObject');
    return this.inner.delete(key, options);
  }

  async list(options: ListOptions): Promise<ListPage> {
    this.policy.check(this.bucketTarget, 's3:ListBucket');
    return this.inner.list(options);
  }
}

class PolicedQueue implements JobQueue {
  readonly jobs: Job[] = [];
  constructor(private readonly policy: Policy) {}
  async enqueue(job: Job): Promise<void> {
    this.policy.check('jobQueue', 'sqs:SendMessage');
    this.jobs.push(job);
  }
}

interface World {
  readonly policy: Policy;
  readonly config: CatalogConfig;
  readonly catalog: MemoryObjectStore;
  readonly warehouse: MemoryObjectStore;
  /** A context whose caches are empty, as in a fresh container. */
  freshContext(): Promise<CatalogContext>;
}

let dataDir: string;
let config: CatalogConfig;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'infra-trace-'));
  config = loadConfig({
    CATALOG_STORE: 'fs',
    CATALOG_DATA_DIR: dataDir,
    CATALOG_WAREHOUSES: `default=s3://${WAREHOUSE_BUCKET}/warehouse`,
    CATALOG_LOG_LEVEL: 'error',
  });
});

after(() => rm(dataDir, { recursive: true, force: true }));

function world(): World {
  const policy = new Policy();
  const catalog = new MemoryObjectStore();
  const warehouse = new MemoryObjectStore();
  const queue = new PolicedQueue(policy);
  return {
    policy,
    config,
    catalog,
    warehouse,
    freshContext: () =>
      createCatalogContext(config, {
        objects: new PolicedStore(catalog, policy, catalogTargets, 'catalogBucket', true),
        files: new S3FileIO(async (bucket) => {
          assert.equal(bucket, WAREHOUSE_BUCKET, 'table files stay in the warehouse bucket');
          return new PolicedStore(warehouse, policy, () => 'warehouseFiles', 'warehouseBucket', false);
        }, [WAREHOUSE_BUCKET]),
        jobs: queue,
      }),
  };
}

const kebab = (id: string) => id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

async function operation(operationId: OperationId): Promise<Operation> {
  if (operationId === 'signRequest') {
    // The signature is made with the function's own credentials, not through a store: a stub signer.
    const { signRequestOperation } = await import('../../../core/http/operations/sign-request.js');
    return signRequestOperation({ signer: { sign: async () => ({ authorization: 'AWS4-HMAC-SHA256 stub' }) }, log: () => undefined });
  }
  // The one management operation that works on tables lives with the other management operations.
  const folder = routeFor(operationId).path.startsWith('/management/') ? 'management/' : '';
  const module = (await import(`../../../core/http/operations/${folder}${kebab(operationId)}.js`)) as Record<string, Operation>;
  const op = module[operationId];
  assert.ok(op !== undefined, `core/http/operations/${kebab(operationId)}.ts exports ${operationId}`);
  return op;
}

interface Call {
  readonly path?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
}

async function call(ctx: CatalogContext, operationId: OperationId, input: Call = {}): Promise<number> {
  const request: OperationRequest = {
    route: routeFor(operationId),
    requestId: `trace-${operationId}`,
    pathParams: { prefix: 'default', ...input.path },
    query: new Map(Object.entries(input.query ?? {})),
    headers: {},
    body: input.body as JsonValue | undefined,
  };
  try {
    return (await (await operation(operationId))(request, ctx)).status;
  } catch (error) {
    if (error instanceof AccessDenied) throw error;
    const status = (error as { status?: number }).status;
    if (typeof status === 'number') return status;
    throw error;
  }
}

/** An Idempotency-Key claimed, answered (stored for replay), and one released after a 5xx. */
async function idempotentRetry(ctx: CatalogContext, operationId: OperationId): Promise<void> {
  for (const status of [200, 503]) {
    const scope = { warehouse: 'default', caller: 'trace', method: 'POST', path: `/trace/${operationId}/${status}`, key: `k-${status}`, body: '{}' };
    const start = await beginIdempotent(ctx, scope, 60_000);
    assert.equal(start.kind, 'execute');
    if (start.kind === 'execute') await finishIdempotent(ctx, start, { status, headers: {} });
  }
}

const NS = { namespace: 'sales' };
const TABLE = { namespace: 'sales', table: 'orders' };
const VIEW = { namespace: 'sales', view: 'orders_view' };

interface Seeded {
  readonly metadataLocation: string;
  readonly state: ReturnType<typeof tableState>;
  readonly view: { readonly metadataLocation: string; readonly metadata: ViewMetadataJson };
}

/** A namespace `sales` with table `orders` and view `orders_view` (and an empty namespace `spare`), written without a policy. */
async function seed(w: World): Promise<Seeded> {
  const ctx = await w.freshContext();
  assert.equal(await call(ctx, 'createNamespace', { body: { namespace: ['sales'] } }), 200);
  assert.equal(await call(ctx, 'createNamespace', { body: { namespace: ['spare'] } }), 200);
  const create = await (await operation('createTable'))(
    { route: routeFor('createTable'), requestId: 'seed', pathParams: { prefix: 'default', ...NS }, query: new Map(), headers: {}, body: createTableBody('orders') as JsonValue },
    ctx,
  );
  const body = create.body as { 'metadata-location': string; metadata: Record<string, unknown> };
  const view = await (await operation('createView'))(
    { route: routeFor('createView'), requestId: 'seed', pathParams: { prefix: 'default', ...NS }, query: new Map(), headers: {}, body: aCreateViewRequest('orders_view') as unknown as JsonValue },
    ctx,
  );
  const viewBody = view.body as { 'metadata-location': string; metadata: ViewMetadataJson };
  return { metadataLocation: body['metadata-location'], state: tableState(body.metadata), view: { metadataLocation: viewBody['metadata-location'], metadata: viewBody.metadata } };
}

/** Each live operation: what it is asked to do, and the statuses it must answer under its policy. */
const SCENARIOS: Partial<Record<OperationId, (ctx: CatalogContext, seeded: Seeded) => Promise<number[]>>> = {
  getConfig: async (ctx) => [await call(ctx, 'getConfig')],
  listNamespaces: async (ctx) => [await call(ctx, 'listNamespaces'), await call(ctx, 'listNamespaces', { query: { parent: 'sales' } }), await call(ctx, 'listNamespaces', { query: { parent: 'nope' } })],
  createNamespace: async (ctx) => {
    const statuses = [
      await call(ctx, 'createNamespace', { body: { namespace: ['new'] } }),
      await call(ctx, 'createNamespace', { body: { namespace: ['sales', 'eu'] } }),
      await call(ctx, 'createNamespace', { body: { namespace: ['sales'] } }),
    ];
    await idempotentRetry(ctx, 'createNamespace');
    return statuses;
  },
  loadNamespaceMetadata: async (ctx) => [await call(ctx, 'loadNamespaceMetadata', { path: NS }), await call(ctx, 'loadNamespaceMetadata', { path: { namespace: 'nope' } })],
  namespaceExists: async (ctx) => [await call(ctx, 'namespaceExists', { path: NS }), await call(ctx, 'namespaceExists', { path: { namespace: 'nope' } })],
  dropNamespace: async (ctx) => {
    const statuses = [await call(ctx, 'dropNamespace', { path: { namespace: 'spare' } }), await call(ctx, 'dropNamespace', { path: NS })];
    await idempotentRetry(ctx, 'dropNamespace');
    return statuses;
  },
  updateProperties: async (ctx) => {
    const statuses = [await call(ctx, 'updateProperties', { path: NS, body: { updates: { owner: 'bi' }, removals: [] } })];
    await idempotentRetry(ctx, 'updateProperties');
    return statuses;
  },
  listTables: async (ctx) => [await call(ctx, 'listTables', { path: NS }), await call(ctx, 'listTables', { path: { namespace: 'nope' } })],
  createTable: async (ctx) => {
    const statuses = [
      await call(ctx, 'createTable', { path: NS, body: createTableBody('events') }),
      // The name is taken: the metadata file written first is discarded (best effort, see above).
      await call(ctx, 'createTable', { path: NS, body: createTableBody('orders') }),
    ];
    await idempotentRetry(ctx, 'createTable');
    return statuses;
  },
  registerTable: async (ctx, seeded) => {
    const statuses = [
      await call(ctx, 'registerTable', { path: NS, body: { name: 'orders_copy', 'metadata-location': seeded.metadataLocation } }),
      await call(ctx, 'registerTable', { path: NS, body: { name: 'ghost', 'metadata-location': `s3://${WAREHOUSE_BUCKET}/warehouse/sales/none.metadata.json` } }),
    ];
    await idempotentRetry(ctx, 'registerTable');
    return statuses;
  },
  loadTable: async (ctx) => [await call(ctx, 'loadTable', { path: TABLE }), await call(ctx, 'loadTable', { path: { ...NS, table: 'nope' } })],
  planTableScan: async (ctx) => [await call(ctx, 'planTableScan', { path: TABLE, body: {} }), await call(ctx, 'planTableScan', { path: { ...NS, table: 'nope' }, body: {} })],
  updateTable: async (ctx, seeded) => {
    const statuses = [
      await call(ctx, 'updateTable', { path: TABLE, body: appendCommit(seeded.state, 1001n) }),
      // Stale requirement: 409, nothing written.
      await call(ctx, 'updateTable', { path: TABLE, body: appendCommit(seeded.state, 1002n) }),
    ];
    await idempotentRetry(ctx, 'updateTable');
    return statuses;
  },
  dropTable: async (ctx) => {
    const statuses = [await call(ctx, 'dropTable', { path: TABLE, query: { purgeRequested: 'true' } }), await call(ctx, 'dropTable', { path: TABLE })];
    await idempotentRetry(ctx, 'dropTable');
    return statuses;
  },
  unregisterTable: async (ctx) => {
    const statuses = [await call(ctx, 'unregisterTable', { path: TABLE }), await call(ctx, 'unregisterTable', { path: TABLE })];
    await idempotentRetry(ctx, 'unregisterTable');
    return statuses;
  },
  loadCredentials: async (ctx) => [await call(ctx, 'loadCredentials', { path: TABLE }), await call(ctx, 'loadCredentials', { path: { ...NS, table: 'nope' } })],
  signRequest: async (ctx, seeded) => {
    const key = `${seeded.metadataLocation.replace(`s3://${WAREHOUSE_BUCKET}/`, '').replace(/\/metadata\/[^/]+$/, '')}/data/f.parquet`;
    // A GET of a file inside the table's location, as an engine asks for it (AWS endpoint, virtual-hosted).
    const body = { region: 'us-east-1', uri: `https://${WAREHOUSE_BUCKET}.s3.us-east-1.amazonaws.com/${key}`, method: 'GET', headers: {} };
    return [await call(ctx, 'signRequest', { path: TABLE, body }), await call(ctx, 'signRequest', { path: { ...NS, table: 'nope' }, body })];
  },
  tableExists: async (ctx) => [await call(ctx, 'tableExists', { path: TABLE }), await call(ctx, 'tableExists', { path: { ...NS, table: 'nope' } })],
  renameTable: async (ctx) => {
    const statuses = [
      await call(ctx, 'renameTable', { body: { source: { namespace: ['sales'], name: 'orders' }, destination: { namespace: ['sales'], name: 'orders_v2' } } }),
      await call(ctx, 'renameTable', { body: { source: { namespace: ['sales'], name: 'orders' }, destination: { namespace: ['sales'], name: 'x' } } }),
    ];
    await idempotentRetry(ctx, 'renameTable');
    return statuses;
  },
  reportMetrics: async (ctx) => [
    await call(ctx, 'reportMetrics', {
      path: TABLE,
      body: { 'report-type': 'commit-report', 'table-name': 'sales.orders', 'snapshot-id': 1, 'sequence-number': 1, operation: 'append', metrics: {} },
    }),
    await call(ctx, 'reportMetrics', {
      path: { ...NS, table: 'nope' },
      body: { 'report-type': 'commit-report', 'table-name': 'sales.nope', 'snapshot-id': 1, 'sequence-number': 1, operation: 'append', metrics: {} },
    }),
  ],
  commitTransaction: async (ctx, seeded) => {
    const change = { identifier: { namespace: ['sales'], name: 'orders' }, ...appendCommit(seeded.state, 2001n) };
    const statuses = [await call(ctx, 'commitTransaction', { body: { 'table-changes': [change] } })];
    await idempotentRetry(ctx, 'commitTransaction');
    return statuses;
  },
  listViews: async (ctx) => [await call(ctx, 'listViews', { path: NS }), await call(ctx, 'listViews', { path: { namespace: 'nope' } })],
  createView: async (ctx) => {
    const statuses = [
      await call(ctx, 'createView', { path: NS, body: aCreateViewRequest('daily') }),
      // The name is taken by a view, then by a table: the metadata file written first is discarded (best effort).
      await call(ctx, 'createView', { path: NS, body: aCreateViewRequest('orders_view') }),
      await call(ctx, 'createView', { path: NS, body: aCreateViewRequest('orders') }),
    ];
    await idempotentRetry(ctx, 'createView');
    return statuses;
  },
  loadView: async (ctx) => [await call(ctx, 'loadView', { path: VIEW }), await call(ctx, 'loadView', { path: { ...NS, view: 'nope' } })],
  replaceView: async (ctx, seeded) => {
    const statuses = [
      await call(ctx, 'replaceView', { path: VIEW, body: aViewCommit(seeded.view.metadata, [{ action: 'set-properties', updates: { owner: 'bi' } }]) }),
      // A failed requirement: 409, nothing written.
      await call(ctx, 'replaceView', { path: VIEW, body: aViewCommit({ ...seeded.view.metadata, 'view-uuid': 'other' }, [{ action: 'set-properties', updates: { a: 'b' } }]) }),
    ];
    await idempotentRetry(ctx, 'replaceView');
    return statuses;
  },
  dropView: async (ctx) => {
    const statuses = [await call(ctx, 'dropView', { path: VIEW }), await call(ctx, 'dropView', { path: VIEW })];
    await idempotentRetry(ctx, 'dropView');
    return statuses;
  },
  viewExists: async (ctx) => [await call(ctx, 'viewExists', { path: VIEW }), await call(ctx, 'viewExists', { path: { ...NS, view: 'nope' } })],
  renameView: async (ctx) => {
    const statuses = [
      await call(ctx, 'renameView', { body: { source: { namespace: ['sales'], name: 'orders_view' }, destination: { namespace: ['spare'], name: 'orders_view' } } }),
      await call(ctx, 'renameView', { body: { source: { namespace: ['sales'], name: 'orders_view' }, destination: { namespace: ['sales'], name: 'x' } } }),
    ];
    await idempotentRetry(ctx, 'renameView');
    return statuses;
  },
  registerView: async (ctx, seeded) => {
    const statuses = [
      await call(ctx, 'registerView', { path: NS, body: { name: 'orders_view_copy', 'metadata-location': seeded.view.metadataLocation } }),
      await call(ctx, 'registerView', { path: NS, body: { name: 'ghost', 'metadata-location': `s3://${WAREHOUSE_BUCKET}/warehouse/sales/none.metadata.json` } }),
    ];
    await idempotentRetry(ctx, 'registerView');
    return statuses;
  },
  // Two appends with a 1 ms max age, then a dry run and real runs: the expiry commit (pointer and
  // metadata file), the read of the manifest lists and the deletes. `orphans: false`: the traced
  // memory store lists no file times, which orphan removal needs (it uses the same listing grant).
  maintainTable: async (ctx, seeded) => {
    const setup = [
      await call(ctx, 'updateTable', { path: TABLE, body: { requirements: [], updates: [{ action: 'set-properties', updates: { 'history.expire.max-snapshot-age-ms': '1' } }] } }),
      await call(ctx, 'updateTable', { path: TABLE, body: appendCommit(seeded.state, 3001n) }),
    ];
    assert.deepEqual(setup, [200, 200]);
    // Real (empty) manifest lists, so that the expired one is read and deleted.
    for (const [id, parent] of [[3001n, seeded.state.mainSnapshotId], [3002n, 3001n]] as const) {
      await ctx.files.create(`${seeded.state.location}/metadata/snap-${id}.avro`, writeManifestList([], { formatVersion: 2, snapshotId: id, parentSnapshotId: parent, sequenceNumber: seeded.state.lastSequenceNumber + 1n }));
    }
    const state = { ...seeded.state, mainSnapshotId: 3001n, lastSequenceNumber: seeded.state.lastSequenceNumber + 1n };
    const appended = await call(ctx, 'updateTable', { path: TABLE, body: appendCommit(state, 3002n) });
    await new Promise((resolve) => setTimeout(resolve, 5));
    return [
      appended,
      await call(ctx, 'maintainTable', { path: TABLE, body: { dryRun: true, orphans: false } }),
      await call(ctx, 'maintainTable', { path: TABLE, body: { orphans: false } }),
      // Meets the expired list it deleted (found again through the metadata log): it must read as missing.
      await call(ctx, 'maintainTable', { path: TABLE, body: { orphans: false } }),
      await call(ctx, 'maintainTable', { path: { ...NS, table: 'nope' }, body: {} }),
    ];
  },
};

const EXPECTED_STATUSES: Partial<Record<OperationId, number[]>> = {
  getConfig: [200],
  listNamespaces: [200, 200, 404],
  createNamespace: [200, 200, 409],
  loadNamespaceMetadata: [200, 404],
  namespaceExists: [204, 404],
  dropNamespace: [204, 409],
  updateProperties: [200],
  listTables: [200, 404],
  createTable: [200, 409],
  registerTable: [200, 400],
  loadTable: [200, 404],
  planTableScan: [200, 404],
  updateTable: [200, 409],
  dropTable: [204, 404],
  unregisterTable: [200, 404],
  loadCredentials: [200, 404],
  // The operation's own not-found; the route answers it 400 (the spec lists no 404 for signRequest:
  // core/http/error-response.ts), which the IAM trace does not see.
  signRequest: [200, 404],
  tableExists: [204, 404],
  renameTable: [204, 404],
  reportMetrics: [204, 404],
  commitTransaction: [204],
  listViews: [200, 404],
  createView: [200, 409, 409],
  loadView: [200, 404],
  replaceView: [200, 409],
  dropView: [204, 404],
  viewExists: [204, 404],
  renameView: [204, 404],
  registerView: [200, 400],
  maintainTable: [200, 200, 200, 200, 404],
};

/** Management routes touch only auth records (permissions.test.ts checks them), except maintainTable, which works on a table. */
const catalogRoutes = ROUTE_FUNCTIONS.filter((f) => f.live && f.operationId !== undefined && (!routeFor(f.operationId).path.startsWith('/management/') || f.operationId === 'maintainTable') && f.operationId !== 'getToken');

test('every live catalog operation has a traced scenario', () => {
  assert.deepEqual(catalogRoutes.map((f) => f.operationId).filter((id) => SCENARIOS[id!] === undefined), []);
});

for (const fn of catalogRoutes) {
  const operationId = fn.operationId!;
  test(`${operationId} works under exactly its IAM policy, and needs all of it`, async () => {
    const w = world();
    const seeded = await seed(w);
    const ctx = await w.freshContext();
    w.policy.allow(fn.access);
    const statuses = await SCENARIOS[operationId]!(ctx, seeded);
    assert.deepEqual(statuses, EXPECTED_STATUSES[operationId], `${operationId} answers`);

    const granted = w.policy.granted;
    const outside = [...w.policy.attempts].filter((a) => !granted.has(a) && !TOLERATED_DENIALS.has(a));
    assert.deepEqual(outside, [], `${operationId} attempted actions its policy does not grant`);

    // Delegation is exercised through STS or a signature, not through the stores traced here.
    const own = new Set(grantsFor(fn.access.filter((a) => !MIDDLEWARE.includes(a) && !DELEGATION_ACCESS.includes(a))).flatMap((g) => g.actions.map((a) => `${g.target} ${a}`)));
    const unused = [...own].filter((a) => !w.policy.attempts.has(a as Attempt) && !ADAPTER_ONLY.has(a) && UNREACHED[operationId]?.has(a) !== true);
    assert.deepEqual(unused, [], `${operationId} is granted more than it uses`);
  });
}

test('the tolerated denials are attempts a role without them really makes, not dead entries', async () => {
  const createTable = catalogRoutes.find((f) => f.operationId === 'createTable')!;
  const w = world();
  const seeded = await seed(w);
  const ctx = await w.freshContext();
  w.policy.allow(createTable.access);
  await SCENARIOS.createTable!(ctx, seeded);
  assert.ok(w.policy.attempts.has('warehouseFiles s3:DeleteObject'));
  assert.ok(ACCESS_GRANTS['deletes-table-files'].some((g) => g.target === 'warehouseFiles' && g.actions.includes('s3:DeleteObject')));
});

test('a read route authenticates an API key, loads its policies and audits a denial under its policy, writing nothing else', async () => {
  const { authServices } = await import('../../../core/auth/auth-services.js');
  const loadTable = catalogRoutes.find((f) => f.operationId === 'loadTable')!;
  const w = world();
  // Setup without a policy: an admin creates an API key (this also creates the auth secrets).
  const setup = authServices(await w.freshContext());
  const { key } = await setup.apiKeys.create({ name: 'reader' }, 'admin');

  const ctx = await w.freshContext();
  w.policy.allow(loadTable.access);
  const auth = authServices(ctx);
  const principal = await auth.authenticator.authenticate(`Bearer ${key}`);
  assert.equal(principal.authMethod, 'api-key');
  await auth.authorizer.session(principal);
  await auth.audit.record({ requestId: 'trace-denial', operation: 'loadTable', method: 'GET', path: '/v1/default/namespaces/sales/tables/orders', principal, checks: [], decision: 'deny', status: 404, policies: [] });

  const attempted = [...w.policy.attempts].sort();
  assert.deepEqual(attempted.filter((a) => !w.policy.granted.has(a) && !TOLERATED_AUTH_DENIALS.has(a)), [], 'nothing outside the policy');
  const writes = attempted.filter((a) => / s3:(PutObject|DeleteObject)$/.test(a) && w.policy.granted.has(a));
  assert.deepEqual(writes, ['auditLog s3:PutObject'], 'the only write of a read route is its audit record');
  for (const needed of ['authRecords s3:GetObject', 'auditLog s3:PutObject', 'recordKey kms:Decrypt', 'recordKey kms:GenerateDataKey']) {
    assert.ok(attempted.includes(needed as Attempt), `${needed} is used`);
  }
});

test('the first request ever creates the auth secrets record, which a read route may do and nothing more', async () => {
  const { authServices } = await import('../../../core/auth/auth-services.js');
  const loadTable = catalogRoutes.find((f) => f.operationId === 'loadTable')!;
  const w = world();
  const ctx = await w.freshContext();
  w.policy.allow(loadTable.access);
  await assert.rejects(authServices(ctx).authenticator.authenticate('Bearer not-a-key'), (error: Error) => error.name !== 'AccessDenied');
  const writes = [...w.policy.attempts].filter((a) => / s3:(PutObject|DeleteObject)$/.test(a));
  assert.ok(writes.every((a) => a === 'authSecrets s3:PutObject'), writes.join(', '));
});
