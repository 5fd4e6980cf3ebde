import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCatalog, type TestCatalog } from '../support/catalog-harness.js';
import { assertError, assertStatus } from '../support/assertions.js';
import {
  aCreateTableRequest,
  aCreateTransactionCommit,
  anAppend,
  anAppendCommit,
  anotherSchema,
  anUpdateCommit,
  aReplaceCommit,
  aSchema,
  aSnapshotId,
  aSortField,
  aSortOrder,
  aSpec,
  currentSchema,
  defaultSortOrder,
  defaultSpec,
  mainSnapshotId,
  schemaChange,
  setProperties,
  shapeOf,
  snapshotIds,
  sortOrderChange,
  specChange,
  tableApi,
  withColumns,
  withoutColumns,
  type CommitRequestJson,
  type LoadTableResultJson,
  type TableApi,
  type TableId,
  type TableMetadataJson,
} from '../support/table-fixtures.js';

/**
 * CatalogTests rows 56–59, 62–64, 69, 72, 73, 79, 84 and 89–97 (behaviors.md): conflicts and
 * server-side retry. A "concurrent" change is simulated the way the Java tests stage it: two
 * commits are built from the same loaded metadata and sent one after the other, so the second is
 * checked against state its client never saw. The server must re-check the requirements on the
 * current metadata: a requirement that still holds means the update is re-applied (200), one that
 * no longer holds is a 409 CommitFailedException "Requirement failed: …". A few tests also send
 * requests truly in parallel to exercise the lost pointer swap.
 *
 * Nothing skipped: `rck.supports-serverside-retry` is on for this server, so the srv-retry rows run.
 */
let catalog: TestCatalog;
let api: TableApi;

before(async () => {
  catalog = await startTestCatalog();
  api = tableApi(catalog);
});
after(async () => catalog.close());

const load = async (id: TableId): Promise<TableMetadataJson> => (await api.loadOk(id)).metadata;

describe('requirements re-checked on the current metadata (server-side retry)', () => {
  test('a pending schema update on a table dropped and re-created fails "UUID does not match"; the new table is untouched (56)', async () => {
    const { id, created } = await api.newTable();
    const base = created.metadata;
    const update = anUpdateCommit(base, schemaChange(base, withColumns(base, { name: 'new_col', type: 'long' })));
    assertStatus(await api.drop(id), 204);
    const recreated = await api.createOk(id.namespace, aCreateTableRequest(id.name, { schema: anotherSchema() }));
    assertError(await api.commit(id, update), 409, 'CommitFailedException', 'Requirement failed: UUID does not match');
    const loaded = await api.loadOk(id);
    assert.equal(loaded['metadata-location'], recreated['metadata-location']);
    assert.deepEqual(shapeOf(currentSchema(loaded.metadata).fields), shapeOf(anotherSchema().fields));
  });

  test('a schema update built on stale metadata succeeds after a concurrent spec change (57)', async () => {
    const { id, created } = await api.newTable();
    const base = created.metadata;
    const schemaUpdate = anUpdateCommit(base, schemaChange(base, withColumns(base, { name: 'new_col', type: 'long' })));
    await api.commitOk(id, anUpdateCommit(base, specChange(base, [{ source: 'id', transform: 'bucket[16]', name: 'shard' }])));
    await api.commitOk(id, schemaUpdate);
    const loaded = await load(id);
    assert.deepEqual(currentSchema(loaded).fields.at(-1), { id: 3, name: 'new_col', required: false, type: 'long' });
    assert.deepEqual(defaultSpec(loaded).fields.map((f) => f.name), ['shard']);
    assert.equal(loaded['metadata-log'].length, 2);
  });

  test('a concurrent schema change fails the pending one: "current schema changed"; the concurrent schema remains (58)', async () => {
    const { id, created } = await api.newTable();
    const base = created.metadata;
    const update = anUpdateCommit(base, schemaChange(base, withColumns(base, { name: 'new_col', type: 'long' })));
    await api.commitOk(id, anUpdateCommit(base, schemaChange(base, withoutColumns(base, 'data'))));
    assertError(await api.commit(id, update), 409, 'CommitFailedException', 'Requirement failed: current schema changed');
    assert.deepEqual(
      currentSchema(await load(id)).fields.map((f) => f.name),
      ['id'],
    );
  });

  test('a concurrent add-column fails the pending add-column: "last assigned field id changed" (59)', async () => {
    const { id, created } = await api.newTable();
    const base = created.metadata;
    const update = anUpdateCommit(base, schemaChange(base, withColumns(base, { name: 'new_col', type: 'long' })));
    await api.commitOk(id, anUpdateCommit(base, schemaChange(base, withColumns(base, { name: 'other_col', type: 'string' }))));
    assertError(await api.commit(id, update), 409, 'CommitFailedException', 'Requirement failed: last assigned field id changed');
    assert.equal(currentSchema(await load(id)).fields.at(-1)!.name, 'other_col');
  });

  test('a spec update succeeds despite a concurrent schema change (62)', async () => {
    const { id, created } = await api.newTable();
    const base = created.metadata;
    const specUpdate = anUpdateCommit(base, specChange(base, [{ source: 'id', transform: 'bucket[16]', name: 'shard' }]));
    await api.commitOk(id, anUpdateCommit(base, schemaChange(base, withColumns(base, { name: 'new_col', type: 'long' }))));
    await api.commitOk(id, specUpdate);
    const loaded = await load(id);
    assert.deepEqual(defaultSpec(loaded).fields, [{ name: 'shard', transform: 'bucket[16]', 'source-id': 1, 'field-id': 1000 }]);
    assert.equal(currentSchema(loaded).fields.length, 3);
  });

  test('a concurrent spec change fails the pending one: "default partition spec changed" (63)', async () => {
    const { id, created } = await api.newTable({ 'partition-spec': aSpec() });
    const base = created.metadata;
    const update = anUpdateCommit(base, specChange(base, [{ source: 'data', transform: 'bucket[16]', name: 'data_bucket' }]));
    await api.commitOk(id, anUpdateCommit(base, specChange(base, [])));
    assertError(await api.commit(id, update), 409, 'CommitFailedException', 'Requirement failed: default partition spec changed');
    assert.deepEqual(defaultSpec(await load(id)).fields, []);
  });

  test('a concurrent partition-field add fails the pending one: "last assigned partition id changed" (64)', async () => {
    const { id, created } = await api.newTable();
    const base = created.metadata;
    const update = anUpdateCommit(base, specChange(base, [{ source: 'data', transform: 'bucket[16]', name: 'data_bucket' }]));
    await api.commitOk(id, anUpdateCommit(base, specChange(base, [{ source: 'id', transform: 'bucket[16]', name: 'shard' }])));
    assertError(await api.commit(id, update), 409, 'CommitFailedException', 'Requirement failed: last assigned partition id changed');
    assert.deepEqual(defaultSpec(await load(id)).fields.map((f) => f.name), ['shard']);
  });

  test('a sort-order update succeeds despite a concurrent schema change (69)', async () => {
    const { id, created } = await api.newTable();
    const base = created.metadata;
    const orderUpdate = anUpdateCommit(base, sortOrderChange(base, [{ source: 'id' }]));
    await api.commitOk(id, anUpdateCommit(base, schemaChange(base, withColumns(base, { name: 'new_col', type: 'long' }))));
    await api.commitOk(id, orderUpdate);
    const loaded = await load(id);
    assert.deepEqual(defaultSortOrder(loaded).fields, [aSortField(1)]);
    assert.equal(currentSchema(loaded).fields.length, 3);
  });
});

describe('concurrent appends', () => {
  for (const nonEmpty of [false, true]) {
    test(`two appends from the same base on ${nonEmpty ? 'a non-empty' : 'an empty'} table: the loser gets 409, its retry lands, both snapshots are present (${nonEmpty ? 73 : 72})`, async () => {
      const { id, created } = await api.newTable();
      const base = nonEmpty ? (await api.commitOk(id, anAppendCommit(created.metadata))).metadata : created.metadata;
      const first = aSnapshotId();
      const second = aSnapshotId();
      const winner = anAppendCommit(base, { snapshotId: first });
      const loser = anAppendCommit(base, { snapshotId: second });
      assert.deepEqual(winner.requirements.at(-1), { type: 'assert-ref-snapshot-id', ref: 'main', 'snapshot-id': mainSnapshotId(base) });

      await api.commitOk(id, winner);
      const expected = nonEmpty ? `Requirement failed: branch main has changed: expected id ${mainSnapshotId(base)} != ${first}` : 'Requirement failed: branch main was created concurrently';
      assertError(await api.commit(id, loser), 409, 'CommitFailedException', expected);
      // The client refreshes and re-applies its append on the new head.
      await api.commitOk(id, anAppendCommit(await load(id), { snapshotId: second }));

      const loaded = await load(id);
      assert.equal(loaded.snapshots.length, nonEmpty ? 3 : 2);
      assert.ok(snapshotIds(loaded).includes(first));
      assert.equal(mainSnapshotId(loaded), second);
      const head = loaded.snapshots.find((s) => BigInt(s['snapshot-id']) === second)!;
      assert.equal(BigInt(head['parent-snapshot-id']!), first);
    });
  }

  test('commits that do not conflict, sent at the same moment, all land (lost pointer swaps are re-applied)', async () => {
    const { id, created } = await api.newTable();
    const base = created.metadata;
    const commits: CommitRequestJson[] = Array.from({ length: 6 }, (_, n) => anUpdateCommit(base, [setProperties({ [`writer-${n}`]: String(n) })]));
    const responses = await Promise.all(commits.map((body) => api.commit(id, body)));
    for (const response of responses) assertStatus(response, 200);
    const loaded = await load(id);
    for (let n = 0; n < 6; n++) assert.equal(loaded.properties[`writer-${n}`], String(n));
    // Commits that lost a swap may land together through group commit (one file for several): every
    // answer still names a metadata file of the table's history, and no commit is left out of it.
    const history = new Set([...loaded['metadata-log'].map((entry) => entry['metadata-file']), (await api.loadOk(id))['metadata-location']]);
    for (const response of responses) assert.ok(history.has((response.body as { 'metadata-location': string })['metadata-location']));
    assert.ok(loaded['metadata-log'].length >= 1 && loaded['metadata-log'].length <= 6);
  });

  test('appends from the same base sent at the same moment: exactly one wins, the others get 409', async () => {
    const { id, created } = await api.newTable();
    const responses = await Promise.all(Array.from({ length: 5 }, () => api.commit(id, anAppendCommit(created.metadata))));
    assert.equal(responses.filter((r) => r.status === 200).length, 1);
    for (const response of responses.filter((r) => r.status !== 200)) assertError(response, 409, 'CommitFailedException', 'Requirement failed');
    assert.equal((await load(id)).snapshots.length, 1);
  });
});

describe('concurrent creates', () => {
  for (const startedAs of ['createTransaction', 'createOrReplaceTransaction']) {
    test(`a ${startedAs} whose table is created first fails "Requirement failed: table already exists"; the other table is unchanged (${startedAs === 'createTransaction' ? 79 : 84})`, async () => {
      const namespace = await api.newNamespace();
      const id = { namespace, name: 'tbl' };
      if (startedAs === 'createOrReplaceTransaction') assertError(await api.load(id), 404, 'NoSuchTableException');
      const staged = (await api.createOk(namespace, aCreateTableRequest(id.name, { 'stage-create': true }))).metadata;
      const commit = aCreateTransactionCommit(staged, anAppend(staged));
      const concurrent = await api.createOk(namespace, aCreateTableRequest(id.name, { schema: anotherSchema() }));

      assertError(await api.commit(id, commit), 409, 'CommitFailedException', 'Requirement failed: table already exists');
      const loaded = await api.loadOk(id);
      assert.equal(loaded['metadata-location'], concurrent['metadata-location']);
      assert.equal(loaded.metadata['table-uuid'], concurrent.metadata['table-uuid']);
      assert.deepEqual(loaded.metadata.snapshots, []);
    });
  }

  test('the same table created by several clients at once: one 200, the others 409 "Table already exists"', async () => {
    const namespace = await api.newNamespace();
    const responses = await Promise.all(Array.from({ length: 5 }, () => api.create(namespace, aCreateTableRequest('tbl'))));
    const winners = responses.filter((r) => r.status === 200);
    assert.equal(winners.length, 1);
    for (const response of responses.filter((r) => r.status !== 200)) assertError(response, 409, 'AlreadyExistsException', `Table already exists: ${namespace[0]}.tbl`);
    const loaded = await api.loadOk({ namespace, name: 'tbl' });
    assert.equal(loaded['metadata-location'], (winners[0]!.body as unknown as LoadTableResultJson)['metadata-location']);
  });

  test('create transactions committed at the same moment: one lands, the others get 409 "table already exists"', async () => {
    const namespace = await api.newNamespace();
    const id = { namespace, name: 'tbl' };
    const commits = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const staged = (await api.createOk(namespace, aCreateTableRequest(id.name, { 'stage-create': true }))).metadata;
        return aCreateTransactionCommit(staged, anAppend(staged));
      }),
    );
    const responses = await Promise.all(commits.map((body) => api.commit(id, body)));
    assert.equal(responses.filter((r) => r.status === 200).length, 1);
    for (const response of responses.filter((r) => r.status !== 200)) assertError(response, 409, 'CommitFailedException', 'Requirement failed: table already exists');
    assert.equal((await load(id)).snapshots.length, 1);
  });
});

describe('concurrent replace transactions', () => {
  /** A table with one file, as the Java tests set it up; returns its metadata. */
  async function tableWithAFile(request: Parameters<TableApi['newTable']>[0] = {}): Promise<{ id: TableId; base: TableMetadataJson }> {
    const { id, created } = await api.newTable(request);
    const base = (await api.commitOk(id, anAppendCommit(created.metadata))).metadata;
    return { id, base };
  }

  test('two replaces from the same base both succeed in commit order; the last one wins and the uuid stays (89)', async () => {
    const { id, base } = await tableWithAFile();
    const fileB = aSnapshotId();
    const fileC = aSnapshotId();
    const secondReplace = aReplaceCommit(base, { schema: aSchema() }, { appendSnapshotId: fileC });
    const firstReplace = aReplaceCommit(base, { schema: aSchema() }, { appendSnapshotId: fileB });
    await api.commitOk(id, firstReplace);
    assert.equal(mainSnapshotId(await load(id)), fileB);
    await api.commitOk(id, secondReplace);
    const loaded = await load(id);
    assert.equal(mainSnapshotId(loaded), fileC);
    assert.equal(loaded['table-uuid'], base['table-uuid']);
  });

  test('the first replace changes the schema, the second (old schema) commits later and the schema reverts (90)', async () => {
    const { id, base } = await tableWithAFile({ schema: anotherSchema() });
    const fileC = aSnapshotId();
    const secondReplace = aReplaceCommit(base, { schema: anotherSchema() }, { appendSnapshotId: fileC });
    await api.commitOk(id, aReplaceCommit(base, { schema: aSchema() }, { appendSnapshotId: aSnapshotId() }));
    assert.deepEqual(
      currentSchema(await load(id)).fields.map((f) => [f.id, f.name]),
      [
        [2, 'id'],
        [3, 'data'],
      ],
    );
    await api.commitOk(id, secondReplace);
    const loaded = await load(id);
    assert.deepEqual(currentSchema(loaded), currentSchema(base));
    assert.equal(mainSnapshotId(loaded), fileC);
  });

  test('the mirror case: the second replace’s new schema wins (91)', async () => {
    const { id, base } = await tableWithAFile({ schema: anotherSchema() });
    const secondReplace = aReplaceCommit(base, { schema: aSchema() }, { appendSnapshotId: aSnapshotId() });
    await api.commitOk(id, aReplaceCommit(base, { schema: anotherSchema() }, { appendSnapshotId: aSnapshotId() }));
    await api.commitOk(id, secondReplace);
    assert.deepEqual(
      currentSchema(await load(id)).fields.map((f) => [f.id, f.name]),
      [
        [2, 'id'],
        [3, 'data'],
      ],
    );
  });

  test('both replaces add the same new schema: the second fails "last assigned field id changed" (92)', async () => {
    const { id, base } = await tableWithAFile({ schema: anotherSchema() });
    const secondReplace = aReplaceCommit(base, { schema: aSchema() }, { appendSnapshotId: aSnapshotId() });
    const first = aSnapshotId();
    await api.commitOk(id, aReplaceCommit(base, { schema: aSchema() }, { appendSnapshotId: first }));
    assertError(await api.commit(id, secondReplace), 409, 'CommitFailedException', 'Requirement failed: last assigned field id changed');
    assert.equal(mainSnapshotId(await load(id)), first);
  });

  test('the first replace partitions the table; the second (unpartitioned) wins later (93)', async () => {
    const { id, base } = await tableWithAFile();
    const secondReplace = aReplaceCommit(base, { schema: aSchema() }, { appendSnapshotId: aSnapshotId() });
    await api.commitOk(id, aReplaceCommit(base, { schema: aSchema(), 'partition-spec': aSpec() }, { appendSnapshotId: aSnapshotId() }));
    assert.equal(defaultSpec(await load(id)).fields.length, 1);
    await api.commitOk(id, secondReplace);
    const loaded = await load(id);
    assert.equal(loaded['default-spec-id'], 0);
    assert.deepEqual(defaultSpec(loaded).fields, []);
  });

  test('the mirror case: the second replace’s spec wins (94)', async () => {
    const { id, base } = await tableWithAFile();
    const secondReplace = aReplaceCommit(base, { schema: aSchema(), 'partition-spec': aSpec() }, { appendSnapshotId: aSnapshotId() });
    await api.commitOk(id, aReplaceCommit(base, { schema: aSchema() }, { appendSnapshotId: aSnapshotId() }));
    await api.commitOk(id, secondReplace);
    assert.deepEqual(defaultSpec(await load(id)).fields, [{ name: 'id_bucket', transform: 'bucket[16]', 'source-id': 1, 'field-id': 1000 }]);
  });

  test('both replaces add the same spec: the second fails "last assigned partition id changed" (95)', async () => {
    const { id, base } = await tableWithAFile();
    const secondReplace = aReplaceCommit(base, { schema: aSchema(), 'partition-spec': aSpec() }, { appendSnapshotId: aSnapshotId() });
    await api.commitOk(id, aReplaceCommit(base, { schema: aSchema(), 'partition-spec': aSpec() }, { appendSnapshotId: aSnapshotId() }));
    assertError(await api.commit(id, secondReplace), 409, 'CommitFailedException', 'Requirement failed: last assigned partition id changed');
  });

  test('the first replace sets a sort order; the second (unsorted) wins later (96)', async () => {
    const { id, base } = await tableWithAFile();
    const secondReplace = aReplaceCommit(base, { schema: aSchema() }, { appendSnapshotId: aSnapshotId() });
    await api.commitOk(id, aReplaceCommit(base, { schema: aSchema(), 'write-order': aSortOrder() }, { appendSnapshotId: aSnapshotId() }));
    assert.equal((await load(id))['default-sort-order-id'], 1);
    await api.commitOk(id, secondReplace);
    const loaded = await load(id);
    assert.equal(loaded['default-sort-order-id'], 0);
    assert.deepEqual(defaultSortOrder(loaded).fields, []);
  });

  test('different sort orders do not conflict: the second replace’s order is applied (97)', async () => {
    const { id, base } = await tableWithAFile();
    const otherOrder = aSortOrder(aSortField(4, 'identity', 'desc', 'nulls-last'));
    const secondReplace = aReplaceCommit(base, { schema: aSchema(), 'write-order': otherOrder }, { appendSnapshotId: aSnapshotId() });
    await api.commitOk(id, aReplaceCommit(base, { schema: aSchema(), 'write-order': aSortOrder() }, { appendSnapshotId: aSnapshotId() }));
    await api.commitOk(id, secondReplace);
    const loaded = await load(id);
    assert.deepEqual(defaultSortOrder(loaded).fields, [aSortField(2, 'identity', 'desc', 'nulls-last')]);
    assert.equal(loaded['default-sort-order-id'], 2);
  });
});
