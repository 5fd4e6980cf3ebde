import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { namespacePath, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { assertStatus } from '../support/assertions.js';
import { appendCommit, createTableBody, randomSnapshotId, tableState } from '../support/table-requests.js';

/**
 * Invariant 1 (no lost update) under contention: 8 writers each append 25 snapshots to one table,
 * as engines do (load, add-snapshot + set-snapshot-ref guarded by assert-ref-snapshot-id, reload
 * and retry on 409). Every accepted commit must be in the final metadata, sequence numbers must
 * increase along main, and no metadata file may be left behind by a commit that lost its swap.
 */
let catalog: TestCatalog;
let P: string;
before(async () => {
  catalog = await startTestCatalog();
  P = `/v1/${catalog.warehouse}`;
});
after(async () => catalog.close());

const WRITERS = 8;
const APPENDS_PER_WRITER = 25;
const MAX_CLIENT_ATTEMPTS = 400;

test('8 concurrent writers x 25 appends: all 200 snapshots land, sequence numbers increase, no orphaned metadata files', async () => {
  const namespace = [uniqueName('contention')];
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace } }), 200);
  const table = 'events';
  // Keep every metadata file in the log so "no orphan" can be checked against the folder.
  const created = await catalog.request('POST', `${P}/namespaces/${namespacePath(namespace)}/tables`, {
    body: createTableBody(table, { properties: { 'write.metadata.previous-versions-max': '1000' } }),
  });
  assertStatus(created, 200);
  const tablePath = `${P}/namespaces/${namespacePath(namespace)}/tables/${table}`;

  const accepted: bigint[] = [];
  let clientConflicts = 0;
  let serverRetries = 0;
  const writer = async () => {
    for (let n = 0; n < APPENDS_PER_WRITER; n++) {
      const snapshotId = randomSnapshotId();
      for (let attempt = 0; ; attempt++) {
        assert.ok(attempt < MAX_CLIENT_ATTEMPTS, 'writer starved');
        const loaded = await catalog.request('GET', tablePath);
        assertStatus(loaded, 200);
        const state = tableState((loaded.body as { metadata: Record<string, unknown> }).metadata);
        const committed = await catalog.request('POST', tablePath, { body: appendCommit(state, snapshotId) });
        if (committed.status === 200) {
          accepted.push(snapshotId);
          serverRetries += Number(committed.headers.get('x-catalog-commit-retries') ?? 0);
          break;
        }
        assert.equal(committed.status, 409, committed.text);
        clientConflicts++;
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));

  const final = await catalog.request('GET', tablePath);
  const body = final.body as { 'metadata-location': string; metadata: Record<string, unknown> };
  const metadata = body.metadata;
  const snapshots = metadata['snapshots'] as { 'snapshot-id': number | bigint; 'parent-snapshot-id'?: number | bigint; 'sequence-number': number | bigint }[];
  assert.equal(accepted.length, WRITERS * APPENDS_PER_WRITER);
  assert.equal(snapshots.length, WRITERS * APPENDS_PER_WRITER);
  assert.deepEqual(new Set(snapshots.map((s) => BigInt(s['snapshot-id']))), new Set(accepted));

  // Walk main from the head: one linear chain through all 200, sequence numbers strictly decreasing.
  const byId = new Map(snapshots.map((s) => [BigInt(s['snapshot-id']), s]));
  let cursor: bigint | undefined = tableState(metadata).mainSnapshotId ?? undefined;
  let previousSequence: bigint | undefined;
  let chain = 0;
  while (cursor !== undefined) {
    const snapshot = byId.get(cursor)!;
    const sequence = BigInt(snapshot['sequence-number']);
    if (previousSequence !== undefined) assert.ok(sequence < previousSequence, 'sequence numbers must increase along main');
    previousSequence = sequence;
    chain++;
    cursor = snapshot['parent-snapshot-id'] === undefined ? undefined : BigInt(snapshot['parent-snapshot-id']);
  }
  assert.equal(chain, WRITERS * APPENDS_PER_WRITER, 'every accepted snapshot is on main');

  // No orphans: the metadata folder holds exactly the current file and the ones in the log.
  const log = (metadata['metadata-log'] as { 'metadata-file': string }[]).map((e) => e['metadata-file']);
  assert.equal(log.length, WRITERS * APPENDS_PER_WRITER, 'one metadata file per accepted commit');
  const folder = `${metadata['location'] as string}/metadata/`;
  const ctx = await catalog.context();
  const files = await ctx.files.list(folder);
  const expected = new Set([...log, body['metadata-location']]);
  assert.deepEqual(new Set(files.filter((f) => f.endsWith('.metadata.json'))), expected);

  process.stdout.write(
    `# concurrent appends: ${accepted.length} accepted, ${clientConflicts} client-visible 409s, ${serverRetries} lost swaps re-applied by the server\n`,
  );
});
