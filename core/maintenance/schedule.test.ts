import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CatalogContext } from '../catalog/context.js';
import { createNamespace } from '../catalog/namespaces/create-namespace.js';
import { createTable } from '../catalog/tables/create-table.js';
import type { TableIdentifier } from '../catalog/tables/table-lookup.js';
import { validateCreateTableRequest } from '../metadata/index.js';
import { startCoreHarness, type CoreHarness } from '../../test/support/core-context.js';
import { createTableBody, uniqueNameOf } from '../../test/support/table-requests.js';
import { maintainTable, type MaintainTableOptions, type MaintenanceReport } from './maintain-table.js';
import { maintainWarehouseTick, maintenanceCursorKey, maintenanceTick, tableOfPointerKey } from './schedule.js';

/**
 * The scheduled path's round-robin (schedule.ts), with the per-table run injected: which tables a
 * tick visits, that it stops at its table count and at its time (an injected clock that each run
 * moves), and that the next tick resumes where the last stopped, then starts over at the end.
 * Each test points the cursor just before its own namespace, so other tests' tables do not matter.
 */
let h: CoreHarness;
before(async () => {
  h = await startCoreHarness();
});
after(async () => h.close());

/** A context whose clock the test sets (the harness's advances with Date.now()). */
function clocked(start: number): { ctx: CatalogContext; set(ms: number): void; now(): number } {
  let now = start;
  const ctx: CatalogContext = Object.assign(Object.create(Object.getPrototypeOf(h.ctx) as object) as CatalogContext, h.ctx, { clock: { now: () => now } });
  return { ctx, set: (ms) => (now = ms), now: () => now };
}

/** A fresh namespace with `count` tables named t0.. in key order; every other table of the warehouse sorts before or after. */
async function namespaceWithTables(count: number): Promise<{ namespace: string[]; names: string[] }> {
  const namespace = [uniqueNameOf('sched')];
  await createNamespace(h.ctx, h.warehouse, { namespace, properties: {} });
  const names = Array.from({ length: count }, (_, i) => `t${i}`);
  for (const name of names) await createTable(h.ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody(name)));
  return { namespace, names };
}

/** A stub run that records which tables it was asked for and moves the clock by `costMs`. */
function recorder(clock: { set(ms: number): void; now(): number }, costMs: number) {
  const visited: TableIdentifier[] = [];
  const maintain = async (_ctx: CatalogContext, _w: string, id: TableIdentifier, _now: number, _o?: MaintainTableOptions): Promise<MaintenanceReport> => {
    visited.push(id);
    clock.set(clock.now() + costMs);
    return { ran: false, expiry: { status: 'disabled' } as MaintenanceReport['expiry'], expiredSnapshotIds: [] };
  };
  return { visited, maintain: maintain as typeof maintainTable };
}

/** Visits limited to one namespace (other tests' tables share the warehouse). */
const inNamespace = (visited: readonly TableIdentifier[], namespace: readonly string[]) => visited.filter((v) => v.namespace[0] === namespace[0]).map((v) => v.name);

describe('scheduled maintenance: a bounded round-robin with a persisted cursor', () => {
  test('pointer keys map back to table identifiers; other keys are not tables', () => {
    const root = maintenanceCursorKey(h.ctx, h.warehouse).slice(0, -'maintenance/cursor'.length);
    const key = h.ctx.keys.tablePointer(h.warehouse, ['a', 'b/c'], 'x=y');
    assert.deepEqual(tableOfPointerKey(root, key), { namespace: ['a', 'b/c'], name: 'x=y' });
    assert.equal(tableOfPointerKey(root, h.ctx.keys.namespaceRecord(h.warehouse, ['a'])), undefined);
    assert.equal(tableOfPointerKey(root, h.ctx.keys.viewPointer(h.warehouse, ['a'], 'v')), undefined);
  });

  test('a tick stops at its table count, the next resumes after the last table done, and the end starts over', async () => {
    const { namespace, names } = await namespaceWithTables(5);
    const clock = clocked(1_000_000);
    const first = maintenanceCursorKey(clock.ctx, h.warehouse);
    // Start just before this namespace: earlier tests' tables are not this test's business.
    await clock.ctx.records.objects.delete(first);
    await clock.ctx.records.create(first, { after: h.ctx.keys.namespaceRecord(h.warehouse, namespace), orphanCursors: {} });
    const { visited, maintain } = recorder(clock, 10);

    const tick1 = await maintainWarehouseTick(clock.ctx, h.warehouse, clock.now() + 60_000, 2, { maintain });
    assert.deepEqual(inNamespace(visited, namespace), names.slice(0, 2));
    assert.equal(tick1.stopped, true);
    assert.equal(tick1.cursorSaved, true);
    assert.equal(tick1.cursor, h.ctx.keys.tablePointer(h.warehouse, namespace, 't1'));

    const tick2 = await maintainWarehouseTick(clock.ctx, h.warehouse, clock.now() + 60_000, 2, { maintain });
    assert.deepEqual(inNamespace(visited, namespace), names.slice(0, 4), 'resumed at t2');
    assert.equal(tick2.stopped, true);

    // t4 and whatever follows in the warehouse; then the listing ends and the cursor is cleared.
    const tick3 = await maintainWarehouseTick(clock.ctx, h.warehouse, clock.now() + 60_000, 1_000, { maintain });
    assert.deepEqual(inNamespace(visited, namespace), names);
    assert.equal(tick3.stopped, false);
    assert.equal(tick3.cursor, undefined);

    visited.length = 0;
    await maintainWarehouseTick(clock.ctx, h.warehouse, clock.now() + 60_000, 1_000, { maintain });
    assert.deepEqual(inNamespace(visited, namespace), names, 'the next cycle starts over from the first table');
  });

  test('a tick starts no table after its deadline (each run here takes 10 s of a 25 s budget)', async () => {
    const { namespace, names } = await namespaceWithTables(5);
    const clock = clocked(2_000_000);
    const key = maintenanceCursorKey(clock.ctx, h.warehouse);
    await clock.ctx.records.objects.delete(key);
    await clock.ctx.records.create(key, { after: h.ctx.keys.namespaceRecord(h.warehouse, namespace), orphanCursors: {} });
    const { visited, maintain } = recorder(clock, 10_000);
    const start = clock.now();

    const tick = await maintainWarehouseTick(clock.ctx, h.warehouse, start + 25_000, 1_000, { maintain });
    assert.deepEqual(inNamespace(visited, namespace), names.slice(0, 3), 'started at 0, 10 and 20 s; not at 30 s');
    assert.equal(tick.stopped, true);
    assert.ok(clock.now() - start <= 25_000 + 10_000, 'overshoots by at most one run');
    await maintainWarehouseTick(clock.ctx, h.warehouse, clock.now() + 25_000, 2, { maintain });
    assert.deepEqual(inNamespace(visited, namespace), names, 'the next tick resumes at t3');
  });

  test('a cursor write that does not land (another tick moved it meanwhile) loses nothing: the tick still answers, and the tables are visited again', async () => {
    const { namespace, names } = await namespaceWithTables(3);
    const clock = clocked(3_000_000);
    const key = maintenanceCursorKey(clock.ctx, h.warehouse);
    const start = h.ctx.keys.namespaceRecord(h.warehouse, namespace);
    await clock.ctx.records.objects.delete(key);
    await clock.ctx.records.create(key, { after: start, orphanCursors: {} });
    const { visited, maintain } = recorder(clock, 10);
    // A concurrent tick rewrites the cursor (to where this one started) while this one runs: this
    // tick's If-Match write of its own cursor is refused.
    const racing: typeof maintainTable = async (...args) => {
      const stored = await clock.ctx.records.read(key, (v) => v);
      assert.ok(stored !== undefined);
      assert.equal((await clock.ctx.records.replace(key, { after: start, orphanCursors: {} }, stored.etag)).ok, true);
      return maintain(...args);
    };

    const lost = await maintainWarehouseTick(clock.ctx, h.warehouse, clock.now() + 60_000, 2, { maintain: racing });
    assert.equal(lost.cursorSaved, false);
    assert.deepEqual(inNamespace(visited, namespace), names.slice(0, 2));
    // Maintenance is idempotent, so the cost of the lost write is only that t0 and t1 come again.
    const next = await maintainWarehouseTick(clock.ctx, h.warehouse, clock.now() + 60_000, 2, { maintain });
    assert.equal(next.cursorSaved, true);
    assert.deepEqual(inNamespace(visited, namespace), [...names.slice(0, 2), ...names.slice(0, 2)]);
  });

  test('maintenanceTick runs the real maintainTable on the next table and summarises its report', async () => {
    const namespace = [uniqueNameOf('sched')];
    await createNamespace(h.ctx, h.warehouse, { namespace, properties: {} });
    const name = 'due';
    const created = await createTable(h.ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody(name, { properties: { 'history.expire.max-snapshot-age-ms': '1' } })));
    assert.ok(created.metadata.location.length > 0);
    const key = maintenanceCursorKey(h.ctx, h.warehouse);
    await h.ctx.records.objects.delete(key);
    await h.ctx.records.create(key, { after: h.ctx.keys.namespaceRecord(h.warehouse, namespace), orphanCursors: {} });

    const reports = await maintenanceTick(h.ctx, { budgetMs: 30_000, maxTables: 1 });
    const tick = reports[h.warehouse];
    assert.ok(tick !== undefined);
    assert.equal(tick.tables.length, 1);
    assert.deepEqual(tick.tables[0]!.table, { namespace, name });
    assert.equal(tick.tables[0]!.error, undefined);
    assert.equal(tick.tables[0]!.ran, true);
  });

  test('with CATALOG_MAINTENANCE=off a tick maintains only the tables that opt in', async () => {
    const off = Object.assign(Object.create(Object.getPrototypeOf(h.ctx) as object) as CatalogContext, h.ctx, { config: { ...h.ctx.config, maintenanceEnabled: false } });
    const namespace = [uniqueNameOf('sched')];
    await createNamespace(h.ctx, h.warehouse, { namespace, properties: {} });
    await createTable(h.ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody('a-default')));
    await createTable(h.ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody('b-opted-in', { properties: { 'catalog.maintenance.enabled': 'true' } })));
    const key = maintenanceCursorKey(h.ctx, h.warehouse);
    await h.ctx.records.objects.delete(key);
    await h.ctx.records.create(key, { after: h.ctx.keys.namespaceRecord(h.warehouse, namespace), orphanCursors: {} });

    const tick = (await maintenanceTick(off, { budgetMs: 30_000, maxTables: 2 }))[h.warehouse];
    assert.deepEqual(tick?.tables.map((t) => [t.table.name, t.ran]), [['a-default', false], ['b-opted-in', true]]);
  });
});
