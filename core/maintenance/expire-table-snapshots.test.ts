import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CatalogContext } from '../catalog/context.js';
import { createNamespace } from '../catalog/namespaces/create-namespace.js';
import { commitTable } from '../catalog/tables/commit-table.js';
import { createTable } from '../catalog/tables/create-table.js';
import { requireTable, type TableIdentifier } from '../catalog/tables/table-lookup.js';
import { validateCreateTableRequest } from '../metadata/index.js';
import type { Snapshot } from '../metadata/types.js';
import { startCoreHarness, type CoreHarness } from '../../test/support/core-context.js';
import { createTableBody, uniqueNameOf } from '../../test/support/table-requests.js';
import { expireSnapshots, MAX_EXPIRY_ATTEMPTS } from './expire-table-snapshots.js';
import { maintainTable } from './maintain-table.js';

/**
 * The expiry commit beside writers, with the race forced at the one place it matters: between the
 * moment a side has read its base and the moment it swaps. Invariants: the writer's commit always
 * lands (it never sees an error caused by the expiry); the expiry re-plans on the new base when a
 * writer moved a ref, and gives up (writes nothing) when writers keep moving it.
 * Manifest lists are only named here: no file is read or deleted (expired-files has its own tests).
 */
let h: CoreHarness;
let namespace: string[];
before(async () => {
  h = await startCoreHarness();
  namespace = [uniqueNameOf('expire')];
  await createNamespace(h.ctx, h.warehouse, { namespace, properties: {} });
});
after(async () => h.close());

const SHORT_AGE = { 'history.expire.max-snapshot-age-ms': '1' };
let nextId = 1_000n;

async function aTable(properties: Record<string, string> = SHORT_AGE): Promise<TableIdentifier> {
  const id = { namespace, name: uniqueNameOf('t') };
  await createTable(h.ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody(id.name, { properties })));
  return id;
}

/** A fast append on main as an engine sends it, built on the table as read now; commitTable through `ctx`. */
async function append(ctx: CatalogContext, id: TableIdentifier): Promise<bigint> {
  const { metadata } = await requireTable(h.ctx, h.warehouse, id);
  const parent = metadata.currentSnapshotId;
  const snapshotId = nextId++;
  const snapshot: Snapshot = {
    snapshotId,
    ...(parent !== null ? { parentSnapshotId: parent } : {}),
    sequenceNumber: metadata.lastSequenceNumber + 1n,
    timestampMs: BigInt(Date.now()),
    manifestList: `${metadata.location}/metadata/snap-${snapshotId}.avro`,
    summary: { operation: 'append' },
    schemaId: metadata.currentSchemaId,
  };
  await commitTable(
    ctx,
    h.warehouse,
    id,
    [{ type: 'assert-ref-snapshot-id', ref: 'main', snapshotId: parent }],
    [
      { action: 'add-snapshot', snapshot },
      { action: 'set-snapshot-ref', refName: 'main', type: 'branch', snapshotId },
    ],
  );
  return snapshotId;
}

/**
 * `ctx` whose metadata reads first run `interject` (at most `times` times): whatever it commits
 * lands after the reader has its base and before it swaps.
 */
function interjecting(times: number, interject: () => Promise<unknown>): CatalogContext {
  let left = times;
  const files = h.ctx.metadataFiles;
  const metadataFiles = new Proxy(files, {
    get(target, property, receiver) {
      if (property !== 'read') return Reflect.get(target, property, receiver) as unknown;
      return async (location: string) => {
        const metadata = await target.read(location);
        if (left > 0) {
          left--;
          await interject();
        }
        return metadata;
      };
    },
  });
  const ctx = Object.assign(Object.create(Object.getPrototypeOf(h.ctx) as object) as CatalogContext, h.ctx, { metadataFiles });
  Object.defineProperty(ctx, 'jobs', { get: () => h.ctx.jobs });
  return ctx;
}

const later = () => Date.now() + 60_000;
const snapshotIds = async (id: TableIdentifier) => (await requireTable(h.ctx, h.warehouse, id)).metadata.snapshots.map((s) => s.snapshotId);

describe('expireSnapshots beside live writers', () => {
  test('expires every snapshot but main head under a 1 ms max age, through a normal commit', async () => {
    const id = await aTable();
    for (let n = 0; n < 5; n++) await append(h.ctx, id);
    const head = (await snapshotIds(id)).at(-1);
    const outcome = await expireSnapshots(h.ctx, h.warehouse, id, later());
    assert.equal(outcome.status, 'committed');
    assert.equal(outcome.plan.snapshotIdsToRemove.length, 4);
    assert.deepEqual(await snapshotIds(id), [head]);
    const loaded = await requireTable(h.ctx, h.warehouse, id);
    assert.equal(loaded.pointer.value.metadataLocation, outcome.metadataLocation);
    assert.ok(loaded.metadata.metadataLog.length > 0, 'a commit like any other: the metadata log grew');
  });

  test('a writer whose swap loses to the expiry is retried by the server and lands', async () => {
    const id = await aTable();
    for (let n = 0; n < 3; n++) await append(h.ctx, id);
    // The writer reads its base; the expiry then commits; the writer's swap loses and is re-applied.
    const writer = interjecting(1, () => expireSnapshots(h.ctx, h.warehouse, id, later()));
    const landed = await append(writer, id);
    const ids = await snapshotIds(id);
    assert.equal(ids.at(-1), landed);
    assert.equal(ids.length, 2, 'the expired base (one snapshot) plus the writer’s');
  });

  test('an expiry whose base an append moved lands on the new base at once (the server re-applies it): the append is kept', async () => {
    const id = await aTable();
    for (let n = 0; n < 3; n++) await append(h.ctx, id);
    let written: bigint | undefined;
    const expirer = interjecting(1, async () => {
      written = await append(h.ctx, id);
    });
    const outcome = await expireSnapshots(expirer, h.warehouse, id, later());
    assert.equal(outcome.status, 'committed');
    assert.equal(outcome.attempts, 1, 'main moved on by an append: the plan still holds, no re-plan');
    const ids = await snapshotIds(id);
    assert.equal(ids.at(-1), written, 'the writer’s snapshot is the head');
    assert.equal(ids.length, 2, 'the plan\'s head (kept by that plan) and the writer\'s; the two older ones are gone');
  });

  test('a ref created on a snapshot the plan removes stops that plan: the expiry re-plans on the new base, and the new ref keeps its snapshot', async () => {
    const id = await aTable();
    const first = await append(h.ctx, id);
    for (let n = 0; n < 2; n++) await append(h.ctx, id);
    const expirer = interjecting(1, () => commitTable(h.ctx, h.warehouse, id, [], [{ action: 'set-snapshot-ref', refName: 'audit', type: 'tag', snapshotId: first }]));
    const outcome = await expireSnapshots(expirer, h.warehouse, id, later());
    assert.equal(outcome.status, 'committed');
    assert.equal(outcome.attempts, 2, 'the first plan was refused by assert-snapshots-unreferenced');
    const { metadata } = await requireTable(h.ctx, h.warehouse, id);
    assert.equal(metadata.refs['audit']?.snapshotId, first);
    assert.ok(metadata.snapshots.some((s) => s.snapshotId === first));
  });

  test('yields, writing nothing, when writers move main before every swap', async () => {
    const id = await aTable();
    for (let n = 0; n < 2; n++) await append(h.ctx, id);
    let appended = 2;
    const expirer = interjecting(Number.POSITIVE_INFINITY, async () => {
      await append(h.ctx, id);
      appended++;
    });
    const outcome = await expireSnapshots(expirer, h.warehouse, id, later());
    assert.equal(outcome.status, 'yielded');
    assert.equal(outcome.attempts, MAX_EXPIRY_ATTEMPTS);
    assert.ok(appended >= 2 + MAX_EXPIRY_ATTEMPTS);
    assert.equal((await snapshotIds(id)).length, appended, 'every writer landed, nothing was expired');
  });

  test('a property change racing the expiry does not stop it (refs unchanged: re-applied by the server)', async () => {
    const id = await aTable();
    for (let n = 0; n < 3; n++) await append(h.ctx, id);
    const expirer = interjecting(2, () => commitTable(h.ctx, h.warehouse, id, [], [{ action: 'set-properties', updates: { owner: 'someone' } }]));
    const outcome = await expireSnapshots(expirer, h.warehouse, id, later());
    assert.equal(outcome.status, 'committed');
    const { metadata } = await requireTable(h.ctx, h.warehouse, id);
    assert.equal(metadata.properties['owner'], 'someone');
    assert.equal(metadata.snapshots.length, 1);
  });

  test('expired refs go with their snapshots; a kept tag keeps its snapshot', async () => {
    const id = await aTable({ ...SHORT_AGE, 'history.expire.max-ref-age-ms': '3600000' });
    const first = await append(h.ctx, id);
    const second = await append(h.ctx, id);
    await append(h.ctx, id);
    await commitTable(h.ctx, h.warehouse, id, [], [
      { action: 'set-snapshot-ref', refName: 'old', type: 'tag', snapshotId: first, maxRefAgeMs: 1n },
      { action: 'set-snapshot-ref', refName: 'keep', type: 'tag', snapshotId: second },
    ]);
    const outcome = await expireSnapshots(h.ctx, h.warehouse, id, Date.now() + 1_000);
    assert.equal(outcome.status, 'committed');
    assert.deepEqual(outcome.plan.refsToRemove, ['old']);
    const { metadata } = await requireTable(h.ctx, h.warehouse, id);
    assert.deepEqual(Object.keys(metadata.refs).sort(), ['keep', 'main']);
    assert.ok(metadata.snapshots.some((s) => s.snapshotId === second));
    assert.ok(!metadata.snapshots.some((s) => s.snapshotId === first));
  });

  test('a dry run writes nothing and shows the metadata it would leave', async () => {
    const id = await aTable();
    for (let n = 0; n < 3; n++) await append(h.ctx, id);
    const before = await requireTable(h.ctx, h.warehouse, id);
    const outcome = await expireSnapshots(h.ctx, h.warehouse, id, later(), { dryRun: true });
    assert.equal(outcome.status, 'dry-run');
    assert.equal(outcome.after.snapshots.length, 1);
    assert.equal((await requireTable(h.ctx, h.warehouse, id)).pointer.value.metadataLocation, before.pointer.value.metadataLocation);
  });

  test('a missing table is NoSuchTableError', async () => {
    await assert.rejects(expireSnapshots(h.ctx, h.warehouse, { namespace, name: 'never-created' }, later()), { name: 'NoSuchTableError' });
  });

  test('an expiry whose swap outcome stays unknown is CommitStateUnknownError, and maintainTable deletes nothing', async () => {
    const id = await aTable();
    for (let n = 0; n < 3; n++) await append(h.ctx, id);
    const before = await snapshotIds(id);
    const pointer = (key: string) => key.endsWith(`/t=${id.name}`);
    const faulty = await h.newContext({ rules: [{ mode: 'fail-before', answer: 'unknown', calls: 'putIfMatch', key: pointer, nth: [1], burst: 8 }] });
    await assert.rejects(maintainTable(faulty.ctx, h.warehouse, id, later(), { orphans: false }), { name: 'CommitStateUnknownError' });
    assert.deepEqual(await snapshotIds(id), before, 'the swap never landed: every snapshot is still there');
  });

  test('an invalid property is reported and the default applies', async () => {
    const id = await aTable({ 'history.expire.max-snapshot-age-ms': 'soon' });
    for (let n = 0; n < 2; n++) await append(h.ctx, id);
    const outcome = await expireSnapshots(h.ctx, h.warehouse, id, later());
    assert.equal(outcome.status, 'nothing-to-expire', 'the 5-day default keeps young snapshots');
    assert.deepEqual(outcome.problems.map((p) => p.property), ['history.expire.max-snapshot-age-ms']);
  });
});
