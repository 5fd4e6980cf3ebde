import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CatalogContext } from '../catalog/context.js';
import { createNamespace } from '../catalog/namespaces/create-namespace.js';
import { createTable } from '../catalog/tables/create-table.js';
import type { TableIdentifier } from '../catalog/tables/table-lookup.js';
import { validateCreateTableRequest } from '../metadata/index.js';
import { startCoreHarness, type CoreHarness } from '../../test/support/core-context.js';
import { createTableBody, uniqueNameOf } from '../../test/support/table-requests.js';
import type { Job, JobQueue, MaintainTableJob } from './jobs/job-queue.js';
import type { maintainTable, MaintainTableOptions, MaintenanceReport } from './maintain-table.js';
import { maintainQueuedTable, maintainWarehouseTick, maintenanceCursorKey } from './schedule.js';

/**
 * Scheduled maintenance with a job queue (schedule.ts): the tick hands each table it visits to the
 * queue instead of running it, with the table's orphan cursor, and the worker's run saves the next
 * cursor back for the tick after. Each test points the round-robin just before its own namespace.
 */
let h: CoreHarness;
before(async () => {
  h = await startCoreHarness();
});
after(async () => h.close());

class RecordingQueue implements JobQueue {
  readonly jobs: Job[] = [];
  async enqueue(job: Job): Promise<void> {
    this.jobs.push(job);
  }
}

async function namespaceWithTables(count: number): Promise<{ namespace: string[]; names: string[] }> {
  const namespace = [uniqueNameOf('queued')];
  await createNamespace(h.ctx, h.warehouse, { namespace, properties: {} });
  const names = Array.from({ length: count }, (_, i) => `t${i}`);
  for (const name of names) await createTable(h.ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody(name)));
  return { namespace, names };
}

async function startCursorAt(ctx: CatalogContext, namespace: readonly string[], orphanCursors: Record<string, string> = {}): Promise<void> {
  const key = maintenanceCursorKey(ctx, h.warehouse);
  await ctx.records.objects.delete(key);
  await ctx.records.create(key, { after: ctx.keys.namespaceRecord(h.warehouse, namespace), orphanCursors });
}

async function storedCursor(ctx: CatalogContext): Promise<{ after?: string; orphanCursors: Record<string, string> }> {
  const stored = await ctx.records.read(maintenanceCursorKey(ctx, h.warehouse), (v) => v as { after?: string; orphanCursors: Record<string, string> });
  return stored!.value;
}

/** A stub run that answers an orphan listing stopped at `cursor` (undefined: it reached the end). */
function stubRun(cursor: string | undefined, seen: { id: TableIdentifier; options: MaintainTableOptions | undefined }[] = []) {
  const maintain = async (_ctx: CatalogContext, _w: string, id: TableIdentifier, _now: number, options?: MaintainTableOptions): Promise<MaintenanceReport> => {
    seen.push({ id, options });
    return {
      ran: true,
      expiry: { status: 'nothing-to-expire' } as unknown as MaintenanceReport['expiry'],
      expiredSnapshotIds: [],
      orphans: { dryRun: false, deleted: [], kept: { referenced: 0, young: 0, foreign: 0, outside: 0 }, listed: 10, cursor, minAgeMs: 0, notDeleted: [] },
    };
  };
  return maintain as typeof maintainTable;
}

const inNamespace = (jobs: readonly Job[], namespace: readonly string[]) =>
  jobs.filter((j): j is Extract<Job, { type: 'maintain-table' }> => j.type === 'maintain-table' && j.namespace[0] === namespace[0]);

describe('scheduled maintenance through the job queue', () => {
  test('a tick enqueues one maintain-table job per table it visits, runs none, and moves its cursor as before', async () => {
    const { namespace, names } = await namespaceWithTables(3);
    const ctx = h.ctx;
    const t1 = ctx.keys.tablePointer(h.warehouse, namespace, 't1');
    await startCursorAt(ctx, namespace, { [t1]: 'orphan-cursor-of-t1' });
    const queue = new RecordingQueue();
    const maintain = (async () => assert.fail('a queued tick runs no table itself')) as unknown as typeof maintainTable;

    const tick = await maintainWarehouseTick(ctx, h.warehouse, ctx.clock.now() + 60_000, 2, { jobs: queue, maintain });

    const jobs = inNamespace(queue.jobs, namespace);
    assert.deepEqual(jobs.map((j) => j.table), names.slice(0, 2));
    assert.deepEqual(jobs.map((j) => [j.warehouse, j.namespace, j.orphanCursor]), [[h.warehouse, namespace, undefined], [h.warehouse, namespace, 'orphan-cursor-of-t1']]);
    assert.ok(tick.tables.every((t) => t.queued === true && t.error === undefined));
    assert.equal(tick.cursor, t1);
    assert.equal(tick.cursorSaved, true);
    assert.deepEqual((await storedCursor(ctx)).orphanCursors, { [t1]: 'orphan-cursor-of-t1' }, 'the worker, not the tick, replaces a queued table\'s orphan cursor');
  });

  test('a table that could not be queued is reported and the tick goes on', async () => {
    const { namespace } = await namespaceWithTables(2);
    await startCursorAt(h.ctx, namespace);
    const failing: JobQueue = {
      enqueue: async (job) => {
        if (job.type === 'maintain-table' && job.table === 't0') throw new Error('QueueDoesNotExist');
      },
    };
    const tick = await maintainWarehouseTick(h.ctx, h.warehouse, h.ctx.clock.now() + 60_000, 2, { jobs: failing });
    assert.deepEqual(tick.tables.map((t) => [t.table.name, t.queued ?? false, t.error]), [['t0', false, 'QueueDoesNotExist'], ['t1', true, undefined]]);
  });

  test('the worker runs the job\'s table from its orphan cursor and saves the next cursor, keeping the rest of the record', async () => {
    const { namespace } = await namespaceWithTables(2);
    const t0 = h.ctx.keys.tablePointer(h.warehouse, namespace, 't0');
    const t1 = h.ctx.keys.tablePointer(h.warehouse, namespace, 't1');
    await startCursorAt(h.ctx, namespace, { [t1]: 'kept' });
    const before = await storedCursor(h.ctx);
    const job: MaintainTableJob = { warehouse: h.warehouse, namespace, table: 't0', requestedAtMs: 1, orphanCursor: 'c1' };
    const seen: { id: TableIdentifier; options: MaintainTableOptions | undefined }[] = [];

    const first = await maintainQueuedTable(h.ctx, job, { maintain: stubRun('c2', seen) });
    assert.equal(first.cursorSaved, true);
    assert.deepEqual(seen.map((s) => [s.id, s.options?.orphanCursor, s.options?.dryRun]), [[{ namespace, name: 't0' }, 'c1', false]]);
    assert.deepEqual(await storedCursor(h.ctx), { after: before.after, orphanCursors: { [t1]: 'kept', [t0]: 'c2' } });

    // A listing that reached its end clears the table's cursor: the next run starts over.
    await maintainQueuedTable(h.ctx, { ...job, orphanCursor: 'c2' }, { maintain: stubRun(undefined) });
    assert.deepEqual((await storedCursor(h.ctx)).orphanCursors, { [t1]: 'kept' });
  });

  test('a dry run saves no cursor', async () => {
    const { namespace } = await namespaceWithTables(1);
    await startCursorAt(h.ctx, namespace);
    const result = await maintainQueuedTable(h.ctx, { warehouse: h.warehouse, namespace, table: 't0', requestedAtMs: 1, dryRun: true }, { maintain: stubRun('c9') });
    assert.equal(result.cursorSaved, true);
    assert.deepEqual((await storedCursor(h.ctx)).orphanCursors, {});
  });

  test('a run that fails saves nothing and throws, so the queue retries the job from the same cursor', async () => {
    const { namespace } = await namespaceWithTables(1);
    await startCursorAt(h.ctx, namespace);
    const failing = (async () => {
      throw new Error('SlowDown');
    }) as unknown as typeof maintainTable;
    await assert.rejects(maintainQueuedTable(h.ctx, { warehouse: h.warehouse, namespace, table: 't0', requestedAtMs: 1, orphanCursor: 'c1' }, { maintain: failing }), /SlowDown/);
    assert.deepEqual((await storedCursor(h.ctx)).orphanCursors, {});
  });
});
