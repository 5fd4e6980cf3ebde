import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CommitFailedError } from '../../core/errors.js';
import { foldIntents } from '../../core/catalog/group-commit/fold-intents.js';
import { commitAsIntent } from '../../core/catalog/group-commit/wait-as-intent.js';
import { INTENT_EXPIRY_MS, STALE_CLAIM_MS } from '../../core/catalog/group-commit/group-commit-policy.js';
import { intentName, intentToJson } from '../../core/catalog/group-commit/intent-record.js';
import { createNamespace } from '../../core/catalog/namespaces/create-namespace.js';
import type { CatalogContext } from '../../core/catalog/context.js';
import { commitTable } from '../../core/catalog/tables/commit-table.js';
import { createTable } from '../../core/catalog/tables/create-table.js';
import { findTablePointer, requireTable, type TableIdentifier } from '../../core/catalog/tables/table-lookup.js';
import type { JsonValue } from '../../core/json/lossless-json.js';
import { serializeTableMetadata, validateCreateTableRequest, validateTableRequirements, validateTableUpdates } from '../../core/metadata/index.js';
import { appendBaseOf, appendRequest, dataFilesOf, writeAppendFiles } from '../support/append-files.js';
import { startCoreHarness, type CoreHarness } from '../support/core-context.js';
import { SimulatedCrash } from '../support/fault-injecting-store.js';
import { createTableBody, randomSnapshotId, uniqueNameOf } from '../support/table-requests.js';

/**
 * Group commit's intent protocol (docs/storage-protocol.md, "Group commit"), stopped after every
 * store call of a fold in turn, as if the folding Lambda died there. Three fast appends wait as
 * intents, all built on the same head. After the crash a reader sees each append whole or not at
 * all (its snapshot on main and its data file in main's manifest list, or neither); after the next
 * fold every append is on main exactly once, with its data file exactly once.
 */
let h: CoreHarness;
before(async () => {
  h = await startCoreHarness();
});
after(async () => h.close());

type Json = Record<string, unknown>;
const INTENTS = 3;

interface Setup {
  readonly id: TableIdentifier;
  readonly uuid: string;
  readonly headFile: string;
  readonly appends: readonly { readonly snapshotId: bigint; readonly dataFile: string }[];
}

async function setup(ctx: CatalogContext): Promise<Setup> {
  h.store.arm(undefined);
  const namespace = [uniqueNameOf('gcc')];
  await createNamespace(ctx, h.warehouse, { namespace, properties: {} });
  const id = { namespace, name: 't' };
  const created = await createTable(ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody('t', { properties: { 'catalog.rebase-appends': 'true' } })));
  // One append first, so the intents rebase onto a head with a manifest list of its own.
  const first = await prepare(ctx, serializeTableMetadata(created.metadata) as Json);
  const firstCommit = await commitTable(ctx, h.warehouse, id, validateTableRequirements(first.request['requirements']), validateTableUpdates(first.request['updates']));
  const metadata = serializeTableMetadata(firstCommit.metadata) as Json;
  const appends = [];
  for (let i = 0; i < INTENTS; i++) {
    const prepared = await prepare(ctx, metadata);
    const name = intentName(ctx.clock.now() + i, ctx.newUuid());
    const request = { requirements: prepared.request['requirements'] as JsonValue, updates: prepared.request['updates'] as JsonValue };
    const written = await ctx.records.create(ctx.keys.intent(h.warehouse, created.metadata.tableUuid, name), intentToJson({ createdMs: ctx.clock.now(), state: 'pending', request }));
    assert.ok(written.ok);
    appends.push({ snapshotId: prepared.snapshotId, dataFile: prepared.dataFile });
  }
  return { id, uuid: created.metadata.tableUuid, headFile: first.dataFile, appends };
}

async function prepare(ctx: CatalogContext, metadata: Json) {
  const base = appendBaseOf(metadata);
  const snapshotId = randomSnapshotId();
  const files = await writeAppendFiles(ctx.files, base, snapshotId);
  return { snapshotId, dataFile: files.dataFile, request: appendRequest(base, snapshotId, files) };
}

/** Which of the appends main holds, checking each is whole: snapshot on main ⇔ data file in main's list, once. */
async function appliedAppends(s: Setup): Promise<bigint[]> {
  const { metadata } = await requireTable(h.ctx, h.warehouse, s.id);
  const onMain = new Set<bigint>();
  for (let cursor = metadata.refs['main']?.snapshotId; cursor !== undefined; ) {
    const snapshot = metadata.snapshots.find((x) => x.snapshotId === cursor);
    assert.ok(snapshot !== undefined);
    assert.ok(!onMain.has(cursor), 'a snapshot twice on main');
    onMain.add(cursor);
    cursor = snapshot.parentSnapshotId;
  }
  const head = metadata.snapshots.find((x) => x.snapshotId === metadata.refs['main']!.snapshotId)!;
  const dataFiles = await dataFilesOf(h.ctx.files, head.manifestList!);
  assert.equal(new Set(dataFiles).size, dataFiles.length, 'a data file twice in main\'s manifest list');
  assert.ok(dataFiles.includes(s.headFile));
  const applied: bigint[] = [];
  for (const append of s.appends) {
    const inChain = onMain.has(append.snapshotId);
    assert.equal(dataFiles.includes(append.dataFile), inChain, `append ${append.snapshotId}: snapshot on main and data file listed go together`);
    assert.equal(metadata.snapshots.filter((x) => x.snapshotId === append.snapshotId).length, inChain ? 1 : 0);
    if (inChain) applied.push(append.snapshotId);
  }
  assert.equal(metadata.snapshots.length, 1 + applied.length, 'no snapshot other than the appends');
  return applied;
}

async function fold(ctx: CatalogContext, s: Setup) {
  const found = await findTablePointer(ctx, h.warehouse, s.id);
  return foldIntents(ctx, { warehouse: h.warehouse, id: s.id, tableUuid: s.uuid, pointerKey: found!.key }, found!.pointer, new Set());
}

const isCrash = (error: unknown): boolean => h.store.crashed || error instanceof SimulatedCrash || (error instanceof Error && error.cause instanceof SimulatedCrash);

test(`a fold of ${INTENTS} waiting appends stopped after every store call in turn: each append whole or absent, then every append exactly once, and a further fold finds nothing`, async () => {
  const probe = await setup(h.ctx);
  h.store.arm(Number.MAX_SAFE_INTEGER);
  const probed = await fold(h.ctx, probe);
  assert.ok(probed.landed && probed.applied.length === INTENTS, 'the uninterrupted fold applies all three');
  const totalCalls = h.store.callCount;
  const steps = [...h.store.log];
  h.store.arm(undefined);
  assert.deepEqual(new Set(await appliedAppends(probe)), new Set(probe.appends.map((a) => a.snapshotId)));

  const outcomes: string[] = [];
  for (let crashAfter = 1; crashAfter <= totalCalls; crashAfter++) {
    const s = await setup(h.ctx);
    h.store.arm(crashAfter);
    try {
      await fold(h.ctx, s);
    } catch (error) {
      assert.ok(isCrash(error), `unexpected ${String(error)}`);
    }
    h.store.arm(undefined);
    const afterCrash = await appliedAppends(s);
    assert.ok(afterCrash.length === 0 || afterCrash.length === INTENTS, `crash at call ${crashAfter} (${steps[crashAfter - 1]}): a fold lands whole`);

    // The next writer finds the table quiet once the dead folder's claims are stale, and folds.
    h.advanceClock(STALE_CLAIM_MS + 1);
    const other = await h.newContext();
    // A write the dead folder had in flight may still land after it "died" (a zombie claim): the
    // fold that meets it leaves that intent to the next one, so folds run until one finds nothing.
    let folds = 0;
    while ((await fold(other.ctx, s)).landed) assert.ok(++folds <= INTENTS, 'folds keep finding work');
    const recovered = await appliedAppends(s);
    assert.deepEqual(new Set(recovered), new Set(s.appends.map((a) => a.snapshotId)), `crash at call ${crashAfter}: every append applied once after the next fold`);
    outcomes.push(`${crashAfter}:${steps[crashAfter - 1]?.split(' ')[0]}:${afterCrash.length === 0 ? 'none' : 'all'}`);
  }
  process.stdout.write(`# group-commit fold crash points (${totalCalls}): ${outcomes.join(', ')}\n`);
});

test('a writer whose own intent no longer applies when it folds gets the 409 it would have had; the intent is withdrawn and gone', async () => {
  const s = await setup(h.ctx);
  const before = await requireTable(h.ctx, h.warehouse, s.id);
  const request = { requirements: [{ type: 'assert-current-schema-id', 'current-schema-id': 999 }], updates: [{ action: 'set-properties', updates: { never: 'x' } }] };
  const writer = await h.newContext();
  await assert.rejects(
    commitAsIntent(writer.ctx, { warehouse: h.warehouse, id: s.id, tableUuid: s.uuid }, request, writer.ctx.clock.now() + 10_000),
    (error: unknown) => error instanceof CommitFailedError && /Requirement failed/.test(error.message),
  );
  const after = await requireTable(h.ctx, h.warehouse, s.id);
  assert.equal(after.metadata.properties['never'], undefined);
  // Its fold still took the other writers' waiting appends along.
  assert.deepEqual(new Set(await appliedAppends(s)), new Set(s.appends.map((a) => a.snapshotId)));
  assert.notEqual(after.pointer.value.metadataLocation, before.pointer.value.metadataLocation);
  // Ours is gone; the three dead writers' intents (applied) stay until they expire, then a fold removes them.
  const intents = async () => (await h.ctx.records.objects.list({ prefix: h.ctx.keys.intentsPrefix(h.warehouse, s.uuid) })).objects.length;
  assert.equal(await intents(), INTENTS);
  h.advanceClock(INTENT_EXPIRY_MS + 1);
  assert.equal((await fold(h.ctx, s)).landed, false);
  assert.equal(await intents(), 0, 'expired intents are deleted by the next fold');
});

test('an intent withdrawn at its writer\'s deadline is never applied by a later fold', async () => {
  const s = await setup(h.ctx);
  const request = { requirements: [{ type: 'assert-table-uuid', uuid: s.uuid }], updates: [{ action: 'set-properties', updates: { late: 'x' } }] };
  // A deadline already inside the settle reserve: the writer withdraws at once and answers 409.
  await assert.rejects(commitAsIntent(h.ctx, { warehouse: h.warehouse, id: s.id, tableUuid: s.uuid }, request, h.ctx.clock.now()), CommitFailedError);
  let folds = 0;
  while ((await fold(h.ctx, s)).landed) assert.ok(++folds <= 1);
  assert.equal((await requireTable(h.ctx, h.warehouse, s.id)).metadata.properties['late'], undefined);
  assert.deepEqual(new Set(await appliedAppends(s)), new Set(s.appends.map((a) => a.snapshotId)), 'the other intents were folded');
});

test('a writer that lost its swap waits as an intent; when its writer process dies, the next fold applies it once', async () => {
  const s = await setup(h.ctx);
  // The three intents of setup() are writers that died after leaving them: a live writer's
  // ordinary commit under contention (grouping hint set by the last fold) folds them with its own.
  const request = { requirements: [{ type: 'assert-table-uuid', uuid: s.uuid }], updates: [{ action: 'set-properties', updates: { live: 'yes' } }] };
  const outcome = await commitAsIntent(h.ctx, { warehouse: h.warehouse, id: s.id, tableUuid: s.uuid }, request, h.ctx.clock.now() + 10_000);
  assert.equal(outcome.metadata.properties['live'], 'yes');
  assert.deepEqual(new Set(await appliedAppends(s)), new Set(s.appends.map((a) => a.snapshotId)));
});
