import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CommitFailedError, CommitStateUnknownError } from '../../core/errors.js';
import { foldIntents } from '../../core/catalog/group-commit/fold-intents.js';
import { commitAsIntent, commitGrouped } from '../../core/catalog/group-commit/wait-as-intent.js';
import { intentName, intentToJson } from '../../core/catalog/group-commit/intent-record.js';
import { createNamespace } from '../../core/catalog/namespaces/create-namespace.js';
import { createTable } from '../../core/catalog/tables/create-table.js';
import { findTablePointer, requireTable, type TableIdentifier } from '../../core/catalog/tables/table-lookup.js';
import { validateCreateTableRequest, validateTableRequirements, validateTableUpdates } from '../../core/metadata/index.js';
import { startCoreHarness, type CoreHarness } from '../support/core-context.js';
import type { FaultRule } from '../support/fault-injecting-store.js';
import { createTableBody, uniqueNameOf } from '../support/table-requests.js';

/**
 * Invariant 8 (an unknown outcome is not a failure) at each write of the intent protocol: the
 * intent's creation, a folder's claim, the fold lease, the fold's pointer swap and the writer's
 * withdrawal at its deadline, each with its answer lost (the write landed) or landing late (after
 * the writer's next look). Whatever the writer answers must be true for ever after, however many
 * folds follow: 200 ⇒ its change is in the table; 409 ⇒ it never will be; "state unknown" is the
 * only answer allowed when the writer cannot tell. (The record layer re-reads a conditional write
 * whose answer was lost, so most of these end in a definite answer; each case lists what it may be.) Two other writers' intents wait beside it and
 * must be applied whatever happens to this one.
 */
let h: CoreHarness;
before(async () => {
  h = await startCoreHarness();
});
after(async () => h.close());

interface Setup {
  readonly id: TableIdentifier;
  readonly uuid: string;
}

async function setup(): Promise<Setup> {
  const namespace = [uniqueNameOf('gclost')];
  await createNamespace(h.ctx, h.warehouse, { namespace, properties: {} });
  const id = { namespace, name: 't' };
  const created = await createTable(h.ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody('t')));
  const uuid = created.metadata.tableUuid;
  // Two writers that left their intents and died: any fold must take them along.
  for (const other of ['other-a', 'other-b']) {
    const request = { requirements: [{ type: 'assert-table-uuid', uuid }], updates: [{ action: 'set-properties', updates: { [other]: 'yes' } }] };
    const written = await h.ctx.records.create(h.ctx.keys.intent(h.warehouse, uuid, intentName(h.ctx.clock.now(), h.ctx.newUuid())), intentToJson({ createdMs: h.ctx.clock.now(), state: 'pending', request }));
    assert.ok(written.ok);
  }
  return { id, uuid };
}

/** Folds from a healthy context until nothing more lands: what the table will hold for ever. */
async function settledProperties(s: Setup): Promise<Record<string, string>> {
  for (let folds = 0; folds < 10; folds++) {
    const found = await findTablePointer(h.ctx, h.warehouse, s.id);
    const outcome = await foldIntents(h.ctx, { warehouse: h.warehouse, id: s.id, tableUuid: s.uuid, pointerKey: found!.key }, found!.pointer, new Set());
    if (!outcome.landed) break;
  }
  return (await requireTable(h.ctx, h.warehouse, s.id)).metadata.properties;
}

type Answer = 'ok' | 'refused' | 'unknown';

/** `intent`: the writer waits as an intent (another writer holds the lease); `leader`: it folds with its own request. */
type Path = 'intent' | 'leader';

async function writeWithFault(s: Setup, rule: (s: Setup) => FaultRule, deadlineInMs: number, path: Path = 'intent'): Promise<{ answer: Answer; injected: number }> {
  const writer = await h.newContext({ rules: [rule(s)] });
  const request = { requirements: [{ type: 'assert-table-uuid', uuid: s.uuid }], updates: [{ action: 'set-properties', updates: { mine: 'yes' } }] };
  const own = { requirements: validateTableRequirements(request.requirements), updates: validateTableUpdates(request.updates) };
  const target = { warehouse: h.warehouse, id: s.id, tableUuid: s.uuid };
  let answer: Answer;
  try {
    const deadline = writer.ctx.clock.now() + deadlineInMs;
    const outcome = path === 'leader' ? await commitGrouped(writer.ctx, target, request, own, deadline) : await commitAsIntent(writer.ctx, target, request, deadline);
    if (path === 'leader') assert.equal(outcome.led, true, 'the writer led the fold');
    assert.equal(outcome.metadata.properties['mine'], 'yes', 'a 200 answers with metadata holding the change');
    answer = 'ok';
  } catch (error) {
    if (error instanceof CommitFailedError) answer = 'refused';
    else if (error instanceof CommitStateUnknownError) answer = 'unknown';
    else throw error;
  }
  return { answer, injected: writer.faults.totalFaults };
}

const intentKeys = (s: Setup) => (key: string) => key.startsWith(h.ctx.keys.intentsPrefix(h.warehouse, s.uuid));
const leaseKey = (s: Setup) => (key: string) => key === h.ctx.keys.foldLease(h.warehouse, s.uuid);
const pointerKey = (s: Setup) => (key: string) => key.includes('/t') && !key.includes('/gc/') && !key.includes('.lease');

const cases: readonly { readonly name: string; readonly rule: (s: Setup) => FaultRule; readonly deadlineInMs: number; readonly allowed: readonly Answer[]; readonly path?: Path }[] = [
  { name: 'the intent is created, its answer lost', rule: (s) => ({ mode: 'lost-answer', calls: 'putIfAbsent', key: intentKeys(s), nth: [1] }), deadlineInMs: 10_000, allowed: ['ok', 'unknown'] },
  { name: 'the intent is created late, after the writer looked', rule: (s) => ({ mode: 'land-later', calls: 'putIfAbsent', key: intentKeys(s), nth: [1] }), deadlineInMs: 10_000, allowed: ['ok', 'unknown'] },
  { name: 'a claim lands, its answer lost', rule: (s) => ({ mode: 'lost-answer', calls: 'putIfMatch', key: intentKeys(s), nth: [1] }), deadlineInMs: 10_000, allowed: ['ok', 'unknown'] },
  { name: 'a claim lands late', rule: (s) => ({ mode: 'land-later', calls: 'putIfMatch', key: intentKeys(s), nth: [1] }), deadlineInMs: 10_000, allowed: ['ok', 'unknown'] },
  { name: 'the fold lease is taken, its answer lost', rule: (s) => ({ mode: 'lost-answer', calls: 'putIfAbsent', key: leaseKey(s), nth: [1] }), deadlineInMs: 10_000, allowed: ['ok'] },
  { name: 'the fold\'s pointer swap lands, its answer lost', rule: (s) => ({ mode: 'lost-answer', calls: 'putIfMatch', key: pointerKey(s), nth: [1] }), deadlineInMs: 10_000, allowed: ['ok', 'unknown'] },
  { name: 'the fold\'s pointer swap lands late', rule: (s) => ({ mode: 'land-later', calls: 'putIfMatch', key: pointerKey(s), nth: [1] }), deadlineInMs: 10_000, allowed: ['ok', 'unknown'] },
  { name: 'a leader\'s pointer swap lands, its answer lost', path: 'leader', rule: (s) => ({ mode: 'lost-answer', calls: 'putIfMatch', key: pointerKey(s), nth: [1] }), deadlineInMs: 10_000, allowed: ['ok', 'unknown'] },
  { name: 'a leader\'s pointer swap lands late', path: 'leader', rule: (s) => ({ mode: 'land-later', calls: 'putIfMatch', key: pointerKey(s), nth: [1] }), deadlineInMs: 10_000, allowed: ['ok', 'unknown'] },
  { name: 'a leader\'s claim on another writer\'s intent lands, its answer lost', path: 'leader', rule: (s) => ({ mode: 'lost-answer', calls: 'putIfMatch', key: intentKeys(s), nth: [1] }), deadlineInMs: 10_000, allowed: ['ok'] },
  { name: 'a leader\'s lease is taken, its answer lost', path: 'leader', rule: (s) => ({ mode: 'lost-answer', calls: 'putIfAbsent', key: leaseKey(s), nth: [1] }), deadlineInMs: 10_000, allowed: ['ok', 'unknown'] },
  // A deadline inside the settle reserve: the writer withdraws at once.
  { name: 'the withdrawal lands, its answer lost', rule: (s) => ({ mode: 'lost-answer', calls: 'putIfMatch', key: intentKeys(s), nth: [1] }), deadlineInMs: 0, allowed: ['refused', 'unknown'] },
  { name: 'the withdrawal lands late', rule: (s) => ({ mode: 'land-later', calls: 'putIfMatch', key: intentKeys(s), nth: [1] }), deadlineInMs: 0, allowed: ['unknown', 'refused'] },
  { name: 'the withdrawal never lands', rule: (s) => ({ mode: 'land-later', calls: 'putIfMatch', key: intentKeys(s), nth: [1], landAfter: 'never' }), deadlineInMs: 0, allowed: ['refused', 'unknown'] },
];

describe('group commit: every answer stays true when a write of the protocol loses its answer (invariant 8)', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const s = await setup();
      const { answer, injected } = await writeWithFault(s, c.rule, c.deadlineInMs, c.path);
      assert.equal(injected, 1, 'the fault was injected');
      assert.ok(c.allowed.includes(answer), `answered ${answer}, expected one of ${c.allowed.join(', ')}`);
      const properties = await settledProperties(s);
      if (answer === 'ok') assert.equal(properties['mine'], 'yes', 'a 200 is in the table');
      if (answer === 'refused') assert.equal(properties['mine'], undefined, 'a 409 never lands, whatever folds later');
      assert.equal(properties['other-a'], 'yes', 'the other waiting writers were applied');
      assert.equal(properties['other-b'], 'yes');
    });
  }
});
