import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCatalog, type TestCatalog } from '../support/catalog-harness.js';
import { assertError, assertStatus } from '../support/assertions.js';
import {
  aCommitReport,
  anAppend,
  anAppendCommit,
  anUpdateCommit,
  aScanReport,
  aSnapshotId,
  identifierText,
  mainSnapshotId,
  removeRef,
  schemaChange,
  setProperties,
  setRef,
  snapshotIds,
  tableApi,
  toBig,
  withColumns,
  type LoadTableResultJson,
  type TableApi,
  type TableId,
  type TableMetadataJson,
} from '../support/table-fixtures.js';

/**
 * CatalogTests rows 71, 100 and 104 (behaviors.md), and the snapshot, ref and metadata-log rules of
 * checklist §6 and table-metadata.md §3 and §5, plus TestRESTCatalog's stale-sequence-number case.
 *
 * Skipped: the scan half of row 71 (reading the data file back) and the reporter half of row 104
 * (counting reports) happen in the Java client; the server sees the snapshot and the POST of the
 * report, which is what is checked. Concurrent appends (72, 73) are in tables-concurrency.test.ts.
 */
let catalog: TestCatalog;
let api: TableApi;

before(async () => {
  catalog = await startTestCatalog();
  api = tableApi(catalog);
});
after(async () => catalog.close());

async function commit(id: TableId, build: (base: TableMetadataJson) => ReturnType<typeof anUpdateCommit>): Promise<TableMetadataJson> {
  const base = (await api.loadOk(id)).metadata;
  return (await api.commitOk(id, build(base))).metadata;
}

describe('appends', () => {
  test('a fast append makes its snapshot current on main, with sequence number 1 and one log entry each (71)', async () => {
    const { id, created } = await api.newTable();
    const snapshotId = aSnapshotId();
    const response = await api.commitOk(id, anAppendCommit(created.metadata, { snapshotId }));
    const loaded = await api.loadOk(id);
    assert.deepEqual(loaded.metadata, response.metadata);
    assert.equal(loaded['metadata-location'], response['metadata-location']);

    const metadata = loaded.metadata;
    assert.equal(toBig(metadata['current-snapshot-id']), snapshotId);
    assert.deepEqual(metadata.refs['main'] && { ...metadata.refs['main'], 'snapshot-id': toBig(metadata.refs['main']['snapshot-id']) }, { 'snapshot-id': snapshotId, type: 'branch' });
    const snapshot = metadata.snapshots[0]!;
    assert.equal(toBig(snapshot['sequence-number']), 1n);
    assert.equal(snapshot['parent-snapshot-id'], undefined);
    assert.equal(snapshot.summary?.['operation'], 'append');
    assert.ok(snapshot['manifest-list']?.startsWith(`${metadata.location}/metadata/snap-`));
    assert.equal(toBig(metadata['last-sequence-number']), 1n);
    assert.deepEqual(
      metadata['snapshot-log'].map((e) => toBig(e['snapshot-id'])),
      [snapshotId],
    );
    assert.deepEqual(
      metadata['metadata-log'].map((e) => e['metadata-file']),
      [created['metadata-location']],
    );
    assert.match(response['metadata-location'], /\/metadata\/00001-[0-9a-f-]{36}\.metadata\.json$/);
  });

  test('appends chain on main: parent ids and sequence numbers follow, the snapshot log grows', async () => {
    const { id } = await api.newTable();
    const first = await commit(id, (base) => anAppendCommit(base));
    const second = await commit(id, (base) => anAppendCommit(base));
    const [a, b] = second.snapshots;
    assert.equal(toBig(b!['parent-snapshot-id']), toBig(a!['snapshot-id']));
    assert.equal(toBig(b!['sequence-number']), 2n);
    assert.equal(mainSnapshotId(second), toBig(b!['snapshot-id']));
    assert.equal(second['snapshot-log'].length, 2);
    assert.equal(first['snapshot-log'].length, 1);
  });

  test('a stale sequence number is a 409 "Validation failed, please retry" (TestRESTCatalog testSequenceNumberConflictThrowsCommitFailed)', async () => {
    const { id } = await api.newTable();
    const withMain = await commit(id, (base) => anAppendCommit(base));
    const withBranch = await commit(id, (base) => anUpdateCommit(base, [setRef('audit', mainSnapshotId(base)!)]));
    // A branch append is prepared, then main moves on: the branch's requirement still holds, its sequence number does not.
    const branchAppend = anAppendCommit(withBranch, { branch: 'audit' });
    await commit(id, (base) => anAppendCommit(base));
    assertError(await api.commit(id, branchAppend), 409, 'CommitFailedException', 'Validation failed, please retry');
    assert.equal((await api.loadOk(id)).metadata.snapshots.length, 2);
    assert.equal(withMain.snapshots.length, 1);
  });

  test('v3: first-row-id must not be behind next-row-id (409), and next-row-id advances by added-rows', async () => {
    const { id, created } = await api.newTable({ properties: { 'format-version': '3' } });
    const first = await commit(id, (base) => anAppendCommit(base, { addedRows: 25 }));
    assert.equal(toBig(first['next-row-id']), 25n);
    assert.equal(toBig(first.snapshots[0]!['first-row-id']), 0n);
    const stale = anAppendCommit({ ...first, 'next-row-id': 0 }, { addedRows: 5 });
    assertError(await api.commit(id, stale), 409, 'CommitFailedException', 'Validation failed, please retry');
    const second = await commit(id, (base) => anAppendCommit(base, { addedRows: 5 }));
    assert.equal(toBig(second['next-row-id']), 30n);
    assert.equal(created.metadata['format-version'], 3);
  });

  test('an append with a snapshot id that already exists is refused with 400', async () => {
    const { id, created } = await api.newTable();
    const snapshotId = aSnapshotId();
    const first = (await api.commitOk(id, anAppendCommit(created.metadata, { snapshotId }))).metadata;
    assertError(await api.commit(id, anAppendCommit(first, { snapshotId })), 400);
  });
});

describe('branches and tags', () => {
  test('a branch is created at a snapshot, takes its own appends, and main is unchanged', async () => {
    const { id } = await api.newTable();
    const base = await commit(id, (b) => anAppendCommit(b));
    const mainId = mainSnapshotId(base)!;
    const branched = await commit(id, (b) => anUpdateCommit(b, [setRef('audit', mainId)]));
    assert.equal(branched.refs['audit']?.type, 'branch');
    const appended = await commit(id, (b) => anAppendCommit(b, { branch: 'audit' }));
    const branchHead = toBig(appended.refs['audit']!['snapshot-id'])!;
    assert.notEqual(branchHead, mainId);
    assert.equal(mainSnapshotId(appended), mainId);
    assert.equal(toBig(appended['current-snapshot-id']), mainId);
    assert.equal(appended['snapshot-log'].length, 1, 'only main moves the snapshot log');

    // Fast-forward main to the branch head: main moves, and the log records it.
    const forwarded = await commit(id, (b) => anUpdateCommit(b, [setRef('main', branchHead)]));
    assert.equal(mainSnapshotId(forwarded), branchHead);
    assert.equal(forwarded['snapshot-log'].length, 2);
    assert.equal(toBig(forwarded['snapshot-log'].at(-1)!['snapshot-id']), branchHead);
  });

  test('a branch created concurrently fails the assert-ref-snapshot-id null requirement: 409', async () => {
    const { id } = await api.newTable();
    const base = await commit(id, (b) => anAppendCommit(b));
    const request = anUpdateCommit(base, [setRef('audit', mainSnapshotId(base)!)]);
    await api.commitOk(id, request);
    assertError(await api.commit(id, request), 409, 'CommitFailedException', 'Requirement failed');
  });

  test('a tag points at a snapshot; removing it leaves the snapshot; main cannot be a tag (400)', async () => {
    const { id } = await api.newTable();
    const base = await commit(id, (b) => anAppendCommit(b));
    const mainId = mainSnapshotId(base)!;
    const tagged = await commit(id, (b) => anUpdateCommit(b, [setRef('v1', mainId, 'tag')]));
    assert.equal(tagged.refs['v1']?.type, 'tag');
    const untagged = await commit(id, (b) => anUpdateCommit(b, [removeRef('v1')]));
    assert.equal(untagged.refs['v1'], undefined);
    assert.deepEqual(snapshotIds(untagged), [mainId]);
    assertError(await api.commit(id, anUpdateCommit(untagged, [setRef('main', mainId, 'tag')])), 400);
  });

  test('removing main clears the current snapshot but keeps the snapshots', async () => {
    const { id } = await api.newTable();
    const base = await commit(id, (b) => anAppendCommit(b));
    const removed = await commit(id, (b) => anUpdateCommit(b, [removeRef('main')]));
    assert.equal(removed.refs['main'], undefined);
    assert.ok(removed['current-snapshot-id'] === -1 || removed['current-snapshot-id'] === null || removed['current-snapshot-id'] === undefined);
    assert.deepEqual(snapshotIds(removed), snapshotIds(base));
  });

  test('snapshots=refs returns only the snapshots a branch or tag points at (checklist §8)', async () => {
    const { id } = await api.newTable();
    const first = await commit(id, (b) => anAppendCommit(b));
    const second = await commit(id, (b) => anAppendCommit(b));
    assert.equal(second.snapshots.length, 2);
    const refs = await api.load(id, { query: 'snapshots=refs' });
    assertStatus(refs, 200);
    const metadata = (refs.body as unknown as LoadTableResultJson).metadata;
    assert.deepEqual(snapshotIds(metadata), [mainSnapshotId(second)]);
    assert.notEqual(mainSnapshotId(first), mainSnapshotId(second));
    assert.deepEqual(snapshotIds((await api.loadOk(id)).metadata), snapshotIds(second));
  });
});

describe('metadata log (table-metadata.md §3, §5)', () => {
  test('previous-versions-max with delete-after-commit keeps the log at the cap and deletes what falls off (100)', async () => {
    const { id } = await api.newTable();
    for (const name of ['a', 'b', 'c']) await commit(id, (base) => anUpdateCommit(base, schemaChange(base, withColumns(base, { name, type: 'long' }))));
    const before = await api.loadOk(id);
    assert.equal(before.metadata['metadata-log'].length, 3, 'one entry per earlier file');

    await commit(id, (base) => anUpdateCommit(base, [setProperties({ 'write.metadata.delete-after-commit.enabled': 'true', 'write.metadata.previous-versions-max': '2' })]));
    assert.equal((await reachableMetadataFiles(id)).length, 3);
    await assertFolderHoldsOnlyReachable(id);

    await commit(id, (base) => anUpdateCommit(base, schemaChange(base, withColumns(base, { name: 'd', type: 'long' }))));
    assert.equal((await reachableMetadataFiles(id)).length, 3);
    await assertFolderHoldsOnlyReachable(id);

    await commit(id, (base) => anUpdateCommit(base, [setProperties({ 'write.metadata.previous-versions-max': '4' })]));
    assert.equal((await reachableMetadataFiles(id)).length, 4);
    for (const name of ['e', 'f']) await commit(id, (base) => anUpdateCommit(base, schemaChange(base, withColumns(base, { name, type: 'long' }))));
    assert.equal((await reachableMetadataFiles(id)).length, 5);
    await assertFolderHoldsOnlyReachable(id);
  });

  test('without delete-after-commit, files that fall off the log stay in storage', async () => {
    const { id, created } = await api.newTable({ properties: { 'write.metadata.previous-versions-max': '1' } });
    await commit(id, (base) => anAppendCommit(base));
    await commit(id, (base) => anAppendCommit(base));
    const loaded = await api.loadOk(id);
    assert.equal(loaded.metadata['metadata-log'].length, 1);
    assert.ok(!loaded.metadata['metadata-log'].some((e) => e['metadata-file'] === created['metadata-location']));
    const ctx = await catalog.context();
    assert.ok((await ctx.files.read(created['metadata-location']!)) !== undefined, 'the first file is still there');
  });

  test('each commit writes the next numbered file and logs the previous one with its last-updated-ms', async () => {
    const { id, created } = await api.newTable();
    const first = await api.commitOk(id, anAppendCommit(created.metadata));
    const second = await api.commitOk(id, anAppendCommit(first.metadata));
    assert.match(second['metadata-location'], /\/00002-[0-9a-f-]{36}\.metadata\.json$/);
    assert.deepEqual(
      second.metadata['metadata-log'].map((e) => [e['metadata-file'], toBig(e['timestamp-ms'])]),
      [
        [created['metadata-location'], toBig(created.metadata['last-updated-ms'])],
        [first['metadata-location'], toBig(first.metadata['last-updated-ms'])],
      ],
    );
  });
});

describe('metadata file naming (table-metadata.md §4)', () => {
  test('write.metadata.compression-codec=gzip writes gzipped .gz.metadata.json files that load back', async () => {
    const { id, created } = await api.newTable({ properties: { 'write.metadata.compression-codec': 'gzip' } });
    assert.match(created['metadata-location'] ?? '', /\/metadata\/00000-[0-9a-f-]{36}\.gz\.metadata\.json$/);
    const committed = await api.commitOk(id, anAppendCommit(created.metadata));
    assert.match(committed['metadata-location'], /\/00001-[0-9a-f-]{36}\.gz\.metadata\.json$/);
    const bytes = await (await catalog.context()).files.read(committed['metadata-location']);
    assert.deepEqual([bytes?.[0], bytes?.[1]], [0x1f, 0x8b], 'the file is gzip');
    assert.equal((await api.loadOk(id)).metadata.snapshots.length, 1);
  });

  test('write.metadata.path puts the metadata files directly under that folder', async () => {
    const { id: probeId, created: probe } = await api.newTable();
    // In the same namespace: a table's folders must lie inside its namespace (docs/security.md, Confinement).
    const folder = `${probe.metadata.location}-elsewhere/meta`;
    const id = { namespace: probeId.namespace, name: 'moved_metadata' };
    const created = await api.createOk(id.namespace, { name: id.name, schema: probe.metadata.schemas[0], properties: { 'write.metadata.path': folder } });
    assert.ok(created['metadata-location']?.startsWith(`${folder}/00000-`), created['metadata-location'] ?? 'null');
    assert.match(created['metadata-location'] ?? '', /\/00000-[0-9a-f-]{36}\.metadata\.json$/);
    const committed = await api.commitOk(id, anAppendCommit(created.metadata));
    assert.ok(committed['metadata-location'].startsWith(`${folder}/00001-`));
  });
});

describe('metrics', () => {
  test('commit and scan reports for a table are accepted with 204; for a missing table, 404 (104)', async () => {
    const { id, created } = await api.newTable();
    const appended = (await api.commitOk(id, anAppendCommit(created.metadata))).metadata;
    const name = `default.${identifierText(id)}`;
    assertStatus(await api.metrics(id, aCommitReport(name, mainSnapshotId(appended)!, 1)), 204);
    assertStatus(await api.metrics(id, aScanReport(name, mainSnapshotId(appended)!, 0)), 204);
    assertError(await api.metrics({ ...id, name: 'missing' }, aScanReport(name, 1, 0)), 404, 'NoSuchTableException', 'Table does not exist');
  });

  test('a transaction commit carries appends too: the metrics route takes one report per commit path (104)', async () => {
    const { id, created } = await api.newTable();
    const updates = [...anAppend(created.metadata), setProperties({ committed: 'by-transaction' })];
    const committed = (await api.commitOk(id, anUpdateCommit(created.metadata, updates))).metadata;
    assert.equal(committed.properties['committed'], 'by-transaction');
    assertStatus(await api.metrics(id, aCommitReport(`default.${identifierText(id)}`, mainSnapshotId(committed)!, 1)), 204);
  });
});

async function reachableMetadataFiles(id: TableId): Promise<string[]> {
  const loaded = await api.loadOk(id);
  return [...loaded.metadata['metadata-log'].map((e) => e['metadata-file']), loaded['metadata-location']!];
}

async function assertFolderHoldsOnlyReachable(id: TableId): Promise<void> {
  const loaded = await api.loadOk(id);
  const ctx = await catalog.context();
  const files = (await ctx.files.list(`${loaded.metadata.location}/metadata/`)).filter((f) => f.endsWith('.metadata.json'));
  assert.deepEqual(new Set(files), new Set(await reachableMetadataFiles(id)));
}
