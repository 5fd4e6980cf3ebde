import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CatalogContext } from '../../core/catalog/context.js';
import { createNamespace } from '../../core/catalog/namespaces/create-namespace.js';
import { dropNamespace } from '../../core/catalog/namespaces/drop-namespace.js';
import { findNamespace } from '../../core/catalog/namespaces/namespace-lookup.js';
import { TRANSITION_EXPIRY_MS } from '../../core/catalog/pointers/object-pointer.js';
import { renameObject } from '../../core/catalog/rename-object.js';
import { commitTable } from '../../core/catalog/tables/commit-table.js';
import { commitTransaction } from '../../core/catalog/tables/commit-transaction.js';
import { createTable } from '../../core/catalog/tables/create-table.js';
import { dropTable } from '../../core/catalog/tables/drop-table.js';
import { listObjects } from '../../core/catalog/tables/list-tables.js';
import { requireTable, type TableIdentifier } from '../../core/catalog/tables/table-lookup.js';
import { TRANSACTION_EXPIRY_MS } from '../../core/catalog/transactions/transaction-record.js';
import { createView } from '../../core/catalog/views/create-view.js';
import { replaceView } from '../../core/catalog/views/replace-view.js';
import { requireView } from '../../core/catalog/views/view-lookup.js';
import { mapError } from '../../core/http/error-response.js';
import { stringifyJson, type JsonValue } from '../../core/json/lossless-json.js';
import { validateCreateTableRequest } from '../../core/metadata/index.js';
import { validateCommitViewRequest, validateCreateViewRequest } from '../../core/metadata/views/index.js';
import { startCoreHarness, type CoreHarness } from '../support/core-context.js';
import type { FaultRule } from '../support/fault-injecting-store.js';
import { createTableBody, uniqueNameOf } from '../support/table-requests.js';
import { aCreateViewRequest, aViewVersion, addViewVersion } from '../support/view-fixtures.js';

/**
 * Invariant 8 ("an unknown outcome is not a failure") at the core level, with deterministic fault
 * schedules from the fault injector: each case reproduces one finding of the fault review (F1, F2,
 * F3) or the code review (1.1, 1.2, 1.3, 1.5, 1.8, appendix A.2, A.3). The operation runs in a
 * "Lambda" whose store injects the faults; the checks run afterwards in another one (fresh caches,
 * no faults), once every write the faults will ever land has landed.
 *
 * Whatever a case's operation answers, the checks are the invariants: an acknowledged change is
 * there, a change answered 4xx is not, nothing fails to load, a multi-object change is whole, a
 * name is usable again (at the latest once its transitions expired).
 */
let h: CoreHarness;
before(async () => {
  h = await startCoreHarness();
});
after(async () => h.close());

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly message: string;
}

async function answerOf(run: Promise<unknown>): Promise<Answer> {
  try {
    await run;
    return { status: 200, type: 'ok', message: '' };
  } catch (error) {
    const mapped = mapError(error);
    return { status: mapped.status, type: mapped.body.error.type, message: mapped.internal?.detail.split('\n')[0] ?? mapped.body.error.message };
  }
}

const show = (a: Answer) => `${a.status} ${a.type}${a.message ? `: ${a.message}` : ''}`;
const endsWithKey = (suffix: string) => (key: string) => key.endsWith(suffix);

async function namespaceWithTables(names: readonly string[]): Promise<{ namespace: string[]; ids: TableIdentifier[] }> {
  const namespace = [uniqueNameOf('uo')];
  await createNamespace(h.ctx, h.warehouse, { namespace, properties: {} });
  const ids: TableIdentifier[] = [];
  for (const name of names) {
    await createTable(h.ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody(name)));
    ids.push({ namespace, name });
  }
  return { namespace, ids };
}

/** A Lambda whose store injects `rules`; `done()` turns them off and lands every late write. */
async function faultyLambda(rules: readonly FaultRule[]) {
  const lambda = await h.newContext({ seed: 1, rules });
  return {
    ctx: lambda.ctx,
    faults: lambda.faults,
    async done() {
      lambda.faults.enabled = false;
      await lambda.faults.settle();
    },
  };
}

/** Another Lambda, no faults, empty caches: what every later reader sees. */
async function observer(): Promise<CatalogContext> {
  return (await h.newContext()).ctx;
}

const setProps = (updates: Record<string, string>) => [{ action: 'set-properties' as const, updates }];

async function propertyOf(ctx: CatalogContext, id: TableIdentifier, key: string): Promise<string | undefined> {
  return (await requireTable(ctx, h.warehouse, id)).metadata.properties[key];
}

/** Loads every table (failing the test with the load error if one does not load) and reads `key`. */
async function propertiesOf(ctx: CatalogContext, ids: readonly TableIdentifier[], key: string): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = [];
  for (const id of ids) {
    const loaded = await answerOf(requireTable(ctx, h.warehouse, id));
    assert.equal(loaded.status, 200, `${id.name} does not load: ${show(loaded)}`);
    out.push(await propertyOf(ctx, id, key));
  }
  return out;
}

/** An acknowledged change is present; a refused (4xx) one is absent; an unknown one either, but whole. */
function assertAnswerMatches(answer: Answer, seen: readonly (string | undefined)[], value: string, what: string): void {
  const state = seen.every((v) => v === value) ? 'new' : seen.every((v) => v === undefined) ? 'old' : 'MIXED';
  assert.notEqual(state, 'MIXED', `${what}: torn state ${JSON.stringify(seen)} after answer ${show(answer)}`);
  if (answer.status < 300) assert.equal(state, 'new', `${what}: acknowledged (${show(answer)}) but the change is not there: ${JSON.stringify(seen)}`);
  if (answer.status >= 400 && answer.status < 500) assert.equal(state, 'old', `${what}: answered ${show(answer)} but the change landed`);
}

describe('unknown outcomes (invariant 8), deterministic fault schedules', () => {
  test('F1 / 1.3 / A.3: a transaction whose roll-forward of one pointer gets no answer is not torn', async () => {
    const { ids } = await namespaceWithTables(['a1', 'a2', 'a3']);
    const a2 = endsWithKey(`/t=a2`);
    // The 1st If-Match PUT of t=a2 is its mark; every later one (the roll-forward and its re-sends) is reset before forwarding.
    const lambda = await faultyLambda([{ mode: 'fail-before', answer: 'unknown', calls: 'putIfMatch', key: a2, nth: [2], burst: 8 }]);
    const answer = await answerOf(commitTransaction(lambda.ctx, h.warehouse, ids.map((identifier) => ({ identifier, requirements: [], updates: setProps({ t1: 'committed' }) }))));
    await lambda.done();
    const reader = await observer();
    assertAnswerMatches(answer, await propertiesOf(reader, ids, 't1'), 'committed', 'right after the transaction');
    // The next writer on each table (after any expiry) settles what it meets; the outcome must not change.
    h.advanceClock(TRANSACTION_EXPIRY_MS + 1_000);
    for (const id of ids) await commitTable(reader, h.warehouse, id, [], setProps({ later: 'yes' }));
    assertAnswerMatches(answer, await propertiesOf(await observer(), ids, 't1'), 'committed', 'after later commits');
  });

  test('F1b / 1.3: a rename whose roll-forward of the source gets no answer leaves exactly one name', async () => {
    const { namespace, ids } = await namespaceWithTables(['src']);
    const source = ids[0]!;
    const destination = { namespace, name: 'dst' };
    const uuid = (await requireTable(h.ctx, h.warehouse, source)).metadata.tableUuid;
    const lambda = await faultyLambda([{ mode: 'fail-before', answer: 'unknown', calls: 'putIfMatch', key: endsWithKey('/t=src'), nth: [2], burst: 8 }]);
    const answer = await answerOf(renameObject(lambda.ctx, h.warehouse, 'table', source, destination));
    await lambda.done();
    const check = async (when: string) => {
      const reader = await observer();
      const atSource = await answerOf(requireTable(reader, h.warehouse, source));
      const atDestination = await answerOf(requireTable(reader, h.warehouse, destination));
      const live = [atSource, atDestination].filter((a) => a.status === 200).length;
      assert.equal(live, 1, `${when}: rename answered ${show(answer)}; source ${show(atSource)}, destination ${show(atDestination)}`);
      if (answer.status < 300) assert.equal(atDestination.status, 200, `${when}: rename acknowledged but the destination does not load`);
      if (answer.status >= 400 && answer.status < 500) assert.equal(atSource.status, 200, `${when}: rename refused but the source is gone`);
      const live1 = atSource.status === 200 ? source : destination;
      assert.equal((await requireTable(reader, h.warehouse, live1)).metadata.tableUuid, uuid);
    };
    await check('right after the rename');
    h.advanceClock(TRANSACTION_EXPIRY_MS + 1_000);
    for (const id of [source, destination]) await answerOf(commitTable(await observer(), h.warehouse, id, [], setProps({ via: id.name })));
    await check('after commits through both names');
  });

  test('1.2 / A.2: a transaction whose commit point answers unknown and lands after the next read', async () => {
    const { ids } = await namespaceWithTables(['x1', 'x2']);
    const lambda = await faultyLambda([{ mode: 'land-later', landAfter: 'next-read', calls: 'putIfMatch', key: '/tx/', nth: [1] }]);
    const answer = await answerOf(commitTransaction(lambda.ctx, h.warehouse, ids.map((identifier) => ({ identifier, requirements: [], updates: setProps({ t2: 'v' }) }))));
    await lambda.done();
    assertAnswerMatches(answer, await propertiesOf(await observer(), ids, 't2'), 'v', 'after the transaction');
    h.advanceClock(TRANSACTION_EXPIRY_MS + 1_000);
    const reader = await observer();
    for (const id of ids) {
      const later = await answerOf(commitTable(reader, h.warehouse, id, [], setProps({ later: 'yes' })));
      assert.equal(later.status, 200, `${id.name} no longer accepts commits: ${show(later)}`);
    }
    assertAnswerMatches(answer, await propertiesOf(await observer(), ids, 't2'), 'v', 'after later commits');
  });

  test('1.1 / A.2: a commit whose pointer swap answers unknown and lands after the next read', async () => {
    const { ids } = await namespaceWithTables(['c']);
    const lambda = await faultyLambda([{ mode: 'land-later', landAfter: 'next-read', calls: 'putIfMatch', key: endsWithKey('/t=c'), nth: [1] }]);
    const answer = await answerOf(commitTable(lambda.ctx, h.warehouse, ids[0]!, [], setProps({ c: 'v' })));
    await lambda.done();
    assert.notEqual(answer.status, 404, `commit answered ${show(answer)}`);
    assertAnswerMatches(answer, await propertiesOf(await observer(), ids, 'c'), 'v', 'after the commit');
    const later = await answerOf(commitTable(await observer(), h.warehouse, ids[0]!, [], setProps({ later: 'yes' })));
    assert.equal(later.status, 200, `the table no longer accepts commits: ${show(later)}`);
  });

  test('a commit whose pointer swap landed, answer lost, and a rival committed on top before it looked (moved)', async () => {
    const { ids } = await namespaceWithTables(['m']);
    const key = endsWithKey('/t=m');
    const lambda = await faultyLambda([{ mode: 'lost-answer', answer: 'moved', calls: 'putIfMatch', key, nth: [1] }]);
    let swapSent = false;
    let rivalDone = false;
    lambda.faults.beforeCall = async (call, k) => {
      if (swapSent && !rivalDone) {
        rivalDone = true;
        await commitTable(await observer(), h.warehouse, ids[0]!, [], setProps({ rival: 'yes' }));
      }
      if (call === 'putIfMatch' && key(k)) swapSent = true;
    };
    const answer = await answerOf(commitTable(lambda.ctx, h.warehouse, ids[0]!, [], setProps({ m: 'v' })));
    lambda.faults.beforeCall = undefined;
    await lambda.done();
    assert.ok(rivalDone, 'the rival commit ran between our swap and our answer');
    assertAnswerMatches(answer, await propertiesOf(await observer(), ids, 'm'), 'v', 'after the commit');
    assert.equal(await propertyOf(await observer(), ids[0]!, 'rival'), 'yes');
  });

  test('F2 (T3): a commit whose pointer swap lands late, after its retries were throttled', async () => {
    const { ids } = await namespaceWithTables(['c3']);
    const c3 = endsWithKey('/t=c3');
    const lambda = await faultyLambda([
      { mode: 'land-later', landAfter: { delayMs: 40 }, calls: 'putIfMatch', key: c3, nth: [1] },
      { mode: 'slow-down', calls: 'putIfMatch', key: c3, nth: [1], burst: 8 },
    ]);
    const answer = await answerOf(commitTable(lambda.ctx, h.warehouse, ids[0]!, [], setProps({ c3: 'v' })));
    await lambda.done();
    assert.notEqual(answer.status, 404, `commit answered ${show(answer)} (fault review T3: 404 for a commit that landed)`);
    assertAnswerMatches(answer, await propertiesOf(await observer(), ids, 'c3'), 'v', 'after the commit');
    const later = await answerOf(commitTable(await observer(), h.warehouse, ids[0]!, [], setProps({ later: 'yes' })));
    assert.equal(later.status, 200, `the table no longer accepts commits: ${show(later)}`);
  });

  /** After a create with an unknown outcome: the name loads, or it is free again once transitions expired. Never "exists but does not load". */
  async function assertCreateSettled(kind: 'table' | 'view', namespace: string[], name: string, answer: Answer): Promise<void> {
    const id = { namespace, name };
    const load = () => (kind === 'table' ? requireTable(h.ctx, h.warehouse, id) : requireView(h.ctx, h.warehouse, id));
    const loaded = await answerOf(load().then(() => undefined));
    if (answer.status < 300) assert.equal(loaded.status, 200, `create acknowledged but the ${kind} does not load: ${show(loaded)}`);
    if (answer.status >= 400 && answer.status < 500) assert.notEqual(loaded.status, 200, `create answered ${show(answer)} but the ${kind} exists`);
    if (loaded.status === 200) return;
    assert.ok(['NoSuchTableException', 'NoSuchViewException'].includes(loaded.type), `the ${kind} is neither loadable nor absent: ${show(loaded)} (create answered ${show(answer)})`);
    h.advanceClock(TRANSITION_EXPIRY_MS + 1_000);
    const again = kind === 'table'
      ? await answerOf(createTable(await observer(), h.warehouse, namespace, validateCreateTableRequest(createTableBody(name))))
      : await answerOf(createView(await observer(), h.warehouse, namespace, validateCreateViewRequest(aCreateViewRequest(name))));
    assert.equal(again.status, 200, `the name ${name} is not free after its transitions expired: ${show(again)}`);
  }

  test('F2 (T2) / 1.1: a create whose activation landed, answer lost, re-reads failing', async () => {
    const { namespace } = await namespaceWithTables([]);
    const key = endsWithKey('/t=b1');
    const lambda = await faultyLambda([
      { mode: 'lost-answer', calls: 'putIfMatch', key, nth: [1] },
      { mode: 'fail-before', calls: 'get', key, nth: [1], burst: 3 },
    ]);
    const answer = await answerOf(createTable(lambda.ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody('b1'))));
    await lambda.done();
    await assertCreateSettled('table', namespace, 'b1', answer);
  });

  test('1.1: a view create whose activation landed, answer lost, re-reads failing', async () => {
    const { namespace } = await namespaceWithTables([]);
    const key = endsWithKey('/v=vw');
    const lambda = await faultyLambda([
      { mode: 'lost-answer', calls: 'putIfMatch', key, nth: [1] },
      { mode: 'fail-before', calls: 'get', key, nth: [1], burst: 3 },
    ]);
    const answer = await answerOf(createView(lambda.ctx, h.warehouse, namespace, validateCreateViewRequest(aCreateViewRequest('vw'))));
    await lambda.done();
    await assertCreateSettled('view', namespace, 'vw', answer);
  });

  test('a view replace whose pointer swap answers unknown and lands after the next read', async () => {
    const { namespace } = await namespaceWithTables([]);
    await createView(h.ctx, h.warehouse, namespace, validateCreateViewRequest(aCreateViewRequest('rv')));
    const id = { namespace, name: 'rv' };
    const lambda = await faultyLambda([{ mode: 'land-later', landAfter: 'next-read', calls: 'putIfMatch', key: endsWithKey('/v=rv'), nth: [1] }]);
    const { requirements, updates } = validateCommitViewRequest({ updates: [addViewVersion(aViewVersion({ 'version-id': 2, 'schema-id': 0, representations: [{ type: 'sql', sql: 'select 2', dialect: 'spark' }] })), { action: 'set-current-view-version', 'view-version-id': -1 }] });
    const answer = await answerOf(replaceView(lambda.ctx, h.warehouse, id, requirements, updates));
    await lambda.done();
    assert.ok(answer.status === 200 || answer.status === 409 || answer.status >= 500, `replace answered ${show(answer)}`);
    const loaded = await answerOf(requireView(await observer(), h.warehouse, id));
    assert.equal(loaded.status, 200, `the view does not load after replace answered ${show(answer)}: ${show(loaded)}`);
    const sql = (await requireView(await observer(), h.warehouse, id)).metadata;
    const current = stringifyJson(sql.versions.find((v) => v.versionId === sql.currentVersionId) as unknown as JsonValue);
    if (answer.status < 300) assert.match(current, /select 2/, 'replace acknowledged but not current');
    if (answer.status >= 400 && answer.status < 500) assert.doesNotMatch(current, /select 2/, `replace answered ${show(answer)} but landed`);
  });

  test('1.8 / F3 (T6): a drop whose tombstone landed but whose answer was lost is not answered 404, and the name is free later', async () => {
    const { namespace, ids } = await namespaceWithTables(['d']);
    const lambda = await faultyLambda([{ mode: 'lost-answer', calls: 'putIfMatch', key: endsWithKey('/t=d'), nth: [1] }]);
    const answer = await answerOf(dropTable(lambda.ctx, h.warehouse, ids[0]!, false));
    await lambda.done();
    assert.notEqual(answer.status, 404, `the drop landed but was answered ${show(answer)} (code review 1.8)`);
    const loaded = await answerOf(requireTable(await observer(), h.warehouse, ids[0]!));
    if (answer.status < 300) assert.equal(loaded.type, 'NoSuchTableException', `drop acknowledged but the table loads: ${show(loaded)}`);
    h.advanceClock(TRANSITION_EXPIRY_MS + 1_000);
    if (loaded.status !== 200) {
      const again = await answerOf(createTable(await observer(), h.warehouse, namespace, validateCreateTableRequest(createTableBody('d'))));
      assert.equal(again.status, 200, `the dropped name is not free after expiry: ${show(again)}`);
    }
  });

  test('F3 (T6): a drop whose tombstone landed and whose re-reads failed leaves the name usable', async () => {
    const { namespace, ids } = await namespaceWithTables(['d2']);
    const key = endsWithKey('/t=d2');
    const lambda = await faultyLambda([
      { mode: 'lost-answer', calls: 'putIfMatch', key, nth: [1] },
      { mode: 'fail-before', calls: 'get', key, nth: [2], burst: 3 },
    ]);
    const answer = await answerOf(dropTable(lambda.ctx, h.warehouse, ids[0]!, false));
    await lambda.done();
    assert.notEqual(answer.status, 404, `the drop landed but was answered ${show(answer)}`);
    const loaded = await answerOf(requireTable(await observer(), h.warehouse, ids[0]!));
    if (answer.status < 300) assert.equal(loaded.type, 'NoSuchTableException');
    if (loaded.status !== 200) {
      h.advanceClock(TRANSITION_EXPIRY_MS + 1_000);
      const again = await answerOf(createTable(await observer(), h.warehouse, namespace, validateCreateTableRequest(createTableBody('d2'))));
      assert.equal(again.status, 200, `the dropped name is not free after expiry: ${show(again)}`);
    }
  });

  test('1.8: a namespace drop whose own dropping mark landed (answer lost) does not wait on itself', async () => {
    const { namespace } = await namespaceWithTables([]);
    const lambda = await faultyLambda([{ mode: 'lost-answer', calls: 'putIfMatch', key: endsWithKey(`n=${namespace[0]}/_ns`), nth: [1] }]);
    const answer = await answerOf(dropNamespace(lambda.ctx, h.warehouse, namespace));
    await lambda.done();
    const reader = await observer();
    const exists = (await findNamespace(reader, h.warehouse, namespace)) !== undefined;
    if (answer.status < 300) assert.equal(exists, false, 'drop acknowledged but the namespace exists');
    if (exists) {
      // Not dropped: it must not stay blocked by our own mark until it expires (60 s).
      const create = await answerOf(createTable(reader, h.warehouse, namespace, validateCreateTableRequest(createTableBody('after'))));
      assert.equal(create.status, 200, `drop answered ${show(answer)}; the namespace stays blocked by its own mark: create inside answered ${show(create)}`);
    } else {
      const again = await answerOf(createNamespace(reader, h.warehouse, { namespace, properties: {} }));
      assert.equal(again.status, 200, `the dropped namespace cannot be created again: ${show(again)}`);
    }
  });

  test('1.8: a namespace create whose write never landed (every send unanswered) is not answered AlreadyExists', async () => {
    const namespace = [uniqueNameOf('nsu')];
    const lambda = await faultyLambda([{ mode: 'fail-before', answer: 'unknown', calls: 'putIfAbsent', key: endsWithKey(`n=${namespace[0]}/_ns`), nth: [1], burst: 8 }]);
    const answer = await answerOf(createNamespace(lambda.ctx, h.warehouse, { namespace, properties: {} }));
    await lambda.done();
    const exists = (await findNamespace(await observer(), h.warehouse, namespace)) !== undefined;
    if (answer.status >= 400 && answer.status < 500) assert.equal(exists, true, `answered ${show(answer)} although nothing exists`);
    if (answer.status < 300) assert.equal(exists, true, 'acknowledged but absent');
    if (!exists) {
      const again = await answerOf(createNamespace(await observer(), h.warehouse, { namespace, properties: {} }));
      assert.equal(again.status, 200, `the name is not free: ${show(again)}`);
    }
  });

  test('1.5: a create that failed half-way (activation and undo both failed) leaves no name in the listing that does not load', async () => {
    const { namespace } = await namespaceWithTables(['kept']);
    const key = endsWithKey('/t=half');
    const lambda = await faultyLambda([
      { mode: 'fail-before', calls: 'putIfMatch', key, nth: [1], burst: 8 },
      { mode: 'fail-before', calls: 'delete', key, nth: [1], burst: 8 },
    ]);
    const answer = await answerOf(createTable(lambda.ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody('half'))));
    await lambda.done();
    const reader = await observer();
    const listed = (await listObjects(reader, h.warehouse, namespace, 'table', {})).identifiers.map((i) => i.name);
    for (const name of listed) {
      const loaded = await answerOf(requireTable(reader, h.warehouse, { namespace, name }));
      assert.equal(loaded.status, 200, `listed ${name} does not load (create answered ${show(answer)}): ${show(loaded)}`);
    }
    assert.ok(listed.includes('kept'));
  });
});
