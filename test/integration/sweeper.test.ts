import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TRANSITION_EXPIRY_MS } from '../../core/catalog/deadlines.js';
import { INTENT_EXPIRY_MS } from '../../core/catalog/group-commit/group-commit-policy.js';
import { intentName, intentToJson } from '../../core/catalog/group-commit/intent-record.js';
import { createNamespace } from '../../core/catalog/namespaces/create-namespace.js';
import { pointerKey, readPointer } from '../../core/catalog/pointers/pointer-protocol.js';
import { sweepWarehouse } from '../../core/catalog/sweep.js';
import { commitTransaction } from '../../core/catalog/tables/commit-transaction.js';
import { createTable } from '../../core/catalog/tables/create-table.js';
import { requireTable, type TableIdentifier } from '../../core/catalog/tables/table-lookup.js';
import { listAll } from '../../core/store/object-store.js';
import { validateCreateTableRequest } from '../../core/metadata/index.js';
import { startCoreHarness, type CoreHarness } from '../support/core-context.js';
import { createTableBody, uniqueNameOf } from '../support/table-requests.js';

/**
 * The sweeper (code review 1.8, issue 9 "a sweeper clears expired transitions; aborted transaction
 * records are removed"): what a writer that died leaves behind is cleared without anyone meeting it.
 */
let h: CoreHarness;
before(async () => {
  h = await startCoreHarness();
});
after(async () => h.close());

const BUDGET_MS = 60_000;

async function tables(count: number): Promise<TableIdentifier[]> {
  h.store.arm(undefined);
  const namespace = [uniqueNameOf('sweep')];
  await createNamespace(h.ctx, h.warehouse, { namespace, properties: {} });
  const ids: TableIdentifier[] = [];
  for (let i = 0; i < count; i++) {
    await createTable(h.ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody(`t${i}`)));
    ids.push({ namespace, name: `t${i}` });
  }
  return ids;
}

async function transactionRecords(): Promise<number> {
  let count = 0;
  for await (const page of listAll(h.inner, { prefix: h.ctx.keys.transactionsPrefix(h.warehouse) })) count += page.objects.length;
  return count;
}

const rawPointer = (id: TableIdentifier) => readPointer(h.ctx, pointerKey(h.ctx, h.warehouse, id.namespace, 'table', id.name));
const marker = (ids: TableIdentifier[], value: string) =>
  ids.map((identifier) => ({ identifier, requirements: [], updates: [{ action: 'set-properties' as const, updates: { marker: value } }] }));

/** Runs `work` until the simulated process dies after `calls` store calls (the call that crosses lands). */
async function crashAfter(calls: number, work: () => Promise<unknown>): Promise<void> {
  h.store.arm(calls);
  await work().catch(() => undefined);
  h.store.arm(undefined);
}

test('a transaction whose writer died after marking its pointers is aborted, rolled back and removed once expired', async () => {
  const ids = await tables(2);
  const before = await transactionRecords();
  // record (1), two pointers read while committing... crash right after both marks landed:
  // GET×2 (settle), PUT-IF-ABSENT record, PUT-IF-MATCH×2 marks = 5 calls.
  await crashAfter(5, () => commitTransaction(h.ctx, h.warehouse, marker(ids, 'never')));
  assert.equal((await rawPointer(ids[0]!))?.value.pending !== undefined && (await rawPointer(ids[1]!))?.value.pending !== undefined, true, 'both pointers are left marked');
  assert.equal(await transactionRecords(), before + 1);

  const early = await sweepWarehouse(h.ctx, h.warehouse, BUDGET_MS);
  assert.equal(early.transactionsAborted, 0, 'a live (unexpired) transaction is left alone');

  h.advanceClock(TRANSITION_EXPIRY_MS + 1_000);
  const report = await sweepWarehouse(h.ctx, h.warehouse, BUDGET_MS);
  assert.equal(report.transactionsAborted, 1);
  assert.equal(report.transactionsRemoved, 1);
  assert.equal(await transactionRecords(), before);
  for (const id of ids) {
    assert.equal((await rawPointer(id))?.value.pending, undefined, 'rolled back');
    assert.equal((await requireTable(h.ctx, h.warehouse, id)).metadata.properties['marker'], undefined);
  }
});

test('a committed transaction whose writer died before rolling forward is finished and removed', async () => {
  const ids = await tables(2);
  const before = await transactionRecords();
  // ... + the commit point (PUT-IF-MATCH on the record) = 6 calls.
  await crashAfter(6, () => commitTransaction(h.ctx, h.warehouse, marker(ids, 'landed')));
  assert.equal(await transactionRecords(), before + 1);
  const report = await sweepWarehouse(h.ctx, h.warehouse, BUDGET_MS);
  assert.equal(report.transactionsRemoved, 1);
  assert.equal(await transactionRecords(), before);
  for (const id of ids) {
    assert.equal((await rawPointer(id))?.value.pending, undefined, 'rolled forward');
    assert.equal((await requireTable(h.ctx, h.warehouse, id)).metadata.properties['marker'], 'landed');
  }
});

test('a creating pointer left by a writer that died is retired once expired, and only then', async () => {
  h.store.arm(undefined);
  const namespace = [uniqueNameOf('sweepc')];
  await createNamespace(h.ctx, h.warehouse, { namespace, properties: {} });
  // The claim (PUT-IF-ABSENT of the pointer) is the first conditional write of a create: crash right after it.
  const request = validateCreateTableRequest(createTableBody('orphan'));
  h.store.arm(Number.MAX_SAFE_INTEGER);
  await createTable(h.ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody('probe')));
  const claimCalls = h.store.log.findIndex((line) => line.startsWith('PUT-IF-ABSENT')) + 1;
  h.store.arm(undefined);
  await crashAfter(claimCalls, () => createTable(h.ctx, h.warehouse, namespace, request));
  const id = { namespace, name: 'orphan' };
  assert.equal((await rawPointer(id))?.value.state, 'creating');

  assert.equal((await sweepWarehouse(h.ctx, h.warehouse, BUDGET_MS)).pointersSwept, 0, 'a fresh transition is left alone');
  h.advanceClock(TRANSITION_EXPIRY_MS + 1_000);
  const report = await sweepWarehouse(h.ctx, h.warehouse, BUDGET_MS);
  assert.ok(report.pointersSwept >= 1);
  assert.equal(await rawPointer(id), undefined, 'the key is gone');
  await createTable(h.ctx, h.warehouse, namespace, request);
});

test('group-commit intents and a fold lease left by writers that died are deleted once expired, and only then', async () => {
  h.store.arm(undefined);
  const uuid = `swept-${uniqueNameOf('gc')}`;
  const intent = h.ctx.keys.intent(h.warehouse, uuid, intentName(h.ctx.clock.now(), 'dead-writer'));
  const lease = h.ctx.keys.foldLease(h.warehouse, uuid);
  assert.ok((await h.ctx.records.create(intent, intentToJson({ createdMs: h.ctx.clock.now(), state: 'pending', request: { requirements: [], updates: [] } }))).ok);
  assert.ok((await h.ctx.records.create(lease, { holder: 'dead-folder', 'until-ms': h.ctx.clock.now() + 4_000 })).ok);
  const present = async () => (await h.ctx.records.objects.list({ prefix: h.ctx.keys.groupCommitPrefix(h.warehouse) })).objects.filter((o) => o.key.includes(uuid)).length;

  await sweepWarehouse(h.ctx, h.warehouse, BUDGET_MS);
  assert.equal(await present(), 2, 'fresh intents and leases are left alone (a writer may be waiting)');
  h.advanceClock(INTENT_EXPIRY_MS + 1_000);
  const report = await sweepWarehouse(h.ctx, h.warehouse, BUDGET_MS);
  assert.ok(report.intentsRemoved >= 2);
  assert.equal(await present(), 0);
});
