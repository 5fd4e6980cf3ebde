import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CatalogContext } from '../../core/catalog/context.js';
import { readPointer, pointerKey } from '../../core/catalog/pointers/pointer-protocol.js';
import { TRANSITION_EXPIRY_MS } from '../../core/catalog/pointers/object-pointer.js';
import { DROP_MARK_EXPIRY_MS } from '../../core/catalog/namespaces/namespace-record.js';
import { TRANSACTION_EXPIRY_MS } from '../../core/catalog/transactions/transaction-record.js';
import { mapError } from '../../core/http/error-response.js';
import type { Operation, OperationRequest } from '../../core/http/operation.js';
import { commitTransaction } from '../../core/http/operations/commit-transaction.js';
import { createNamespace } from '../../core/http/operations/create-namespace.js';
import { createTable } from '../../core/http/operations/create-table.js';
import { createView } from '../../core/http/operations/create-view.js';
import { dropNamespace } from '../../core/http/operations/drop-namespace.js';
import { dropTable } from '../../core/http/operations/drop-table.js';
import { listNamespaces } from '../../core/http/operations/list-namespaces.js';
import { listTables } from '../../core/http/operations/list-tables.js';
import { listViews } from '../../core/http/operations/list-views.js';
import { loadNamespaceMetadata } from '../../core/http/operations/load-namespace-metadata.js';
import { loadTable } from '../../core/http/operations/load-table.js';
import { loadView } from '../../core/http/operations/load-view.js';
import { renameTable } from '../../core/http/operations/rename-table.js';
import { replaceView } from '../../core/http/operations/replace-view.js';
import { updateTable } from '../../core/http/operations/update-table.js';
import { routeFor, type OperationId } from '../../core/http/routes.js';
import { parseJson, stringifyJson, type JsonValue } from '../../core/json/lossless-json.js';
import { namespacePath } from '../support/catalog-harness.js';
import { startCoreHarness, type CoreHarness, type FaultyContext } from '../support/core-context.js';
import { chaosRules, FAULT_MODES, seededRandom, type FaultMode } from '../support/fault-injecting-store.js';
import { appendCommit, createTableBody, tableState } from '../support/table-requests.js';
import { aCreateViewRequest, aViewVersion, addViewVersion } from '../support/view-fixtures.js';

/**
 * Seeded chaos (issue 9): several "Lambdas" (catalog contexts with their own caches and their own
 * fault injector) share one store (local files, or S3/RGW when S3_ENDPOINT is set) and serve
 * concurrent clients through the HTTP operations (the handlers' code, with the real error
 * mapping): property commits, appends guarded by assert-ref-snapshot-id (retried on 409 like an
 * engine), multi-table transactions, creates, drops, renames, view replaces, namespace creates and
 * drops, loads and listings. Faults follow the black-box review's mix (fault-review.md) at 5 % and
 * 20 % of store calls.
 *
 * Every answer is recorded: acknowledged (2xx), refused (4xx) or unknown outcome (5xx). Afterwards,
 * with faults off and every late write landed, the invariants are checked: every acknowledged
 * change is there (lost = 0), no change answered 4xx landed and no multi-table change is torn
 * (wrong answers = 0), every object loads, every table accepts a commit, listings name only
 * objects that load, a rename left exactly one name, and every name can be created or dropped
 * again once transitions expired (stuck = 0). One summary line per run.
 *
 * CHAOS_OPERATIONS (default per rate: 600 on local files, 200 on S3; 30-60 s each on 2 shared cores), CHAOS_SEED, CHAOS_RATES (rate[:mix] list, default "0.05,0.2,0.1:unknown-heavy") size it.
 */
const OPERATIONS = Number(process.env['CHAOS_OPERATIONS'] ?? ((process.env['S3_ENDPOINT'] ?? '') !== '' ? 200 : 600));
const SEED = Number(process.env['CHAOS_SEED'] ?? 20261207);
/** rate[:mix], e.g. "0.05,0.2,0.1:unknown-heavy" (the default). */
const RUNS = (process.env['CHAOS_RATES'] ?? '0.05,0.2,0.1:unknown-heavy').split(',').map((entry) => {
  const [rate, mix] = entry.split(':');
  return { rate: Number(rate), mix: mix === 'unknown-heavy' ? ('unknown-heavy' as const) : ('review' as const) };
});
const LAMBDAS = 3;
const CLIENTS = 6;
const POOL_TABLES = 4;
const CHURN_NAMES = 3;
const RENAME_PAIRS = 2;
const VIEWS = 2;
const CHILD_NAMESPACES = 2;

let h: CoreHarness;
before(async () => {
  h = await startCoreHarness();
});
after(async () => h.close());

type Outcome = 'acknowledged' | 'refused' | 'unknown';

interface Answer {
  readonly status: number;
  readonly body: JsonValue | undefined;
  readonly type: string;
  readonly message: string;
}

interface OpRecord {
  readonly id: number;
  readonly kind: string;
  readonly lambda: number;
  readonly client: number;
  readonly target: string;
  readonly startMs: number;
  endMs: number;
  answer?: Answer;
  outcome?: Outcome;
  /** What the change would leave behind, to check afterwards. */
  readonly tag?: string;
  readonly tables?: readonly string[];
  readonly snapshotId?: bigint;
}

function outcomeOf(status: number): Outcome {
  return status < 300 ? 'acknowledged' : status < 500 ? 'refused' : 'unknown';
}

function requestFor(warehouse: string, operationId: OperationId, pathParams: Record<string, string>, body?: unknown, query: Record<string, string> = {}): OperationRequest {
  return {
    route: routeFor(operationId),
    requestId: 'chaos',
    pathParams: { prefix: warehouse, ...pathParams },
    query: new Map(Object.entries(query)),
    headers: {},
    body: body === undefined ? undefined : parseJson(stringifyJson(body)),
  };
}

async function invoke(op: Operation, ctx: CatalogContext, request: OperationRequest): Promise<Answer> {
  try {
    const response = await op(request, ctx);
    return { status: response.status, body: response.body === undefined ? undefined : parseJson(stringifyJson(response.body)), type: 'ok', message: '' };
  } catch (error) {
    const mapped = mapError(error);
    return { status: mapped.status, body: undefined, type: mapped.body.error.type, message: mapped.internal?.detail.split('\n')[0] ?? mapped.body.error.message };
  }
}

const show = (a: Answer | undefined) => (a === undefined ? 'no answer' : `${a.status} ${a.type}${a.message ? `: ${a.message.slice(0, 240)}` : ''}`);

interface Run {
  readonly rate: number;
  readonly mix: 'review' | 'unknown-heavy';
  readonly seed: number;
  readonly lambdas: FaultyContext[];
  readonly observer: () => Promise<CatalogContext>;
  readonly root: string;
  readonly ops: OpRecord[];
  readonly failures: { readonly category: 'lost' | 'wrong' | 'stuck'; readonly detail: string }[];
}

const ns = (levels: readonly string[]) => ({ namespace: namespacePath(levels) });

async function chaosRun(rate: number, mix: 'review' | 'unknown-heavy', seed: number): Promise<Run> {
  const warehouse = h.warehouse;
  const root = `chaos_${Math.round(rate * 100)}_${seed}_${Date.now().toString(36)}`;
  const lambdas: FaultyContext[] = [];
  for (let i = 0; i < LAMBDAS; i++) {
    lambdas.push(await h.newContext({ seed: seed * 31 + i, rules: chaosRules(rate, { files: true, mix }), realSleep: true, random: seededRandom(seed * 17 + i) }));
  }
  const observer = async () => (await h.newContext()).ctx;
  const run: Run = { rate, mix, seed, lambdas, observer, root, ops: [], failures: [] };

  // Setup, faults off.
  for (const l of lambdas) l.faults.enabled = false;
  const setupCtx = lambdas[0]!.ctx;
  const must = async (what: string, answer: Promise<Answer>) => {
    const a = await answer;
    assert.ok(a.status < 300, `setup ${what}: ${show(a)}`);
    return a;
  };
  await must('root namespace', invoke(createNamespace, setupCtx, requestFor(warehouse, 'createNamespace', {}, { namespace: [root] })));
  const rootPath = ns([root]);
  const pool = Array.from({ length: POOL_TABLES }, (_, i) => `t${i}`);
  for (const name of pool) await must(name, invoke(createTable, setupCtx, requestFor(warehouse, 'createTable', rootPath, createTableBody(name))));
  const pairs = Array.from({ length: RENAME_PAIRS }, (_, i) => [`r${i}a`, `r${i}b`] as const);
  const renameUuids = new Map<number, string>();
  for (const [i, [a]] of pairs.entries()) {
    const created = await must(a, invoke(createTable, setupCtx, requestFor(warehouse, 'createTable', rootPath, createTableBody(a))));
    renameUuids.set(i, ((created.body as { metadata: { 'table-uuid': string } }).metadata)['table-uuid']);
  }
  const views = Array.from({ length: VIEWS }, (_, i) => `v${i}`);
  for (const name of views) {
    await must(name, invoke(createView, setupCtx, requestFor(warehouse, 'createView', rootPath, aCreateViewRequest(name, { properties: { 'version.history.num-entries': '100000' } }))));
  }
  const churn = Array.from({ length: CHURN_NAMES }, (_, i) => `c${i}`);
  const children = Array.from({ length: CHILD_NAMESPACES }, (_, i) => `n${i}`);
  for (const l of lambdas) l.faults.enabled = true;

  // The workload: CLIENTS concurrent clients, each request served by a Lambda the PRNG picks.
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  let nextId = 0;
  const begin = (kind: string, lambda: number, client: number, target: string, extra: Partial<OpRecord> = {}): OpRecord => {
    const record: OpRecord = { id: nextId++, kind, lambda, client, target, startMs: performance.now(), endMs: 0, ...extra };
    run.ops.push(record);
    return record;
  };
  const finish = (record: OpRecord, answer: Answer): Answer => {
    record.endMs = performance.now();
    record.answer = answer;
    record.outcome = outcomeOf(answer.status);
    return answer;
  };
  let started = 0;
  const tablePath = (name: string) => ({ ...rootPath, table: name });

  const actions: Record<string, (client: number) => Promise<void>> = {
    async setProperties(client) {
      const table = pick(pool);
      // An engine retries a 409 a few times, each attempt a new request (and a new tag here).
      for (let attempt = 0; attempt < 3; attempt++) {
        const lambda = Math.floor(random() * LAMBDAS);
        const record = begin('set-properties', lambda, client, table, { tag: `p${nextId}`, tables: [table] });
        const answer = finish(record, await invoke(updateTable, lambdas[lambda]!.ctx, requestFor(warehouse, 'updateTable', tablePath(table), { requirements: [], updates: [{ action: 'set-properties', updates: { [record.tag!]: 'set' } }] })));
        if (answer.status !== 409) return;
      }
    },
    async append(client) {
      const table = pick(pool);
      for (let attempt = 0; attempt < 6; attempt++) {
        const lambda = Math.floor(random() * LAMBDAS);
        const loaded = await invoke(loadTable, lambdas[lambda]!.ctx, requestFor(warehouse, 'loadTable', tablePath(table)));
        if (loaded.status !== 200) {
          finish(begin('load-table', lambda, client, table), loaded);
          if (loaded.status === 404) badLoad(run, table, lambda, loaded);
          continue;
        }
        const state = tableState((loaded.body as { metadata: Record<string, unknown> }).metadata);
        const snapshotId = BigInt(Math.floor(random() * 2 ** 52)) * 2048n + BigInt(nextId % 2048) + 1n;
        const record = begin('append', lambda, client, table, { snapshotId, tables: [table] });
        const answer = finish(record, await invoke(updateTable, lambdas[lambda]!.ctx, requestFor(warehouse, 'updateTable', tablePath(table), appendCommit(state, snapshotId))));
        if (answer.status !== 409) return;
      }
    },
    async transaction(client) {
      const count = 2 + Math.floor(random() * 2);
      const tables = [...pool].sort(() => random() - 0.5).slice(0, count);
      const lambda = Math.floor(random() * LAMBDAS);
      const record = begin('transaction', lambda, client, tables.join('+'), { tag: `x${nextId}`, tables });
      finish(record, await invoke(commitTransaction, lambdas[lambda]!.ctx, requestFor(warehouse, 'commitTransaction', {}, {
        'table-changes': tables.map((name) => ({ identifier: { namespace: [root], name }, requirements: [], updates: [{ action: 'set-properties', updates: { [record.tag!]: 'tx' } }] })),
      })));
    },
    async createOrDrop(client) {
      const name = pick(churn);
      const lambda = Math.floor(random() * LAMBDAS);
      const ctx = lambdas[lambda]!.ctx;
      if (random() < 0.5) {
        const record = begin('create-table', lambda, client, name);
        finish(record, await invoke(createTable, ctx, requestFor(warehouse, 'createTable', rootPath, createTableBody(name))));
      } else {
        const record = begin('drop-table', lambda, client, name);
        finish(record, await invoke(dropTable, ctx, requestFor(warehouse, 'dropTable', tablePath(name))));
      }
    },
    async rename(client) {
      const [a, b] = pick(pairs);
      const lambda = Math.floor(random() * LAMBDAS);
      const [from, to] = random() < 0.5 ? [a, b] : [b, a];
      const record = begin('rename', lambda, client, `${from}->${to}`);
      finish(record, await invoke(renameTable, lambdas[lambda]!.ctx, requestFor(warehouse, 'renameTable', {}, { source: { namespace: [root], name: from }, destination: { namespace: [root], name: to } })));
    },
    async replaceView(client) {
      const view = pick(views);
      const lambda = Math.floor(random() * LAMBDAS);
      const record = begin('replace-view', lambda, client, view, { tag: `q${nextId}` });
      const version = aViewVersion({ 'version-id': 2, 'schema-id': 0, representations: [{ type: 'sql', sql: `select '${record.tag}'`, dialect: 'spark' }] });
      finish(record, await invoke(replaceView, lambdas[lambda]!.ctx, requestFor(warehouse, 'replaceView', { ...rootPath, view }, {
        updates: [addViewVersion(version), { action: 'set-current-view-version', 'view-version-id': -1 }],
      })));
    },
    async namespace(client) {
      const child = pick(children);
      const lambda = Math.floor(random() * LAMBDAS);
      const ctx = lambdas[lambda]!.ctx;
      if (random() < 0.5) {
        const record = begin('create-namespace', lambda, client, child);
        finish(record, await invoke(createNamespace, ctx, requestFor(warehouse, 'createNamespace', {}, { namespace: [root, child] })));
      } else {
        const record = begin('drop-namespace', lambda, client, child);
        finish(record, await invoke(dropNamespace, ctx, requestFor(warehouse, 'dropNamespace', ns([root, child]))));
      }
    },
    async read(client) {
      const lambda = Math.floor(random() * LAMBDAS);
      const ctx = lambdas[lambda]!.ctx;
      const table = pick(pool);
      const record = begin('load-table', lambda, client, table);
      const answer = finish(record, await invoke(loadTable, ctx, requestFor(warehouse, 'loadTable', tablePath(table))));
      // A table nobody drops never answers 404, whatever the store does.
      if (answer.status === 404) badLoad(run, table, lambda, answer);
      if (random() < 0.3) finish(begin('list-tables', lambda, client, root), await invoke(listTables, ctx, requestFor(warehouse, 'listTables', rootPath)));
    },
  };
  const actionMix: [string, number][] = [['setProperties', 25], ['append', 20], ['transaction', 12], ['createOrDrop', 10], ['rename', 8], ['replaceView', 8], ['namespace', 7], ['read', 10]];
  const totalWeight = actionMix.reduce((s, [, w]) => s + w, 0);
  const nextAction = () => {
    let r = random() * totalWeight;
    for (const [name, weight] of actionMix) if ((r -= weight) < 0) return name;
    return actionMix[0]![0];
  };
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      while (started < OPERATIONS) {
        started++;
        await actions[nextAction()]!(client);
      }
    }),
  );

  // Faults off; every write the faults will ever land has landed.
  for (const l of lambdas) l.faults.enabled = false;
  for (const l of lambdas) await l.faults.settle();
  await verify(run, { pool, pairs, renameUuids, views, churn, children, rootPath });
  return run;
}

/** One operation with the faults its Lambda injected while it ran and the operations that overlapped it on the same objects. */
function describeOp(run: Run, op: OpRecord): string {
  const end = op.endMs === 0 ? performance.now() : op.endMs;
  const faults = run.lambdas[op.lambda]!.faults.faultLog.filter((f) => f.atMs >= op.startMs && f.atMs <= end).map((f) => `${f.mode} ${f.call} ${f.key.replace(/^.*\/wh\/[^/]+\//, '')}`);
  const objects = op.target.split(/\+|->/);
  const overlapping = run.ops
    .filter((o) => o !== op && o.startMs < end && (o.endMs === 0 || o.endMs > op.startMs) && o.target.split(/\+|->/).some((t) => objects.includes(t)))
    .map((o) => `#${o.id} ${o.kind} ${o.target} (lambda ${o.lambda}) ${o.answer?.status ?? 'running'}`);
  return `op #${op.id} ${op.kind} ${op.target} via lambda ${op.lambda} answered ${show(op.answer)}; faults during it: [${faults.join('; ')}]; concurrent on the same objects: [${overlapping.join('; ')}]`;
}

/**
 * A table nobody drops answered 404 to a load: reported once per table, with the operations on it
 * that preceded the first such answer (the likely cause).
 */
function badLoad(run: Run, table: string, lambda: number, answer: Answer): void {
  const key = `bad-load ${table}`;
  if (run.failures.some((f) => f.detail.startsWith(key))) return;
  const history = run.ops.filter((o) => o.target.split(/\+|->/).includes(table) && o.kind !== 'load-table' && o.answer !== undefined).slice(-4);
  run.failures.push({ category: 'wrong', detail: `${key}: via lambda ${lambda}: ${show(answer)}; the last changes of ${table} before it: ${history.map((o) => describeOp(run, o)).join(' || ')}` });
}

async function verify(
  run: Run,
  names: { pool: string[]; pairs: (readonly [string, string])[]; renameUuids: Map<number, string>; views: string[]; churn: string[]; children: string[]; rootPath: { namespace: string } },
): Promise<void> {
  const warehouse = h.warehouse;
  const { root, ops, failures } = run;
  const fail = (category: 'lost' | 'wrong' | 'stuck', detail: string) => failures.push({ category, detail });
  const describe = (op: OpRecord) => describeOp(run, op);
  const ctx = await run.observer();
  const tablePath = (name: string) => ({ ...names.rootPath, table: name });
  const load = (c: CatalogContext, name: string) => invoke(loadTable, c, requestFor(warehouse, 'loadTable', tablePath(name)));

  // Every pool table loads; every acknowledged change is there; no refused change landed; transactions whole.
  const metadataOf = new Map<string, { properties: Record<string, string>; snapshots: Set<string> }>();
  for (const name of names.pool) {
    const loaded = await load(ctx, name);
    if (loaded.status !== 200) {
      fail('stuck', `table ${name} does not load: ${show(loaded)}`);
      continue;
    }
    const metadata = (loaded.body as { metadata: { properties?: Record<string, string>; snapshots?: { 'snapshot-id': bigint | number }[] } }).metadata;
    metadataOf.set(name, { properties: metadata.properties ?? {}, snapshots: new Set((metadata.snapshots ?? []).map((s) => String(s['snapshot-id']))) });
  }
  for (const op of ops) {
    if (op.kind === 'set-properties' || op.kind === 'transaction') {
      const present = op.tables!.map((t) => metadataOf.get(t)?.properties[op.tag!] !== undefined);
      if (op.tables!.some((t) => !metadataOf.has(t))) continue;
      if (op.outcome === 'acknowledged' && present.some((p) => !p)) fail('lost', `${describe(op)}: acknowledged, missing on ${op.tables!.filter((_, i) => !present[i]).join(', ')}`);
      if (op.outcome === 'refused' && present.some((p) => p)) fail('wrong', `${describe(op)}: refused, but landed on ${op.tables!.filter((_, i) => present[i]).join(', ')}`);
      if (present.some((p) => p) && present.some((p) => !p)) fail('wrong', `${describe(op)}: torn, present on ${op.tables!.filter((_, i) => present[i]).join(', ')} only`);
    }
    if (op.kind === 'append') {
      const table = metadataOf.get(op.tables![0]!);
      if (table === undefined) continue;
      const present = table.snapshots.has(String(op.snapshotId));
      if (op.outcome === 'acknowledged' && !present) fail('lost', `${describe(op)}: acknowledged snapshot ${op.snapshotId} missing`);
      if (op.outcome === 'refused' && present) fail('wrong', `${describe(op)}: refused, but snapshot ${op.snapshotId} landed`);
    }
  }

  // Views: load; acknowledged versions present, refused ones absent.
  for (const view of names.views) {
    const loaded = await invoke(loadView, ctx, requestFor(warehouse, 'loadView', { ...names.rootPath, view }));
    if (loaded.status !== 200) {
      fail('stuck', `view ${view} does not load: ${show(loaded)}`);
      continue;
    }
    const text = stringifyJson(loaded.body!);
    for (const op of ops.filter((o) => o.kind === 'replace-view' && o.target === view)) {
      const present = text.includes(`select '${op.tag}'`);
      if (op.outcome === 'acknowledged' && !present) fail('lost', `${describe(op)}: acknowledged view version missing`);
      if (op.outcome === 'refused' && present) fail('wrong', `${describe(op)}: refused, but the view version landed`);
    }
  }

  // Renames: exactly one name of each pair, with the original uuid.
  for (const [i, pair] of names.pairs.entries()) {
    const answers = await Promise.all(pair.map((n) => load(ctx, n)));
    const live = pair.filter((_, j) => answers[j]!.status === 200);
    if (live.length !== 1) {
      const history = ops.filter((o) => o.kind === 'rename' && pair.some((n) => o.target.includes(n))).map(describe);
      fail('wrong', `rename pair ${pair.join('/')}: ${live.length} live names (${answers.map(show).join(' | ')}); renames: ${history.slice(-6).join(' || ')}`);
      continue;
    }
    const uuid = ((answers[pair.indexOf(live[0]!)]!.body as { metadata: { 'table-uuid': string } }).metadata)['table-uuid'];
    if (uuid !== names.renameUuids.get(i)) fail('wrong', `rename pair ${pair.join('/')}: ${live[0]} has uuid ${uuid}, not the original`);
  }

  // A churned name that is neither loadable nor absent (a pointer to a missing file, say).
  for (const name of names.churn) {
    const loaded = await load(ctx, name);
    if (loaded.status !== 200 && loaded.type !== 'NoSuchTableException') fail('wrong', `table ${name} neither loads nor is absent: ${show(loaded)}`);
  }

  // Nothing stuck: once every transition may have expired, every table takes a commit, every name
  // can be dropped and created again, every namespace dropped and created again.
  h.advanceClock(Math.max(TRANSITION_EXPIRY_MS, TRANSACTION_EXPIRY_MS, DROP_MARK_EXPIRY_MS) + 1_000);
  const writer = await run.observer();
  // Listings name only objects that load (once transitions expired: a listing may lag a create or drop in flight, not forever).
  const listed = await invoke(listTables, ctx, requestFor(warehouse, 'listTables', names.rootPath));
  if (listed.status !== 200) fail('stuck', `listTables: ${show(listed)}`);
  for (const id of ((listed.body as { identifiers?: { name: string }[] } | undefined)?.identifiers ?? [])) {
    const loaded = await load(writer, id.name);
    if (loaded.status !== 200) fail('stuck', `listTables names ${id.name}, which does not load: ${show(loaded)}`);
  }
  const listedViews = await invoke(listViews, ctx, requestFor(warehouse, 'listViews', names.rootPath));
  for (const id of ((listedViews.body as { identifiers?: { name: string }[] } | undefined)?.identifiers ?? [])) {
    const loaded = await invoke(loadView, ctx, requestFor(warehouse, 'loadView', { ...names.rootPath, view: id.name }));
    if (loaded.status !== 200) fail('stuck', `listViews names ${id.name}, which does not load: ${show(loaded)}`);
  }
  const listedNs = await invoke(listNamespaces, ctx, { ...requestFor(warehouse, 'listNamespaces', {}), query: new Map([['parent', root]]) });
  for (const child of ((listedNs.body as { namespaces?: string[][] } | undefined)?.namespaces ?? [])) {
    const loaded = await invoke(loadNamespaceMetadata, ctx, requestFor(warehouse, 'loadNamespaceMetadata', ns(child)));
    if (loaded.status !== 200) fail('stuck', `listNamespaces names ${child.join('.')}, which does not load: ${show(loaded)}`);
  }
  for (const name of [...names.pool, ...names.pairs.flat()]) {
    const loaded = await load(writer, name);
    if (loaded.status !== 200) continue;
    const committed = await invoke(updateTable, writer, requestFor(warehouse, 'updateTable', tablePath(name), { requirements: [], updates: [{ action: 'set-properties', updates: { final: 'yes' } }] }));
    if (committed.status !== 200) fail('stuck', `table ${name} refuses a commit after the run: ${show(committed)}`);
    const raw = await readPointer(writer, pointerKey(writer, warehouse, [root], 'table', name));
    if (raw?.value.pending !== undefined) fail('stuck', `table ${name} is still pending on ${raw.value.pending.transactionKey} after a commit`);
  }
  for (const view of names.views) {
    const replaced = await invoke(replaceView, writer, requestFor(warehouse, 'replaceView', { ...names.rootPath, view }, { updates: [{ action: 'set-properties', updates: { final: 'yes' } }] }));
    if (replaced.status !== 200) fail('stuck', `view ${view} refuses a replace after the run: ${show(replaced)}`);
  }
  for (const name of names.churn) {
    const cycle = async (): Promise<string | undefined> => {
      const loaded = await load(writer, name);
      if (loaded.status === 200) {
        const dropped = await invoke(dropTable, writer, requestFor(warehouse, 'dropTable', tablePath(name)));
        if (dropped.status !== 204) return `drop ${show(dropped)}`;
      }
      const created = await invoke(createTable, writer, requestFor(warehouse, 'createTable', names.rootPath, createTableBody(name)));
      if (created.status !== 200) return `create ${show(created)}`;
      const dropped = await invoke(dropTable, writer, requestFor(warehouse, 'dropTable', tablePath(name)));
      return dropped.status === 204 ? undefined : `drop after create ${show(dropped)}`;
    };
    const problem = await cycle();
    if (problem !== undefined) fail('stuck', `name ${name}: ${problem}`);
  }
  for (const child of names.children) {
    const path = ns([root, child]);
    const exists = (await invoke(loadNamespaceMetadata, writer, requestFor(warehouse, 'loadNamespaceMetadata', path))).status === 200;
    if (exists) {
      const dropped = await invoke(dropNamespace, writer, requestFor(warehouse, 'dropNamespace', path));
      if (dropped.status !== 204) fail('stuck', `namespace ${child}: drop ${show(dropped)}`);
    }
    const created = await invoke(createNamespace, writer, requestFor(warehouse, 'createNamespace', {}, { namespace: [root, child] }));
    if (created.status !== 200) fail('stuck', `namespace ${child}: create ${show(created)}`);
  }
}

function summary(run: Run): string {
  const count = (o: Outcome) => run.ops.filter((op) => op.outcome === o).length;
  const by = (c: string) => run.failures.filter((f) => f.category === c).length;
  const faults: Record<FaultMode, number> = { 'fail-before': 0, 'lost-answer': 0, 'land-later': 0, 'slow-down': 0, conflict: 0, latency: 0 };
  for (const l of run.lambdas) for (const m of FAULT_MODES) faults[m] += l.faults.counts[m];
  const late = run.lambdas.reduce((s, l) => s + l.faults.lateWrites.landed, 0);
  return `chaos rate=${run.rate * 100}% mix=${run.mix} seed=${run.seed} store=${h.storeKind} operations=${run.ops.length} acknowledged=${count('acknowledged')} refused=${count('refused')} unknown-outcome=${count('unknown')} lost=${by('lost')} wrong=${by('wrong')} stuck=${by('stuck')} faults: ${FAULT_MODES.map((m) => `${m}=${faults[m]}`).join(' ')} late-landed=${late}`;
}

function byKind(run: Run): string {
  const kinds = new Map<string, [number, number, number]>();
  for (const op of run.ops) {
    const row = kinds.get(op.kind) ?? [0, 0, 0];
    row[op.outcome === 'acknowledged' ? 0 : op.outcome === 'refused' ? 1 : 2]++;
    kinds.set(op.kind, row);
  }
  return [...kinds].map(([kind, [a, r, u]]) => `${kind} ${a}/${r}/${u}`).join(', ');
}

for (const { rate, mix } of RUNS) {
  test(`chaos at ${rate * 100} % store faults (${mix} mix): nothing acknowledged is lost, no wrong answer, nothing stuck`, { timeout: 15 * 60_000 }, async () => {
    const seed = SEED + Math.round(rate * 1000) + (mix === 'review' ? 0 : 7);
    const run = await chaosRun(rate, mix, seed);
    if (process.env['CHAOS_DEBUG']) for (const op of run.ops.filter((o) => o.outcome !== 'acknowledged')) process.stdout.write(`#   ${op.kind} ${op.target}: ${show(op.answer)}\n`);
    process.stdout.write(`# ${summary(run)}\n#   by kind (acknowledged/refused/unknown): ${byKind(run)}\n`);
    const details = run.failures.map((f) => `[${f.category}] ${f.detail}`);
    for (const line of details.slice(0, 30)) process.stdout.write(`#   ${line}\n`);
    assert.deepEqual(details, [], `${summary(run)}\n${details.slice(0, 30).join('\n')}`);
  });
}
