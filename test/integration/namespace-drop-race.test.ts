import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CatalogContext } from '../../core/catalog/context.js';
import { createNamespace } from '../../core/catalog/namespaces/create-namespace.js';
import { dropNamespace } from '../../core/catalog/namespaces/drop-namespace.js';
import { findNamespace } from '../../core/catalog/namespaces/namespace-lookup.js';
import { createTable } from '../../core/catalog/tables/create-table.js';
import { dropTable } from '../../core/catalog/tables/drop-table.js';
import { requireTable } from '../../core/catalog/tables/table-lookup.js';
import { mapError } from '../../core/http/error-response.js';
import { validateCreateTableRequest } from '../../core/metadata/index.js';
import { listAll } from '../../core/store/object-store.js';
import { startCoreHarness, type CoreHarness, type FaultyContext } from '../support/core-context.js';
import { seededRandom } from '../support/fault-injecting-store.js';
import { createTableBody, uniqueNameOf } from '../support/table-requests.js';

/**
 * Invariant 3 (catalog-on-s3.md): a table is never left in a namespace that a concurrent drop
 * removed, and a namespace holding a table is never dropped. The real create path (createTable:
 * metadata file, `creating` pointer, namespace check, rival check, activation) races the real
 * namespace drop, each in its own "Lambda" (catalog context) over one store.
 *
 * Two schedules are forced (a store call is held until the other side is done) so both orders are
 * covered on every store and every run; further rounds vary the interleaving with seeded latency.
 * The assertions are the invariant and the answers' consistency with the final state, never which
 * side won.
 */
let h: CoreHarness;
let dropper: FaultyContext;
let creators: FaultyContext[];
before(async () => {
  h = await startCoreHarness();
  dropper = await h.newContext({ seed: 11 });
  creators = [];
  for (let i = 0; i < CREATORS; i++) creators.push(await h.newContext({ seed: 12 + i }));
});
after(async () => h.close());

const CREATORS = 6;
const RANDOM_ROUNDS = 12;

interface Answer {
  readonly status: number;
  readonly type: string;
}

async function answerOf(run: Promise<unknown>): Promise<Answer> {
  try {
    await run;
    return { status: 200, type: 'ok' };
  } catch (error) {
    const mapped = mapError(error);
    return { status: mapped.status, type: mapped.body.error.type };
  }
}

function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/** One Lambda per creator, so a hold can tell its own create's calls apart. */
const creatorOf = (i: number) => creators[i]!;
const create = (ctx: CatalogContext, namespace: string[], i: number) =>
  answerOf(createTable(ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody(`t${i}`))));

/** The invariant, and that every answer agrees with what is there afterwards. */
async function checkRound(label: string, namespace: string[], drop: Answer, creates: Answer[]): Promise<void> {
  const observer = (await h.newContext()).ctx;
  const exists = (await findNamespace(observer, h.warehouse, namespace)) !== undefined;
  const folder = observer.keys.namespaceFolder(h.warehouse, namespace);
  const left: string[] = [];
  for await (const page of listAll(h.inner, { prefix: folder })) left.push(...page.objects.map((o) => o.key.slice(folder.length)).filter((k) => k !== '_ns'));
  const acked = creates.map((c, i) => (c.status === 200 ? i : -1)).filter((i) => i >= 0);
  const context = `${label}: drop ${drop.status} ${drop.type}; creates ${creates.map((c) => c.status).join(',')}; left ${JSON.stringify(left)}`;
  if (!label.startsWith('round')) process.stdout.write(`# ${context}\n`);

  for (const c of creates) assert.ok([200, 404, 409].includes(c.status) || c.status >= 500, `${context}: unexpected create answer ${c.status} ${c.type}`);
  assert.ok([204, 200, 409].includes(drop.status) || drop.status >= 500, `${context}: unexpected drop answer`);
  if (drop.status < 300) {
    assert.equal(exists, false, `${context}: drop acknowledged but the namespace exists`);
    assert.deepEqual(acked, [], `${context}: a create and the drop of its namespace both succeeded`);
    assert.deepEqual(left, [], `${context}: objects left in a dropped namespace`);
  }
  if (drop.status === 409) assert.equal(exists, true, `${context}: drop refused but the namespace is gone`);
  if (!exists) {
    assert.deepEqual(left, [], `${context}: objects left in a namespace that is gone`);
    for (const i of acked) assert.fail(`${context}: t${i} acknowledged in a namespace that is gone`);
    return;
  }
  // The namespace is there: every acknowledged table loads, every refused one does not exist.
  for (const [i, c] of creates.entries()) {
    const loaded = await answerOf(requireTable(observer, h.warehouse, { namespace, name: `t${i}` }));
    if (c.status === 200) assert.equal(loaded.status, 200, `${context}: t${i} acknowledged but does not load (${loaded.type})`);
    if (c.status >= 400 && c.status < 500) assert.notEqual(loaded.status, 200, `${context}: t${i} refused (${c.type}) but exists`);
  }
  // Nothing is stuck: the tables can be dropped, then the namespace.
  for (const [i] of creates.entries()) {
    const id = { namespace, name: `t${i}` };
    if ((await answerOf(requireTable(observer, h.warehouse, id))).status === 200) await dropTable(observer, h.warehouse, id, false);
  }
  const finalDrop = await answerOf(dropNamespace(observer, h.warehouse, namespace));
  assert.equal(finalDrop.status, 200, `${context}: the namespace cannot be dropped once emptied (${finalDrop.type})`);
}

async function freshNamespace(stem: string): Promise<string[]> {
  const namespace = [uniqueNameOf(stem)];
  await createNamespace(h.ctx, h.warehouse, { namespace, properties: {} });
  return namespace;
}

test('forced: the drop stops after its mark, before it lists, until every create has answered', async () => {
  const namespace = await freshNamespace('dropfirst');
  const folder = dropper.ctx.keys.namespaceFolder(h.warehouse, namespace);
  const reached = gate();
  const release = gate();
  dropper.faults.beforeCall = async (call, key) => {
    if (call === 'list' && key.startsWith(folder)) {
      reached.open();
      await release.wait;
    }
  };
  try {
    const drop = answerOf(dropNamespace(dropper.ctx, h.warehouse, namespace));
    await Promise.race([reached.wait, drop]);
    const creates = await Promise.all(Array.from({ length: CREATORS }, (_, i) => create(creatorOf(i).ctx, namespace, i)));
    release.open();
    await checkRound('drop first', namespace, await drop, creates);
  } finally {
    dropper.faults.beforeCall = undefined;
    release.open();
  }
});

test('forced: every create stops after its own write, before it checks the namespace, until the drop has answered', async () => {
  const namespace = await freshNamespace('createfirst');
  const record = dropper.ctx.keys.namespaceRecord(h.warehouse, namespace);
  const release = gate();
  let held = 0;
  let answered = 0;
  const allHeld = gate();
  const pointerWritten = new Set<number>();
  for (const [c, creator] of creators.entries()) {
    creator.faults.beforeCall = async (call, key) => {
      // The first read of the namespace record after this creator's pointer write is its check.
      if ((call === 'putIfAbsent' || call === 'putIfMatch') && key.includes('/t=')) pointerWritten.add(c);
      if (call === 'get' && key === record && pointerWritten.has(c)) {
        if (++held + answered === CREATORS) allHeld.open();
        await release.wait;
      }
    };
  }
  try {
    // Every create is either held at its check or already answered (a protocol change may skip the hold): never a deadlock.
    const settledOne = () => {
      if (held + ++answered === CREATORS) allHeld.open();
    };
    const creates = Array.from({ length: CREATORS }, (_, i) => create(creatorOf(i).ctx, namespace, i).finally(settledOne));
    await allHeld.wait;
    const drop = await answerOf(dropNamespace(dropper.ctx, h.warehouse, namespace));
    release.open();
    await checkRound('creates first', namespace, drop, await Promise.all(creates));
  } finally {
    for (const creator of creators) creator.faults.beforeCall = undefined;
    release.open();
  }
});

test('seeded interleavings: creates racing the drop never leave a table in a dropped namespace', async () => {
  const outcomes = { dropped: 0, dropRefused: 0, tablesCreated: 0, tablesRefused: 0 };
  const random = seededRandom(20261207);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  for (let round = 0; round < RANDOM_ROUNDS; round++) {
    const namespace = await freshNamespace(`race${round}`);
    // Seeded delays on each side's store calls vary the interleaving from round to round.
    const spread = 1 + Math.floor(random() * 4);
    for (const lambda of [dropper, ...creators]) {
      const seed = Math.floor(random() * 2 ** 31);
      const delays = seededRandom(seed);
      lambda.faults.beforeCall = async () => {
        await sleep(Math.floor(delays() * spread));
      };
    }
    const starts = Array.from({ length: CREATORS }, () => Math.floor(random() * spread * 6));
    try {
      const creates = Promise.all(starts.map(async (delay, i) => {
        await sleep(delay);
        return create(creatorOf(i).ctx, namespace, i);
      }));
      const drop = answerOf(dropNamespace(dropper.ctx, h.warehouse, namespace));
      const [dropAnswer, createAnswers] = await Promise.all([drop, creates]);
      for (const lambda of [dropper, ...creators]) lambda.faults.beforeCall = undefined;
      await checkRound(`round ${round}`, namespace, dropAnswer, createAnswers);
      if (dropAnswer.status < 300) outcomes.dropped++;
      else outcomes.dropRefused++;
      outcomes.tablesCreated += createAnswers.filter((c) => c.status === 200).length;
      outcomes.tablesRefused += createAnswers.filter((c) => c.status !== 200).length;
    } finally {
      for (const lambda of [dropper, ...creators]) lambda.faults.beforeCall = undefined;
    }
  }
  // Reported, not asserted: which side wins depends on the machine's timing.
  process.stdout.write(`# drop-race outcomes ${JSON.stringify(outcomes)}\n`);
});
