import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createNamespace } from '../../core/catalog/namespaces/create-namespace.js';
import { readPointer, pointerKey } from '../../core/catalog/pointers/pointer-protocol.js';
import { renameObject } from '../../core/catalog/rename-object.js';
import { commitTable } from '../../core/catalog/tables/commit-table.js';
import { commitTransaction } from '../../core/catalog/tables/commit-transaction.js';
import { createTable } from '../../core/catalog/tables/create-table.js';
import { findTablePointer, requireTable, type TableIdentifier } from '../../core/catalog/tables/table-lookup.js';
import { TRANSACTION_EXPIRY_MS } from '../../core/catalog/transactions/transaction-record.js';
import { validateCreateTableRequest } from '../../core/metadata/index.js';
import { startCoreHarness, type CoreHarness } from '../support/core-context.js';
import { SimulatedCrash } from '../support/fault-injecting-store.js';
import { createTableBody, uniqueNameOf } from '../support/table-requests.js';

/**
 * Invariant 2 (no torn multi-object change): the protocol is stopped after each store call in
 * turn, as if the Lambda died there. Afterwards every reader sees all three tables old or all
 * three new, never a mix, and the next writer finishes or rolls back what it meets.
 */
let h: CoreHarness;
before(async () => {
  h = await startCoreHarness();
});
after(async () => h.close());

async function setupTables(count: number): Promise<TableIdentifier[]> {
  h.store.arm(undefined);
  const namespace = [uniqueNameOf('crash')];
  await createNamespace(h.ctx, h.warehouse, { namespace, properties: {} });
  const ids: TableIdentifier[] = [];
  for (let i = 0; i < count; i++) {
    const id = { namespace, name: `t${i}` };
    await createTable(h.ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody(id.name)));
    ids.push(id);
  }
  return ids;
}

/**
 * The simulated death, possibly reported as an unknown commit state (the honest answer at the commit
 * point). Once the crash point has passed every store call throws, so whatever the code answers
 * after that (a settling loop may turn the failures into an `unknown` outcome) is the answer of a
 * dead process: nobody receives it.
 */
const isCrash = (error: unknown): boolean =>
  h.store.crashed || error instanceof SimulatedCrash || (error instanceof Error && error.cause instanceof SimulatedCrash);

const marker = (ids: TableIdentifier[], value: string) =>
  ids.map((identifier) => ({ identifier, requirements: [], updates: [{ action: 'set-properties' as const, updates: { marker: value } }] }));

async function markers(ids: TableIdentifier[]): Promise<(string | undefined)[]> {
  return Promise.all(ids.map(async (id) => (await requireTable(h.ctx, h.warehouse, id)).metadata.properties['marker']));
}

async function pendingLeft(ids: TableIdentifier[]): Promise<number> {
  let count = 0;
  for (const id of ids) {
    const raw = await readPointer(h.ctx, pointerKey(h.ctx, h.warehouse, id.namespace, 'table', id.name));
    if (raw?.value.pending !== undefined) count++;
  }
  return count;
}

test('a 3-table transaction stopped after every store call in turn is seen whole or not at all', async () => {
  // How many store calls a complete transaction makes: the crash points to cover.
  const probe = await setupTables(3);
  h.store.arm(undefined);
  h.store.arm(Number.MAX_SAFE_INTEGER);
  await commitTransaction(h.ctx, h.warehouse, marker(probe, 'probe'));
  const totalCalls = h.store.callCount;
  const steps = [...h.store.log];
  assert.ok(totalCalls >= 10, `expected a multi-step protocol, saw ${totalCalls} calls`);

  const outcomes: string[] = [];
  for (let crashAfter = 1; crashAfter <= totalCalls; crashAfter++) {
    const ids = await setupTables(3);
    h.store.arm(crashAfter);
    let crashed = false;
    try {
      await commitTransaction(h.ctx, h.warehouse, marker(ids, 'new'));
    } catch (error) {
      assert.ok(isCrash(error), `unexpected ${String(error)}`);
      crashed = true;
    }
    h.store.arm(undefined);

    // Readers right after the crash: all old or all new.
    const seen = await markers(ids);
    const state = seen.every((m) => m === 'new') ? 'new' : seen.every((m) => m === undefined) ? 'old' : 'MIXED';
    assert.notEqual(state, 'MIXED', `torn state after crash at call ${crashAfter} (${steps[crashAfter - 1]}): ${JSON.stringify(seen)}`);

    // Once the transaction has expired, the next writer on each table finishes or rolls back what it meets.
    h.advanceClock(TRANSACTION_EXPIRY_MS + 1_000);
    for (const id of ids) {
      await commitTable(h.ctx, h.warehouse, id, [], [{ action: 'set-properties', updates: { after: 'yes' } }]);
    }
    assert.equal(await pendingLeft(ids), 0, `pending pointers left after crash at call ${crashAfter}`);
    const later = await markers(ids);
    assert.ok(later.every((m) => m === (state === 'new' ? 'new' : undefined)), `the outcome changed after resolution: ${JSON.stringify(later)}`);
    outcomes.push(`${crashAfter}:${steps[crashAfter - 1]?.split(' ')[0]}:${crashed ? state : 'completed'}`);
  }
  process.stdout.write(`# 3-table transaction crash points (${totalCalls}): ${outcomes.join(', ')}\n`);
});

test('a rename stopped after every store call in turn leaves the table under exactly one name', async () => {
  const probe = await setupTables(1);
  h.store.arm(Number.MAX_SAFE_INTEGER);
  await renameObject(h.ctx, h.warehouse, 'table', probe[0]!, { namespace: probe[0]!.namespace, name: 'renamed' });
  const totalCalls = h.store.callCount;
  const steps = [...h.store.log];

  const outcomes: string[] = [];
  for (let crashAfter = 1; crashAfter <= totalCalls; crashAfter++) {
    const [source] = await setupTables(1);
    const destination = { namespace: source!.namespace, name: 'renamed' };
    const uuid = (await requireTable(h.ctx, h.warehouse, source!)).metadata.tableUuid;
    h.store.arm(crashAfter);
    try {
      await renameObject(h.ctx, h.warehouse, 'table', source!, destination);
    } catch (error) {
      assert.ok(isCrash(error), `unexpected ${String(error)}`);
    }
    h.store.arm(undefined);
    const atSource = await findTablePointer(h.ctx, h.warehouse, source!, 'read');
    const atDestination = await findTablePointer(h.ctx, h.warehouse, destination, 'read');
    assert.equal(Number(atSource !== undefined) + Number(atDestination !== undefined), 1, `crash at call ${crashAfter} (${steps[crashAfter - 1]}): visible under ${atSource ? 'source' : ''} ${atDestination ? 'destination' : ''}`);
    const visible = atSource ?? atDestination;
    assert.equal(visible!.pointer.value.uuid, uuid);

    h.advanceClock(TRANSACTION_EXPIRY_MS + 1_000);
    const settledSource = await findTablePointer(h.ctx, h.warehouse, source!, 'write');
    const settledDestination = await findTablePointer(h.ctx, h.warehouse, destination, 'write');
    assert.equal(settledSource !== undefined, atSource !== undefined, 'resolution changed the outcome');
    assert.equal(settledDestination !== undefined, atDestination !== undefined, 'resolution changed the outcome');
    assert.equal(await pendingLeft([source!, destination]), 0);
    outcomes.push(`${crashAfter}:${steps[crashAfter - 1]?.split(' ')[0]}:${atSource ? 'old' : 'new'}`);
  }
  process.stdout.write(`# rename crash points (${totalCalls}): ${outcomes.join(', ')}\n`);
});
