import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readManifestList, writeManifest, writeManifestList } from '../../core/avro/index.js';
import type { FileIO } from '../../core/store/file-io.js';
import { appendBaseOf, appendRequest, dataFilesOf, writeAppendFiles, type AppendFiles } from '../support/append-files.js';
import { assertStatus } from '../support/assertions.js';
import { namespacePath, startTestCatalog, uniqueName, type CatalogResponse, type TestCatalog } from '../support/catalog-harness.js';
import { createTableBody, randomSnapshotId } from '../support/table-requests.js';

/**
 * Server-side rebase of fast appends (`catalog.rebase-appends=true`): when a writer's append loses to
 * another append on the same branch, the server re-does what Java's client would (a new manifest
 * list: its new manifests + the new head's manifests) instead of answering 409.
 *
 * Invariants: with the property, concurrent appenders see no 409 and no append is lost (every data
 * file is reachable from main's final manifest list, read as Avro); sequence numbers increase along
 * main; no rebased list of a lost swap is left behind. Without it, or for a commit that is not a
 * plain append, the spec's 409 stands.
 *
 * Every manifest and manifest list is a real Avro file written through the catalog's FileIO (local
 * files, or S3 when S3_ENDPOINT is set).
 */
let catalog: TestCatalog;
let files: FileIO;
let P: string;
let namespace: string[];

before(async () => {
  catalog = await startTestCatalog();
  files = (await catalog.context()).files;
  P = `/v1/${catalog.warehouse}`;
  namespace = [uniqueName('rebase')];
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace } }), 200);
});
after(async () => catalog.close());

const REBASE = { 'catalog.rebase-appends': 'true' };
const MAX_CLIENT_ATTEMPTS = 400;

type Json = Record<string, unknown>;
type SnapshotJson = { 'snapshot-id': number | bigint; 'parent-snapshot-id'?: number | bigint; 'sequence-number': number | bigint; 'manifest-list': string; 'first-row-id'?: number | bigint; 'added-rows'?: number | bigint; summary: Record<string, string> };

async function createTable(properties: Record<string, string>): Promise<string> {
  const name = uniqueName('t');
  assertStatus(await catalog.request('POST', `${P}/namespaces/${namespacePath(namespace)}/tables`, { body: createTableBody(name, { properties }) }), 200);
  return `${P}/namespaces/${namespacePath(namespace)}/tables/${name}`;
}

async function load(path: string): Promise<{ metadataLocation: string; metadata: Json }> {
  const loaded = await catalog.request('GET', path);
  assertStatus(loaded, 200);
  const body = loaded.body as { 'metadata-location': string; metadata: Json };
  return { metadataLocation: body['metadata-location'], metadata: body.metadata };
}

/** One engine append, prepared on the table as loaded now (files written, not yet committed). */
async function prepareAppend(path: string, snapshotId = randomSnapshotId(), options: { operation?: string } = {}): Promise<{ snapshotId: bigint; written: AppendFiles; body: Json }> {
  const base = appendBaseOf((await load(path)).metadata);
  const written = await writeAppendFiles(files, base, snapshotId);
  return { snapshotId, written, body: appendRequest(base, snapshotId, written, options) };
}

async function append(path: string): Promise<bigint> {
  const { snapshotId, body } = await prepareAppend(path);
  assertStatus(await catalog.request('POST', path, { body }), 200);
  return snapshotId;
}

const counter = (response: CatalogResponse, name: string) => Number(response.headers.get(name) ?? 0);

interface Race {
  readonly accepted: Map<bigint, AppendFiles>;
  readonly clientConflicts: number;
  readonly serverRetries: number;
  readonly rebases: number;
  /** Appends that landed through group commit (a fold rebased them onto the appends before them). */
  readonly grouped: number;
  /** The distinct 409 bodies, to say why when there should have been none. */
  readonly conflicts: ReadonlySet<string>;
}

/** `writers` appenders, `appends` each, as engines do: load, write files, commit; on 409 reload, write a new list, retry. */
async function race(path: string, writers: number, appends: number): Promise<Race> {
  const accepted = new Map<bigint, AppendFiles>();
  let clientConflicts = 0;
  let serverRetries = 0;
  let rebases = 0;
  let grouped = 0;
  const conflicts = new Set<string>();
  const writer = async () => {
    for (let n = 0; n < appends; n++) {
      const snapshotId = randomSnapshotId();
      let written: AppendFiles | undefined;
      for (let attempt = 0; ; attempt++) {
        assert.ok(attempt < MAX_CLIENT_ATTEMPTS, 'writer starved');
        const base = appendBaseOf((await load(path)).metadata);
        written = await writeAppendFiles(files, base, snapshotId, written);
        const committed = await catalog.request('POST', path, { body: appendRequest(base, snapshotId, written) });
        if (committed.status === 200) {
          accepted.set(snapshotId, written);
          serverRetries += counter(committed, 'x-catalog-commit-retries');
          rebases += counter(committed, 'x-catalog-commit-rebases');
          if (committed.headers.get('x-catalog-commit-grouped') === 'true') grouped++;
          break;
        }
        assert.equal(committed.status, 409, committed.text);
        conflicts.add(committed.text);
        clientConflicts++;
      }
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
  return { accepted, clientConflicts, serverRetries, rebases, grouped, conflicts };
}

/** main from the head back: the snapshots in order, newest first. */
function mainChain(metadata: Json): SnapshotJson[] {
  const snapshots = metadata['snapshots'] as SnapshotJson[];
  const byId = new Map(snapshots.map((s) => [BigInt(s['snapshot-id']), s]));
  const refs = metadata['refs'] as Record<string, { 'snapshot-id': number | bigint }>;
  const chain: SnapshotJson[] = [];
  let cursor: bigint | undefined = BigInt(refs['main']!['snapshot-id']);
  while (cursor !== undefined) {
    const snapshot = byId.get(cursor);
    assert.ok(snapshot !== undefined, `snapshot ${cursor} on main exists`);
    chain.push(snapshot);
    cursor = snapshot['parent-snapshot-id'] === undefined ? undefined : BigInt(snapshot['parent-snapshot-id']);
  }
  return chain;
}

/** No append lost: main's list reaches exactly the accepted appends' data files; sequence numbers increase along main. */
async function assertNothingLost(metadata: Json, accepted: Map<bigint, AppendFiles>): Promise<void> {
  const snapshots = metadata['snapshots'] as SnapshotJson[];
  assert.equal(snapshots.length, accepted.size);
  assert.deepEqual(new Set(snapshots.map((s) => BigInt(s['snapshot-id']))), new Set(accepted.keys()));
  const chain = mainChain(metadata);
  assert.equal(chain.length, accepted.size, 'every accepted snapshot is on main');
  for (let i = 1; i < chain.length; i++) {
    assert.ok(BigInt(chain[i - 1]!['sequence-number']) > BigInt(chain[i]!['sequence-number']), 'sequence numbers must increase along main');
  }
  const dataFiles = await dataFilesOf(files, chain[0]!['manifest-list']);
  assert.equal(dataFiles.length, accepted.size, 'one data file per append in main\'s manifest list');
  assert.deepEqual(new Set(dataFiles), new Set([...accepted.values()].map((w) => w.dataFile)));
  assert.equal(chain[0]!.summary['total-data-files'], String(accepted.size), 'totals carried over through every rebase');
  // Each manifest sits at the sequence number of the snapshot that added it.
  const sequenceOf = new Map(snapshots.map((s) => [BigInt(s['snapshot-id']), BigInt(s['sequence-number'])]));
  for (const entry of readManifestList((await files.read(chain[0]!['manifest-list']))!)) {
    assert.equal(entry.sequence_number, sequenceOf.get(entry.added_snapshot_id!), entry.manifest_path);
  }
}

/** Rebased manifest lists are named snap-<id>-r<n>-<uuid>.avro: every one left in the folder is a committed snapshot's. */
async function assertNoOrphanRebasedLists(metadata: Json): Promise<void> {
  const lists = new Set((metadata['snapshots'] as SnapshotJson[]).map((s) => s['manifest-list']));
  const rebased = (await files.list(`${metadata['location'] as string}/metadata/`)).filter((f) => /\/snap-\d+-r\d+-[0-9a-f-]+\.avro$/.test(f));
  for (const list of rebased) assert.ok(lists.has(list), `rebased list ${list} is referenced`);
}

describe('with catalog.rebase-appends=true', () => {
  test('8 concurrent writers x 25 appends: no 409, all 200 appends on main, every data file in the final manifest list', async () => {
    const path = await createTable(REBASE);
    const result = await race(path, 8, 25);
    const { metadata } = await load(path);
    await assertNothingLost(metadata, result.accepted);
    await assertNoOrphanRebasedLists(metadata);
    assert.equal(result.clientConflicts, 0, `no client-visible 409: ${[...result.conflicts].join('; ')}`);
    assert.ok(result.rebases + result.grouped > 0, 'the race made the server rebase (itself, or in a group commit)');
    process.stdout.write(`# rebase-appends on: ${result.accepted.size} accepted, ${result.clientConflicts} client-visible 409s, ${result.rebases} server rebases, ${result.grouped} through group commit, ${result.serverRetries} lost swaps re-applied\n`);
  });

  test('a stale append is rebased onto the new head: parent, sequence number and a new manifest list', async () => {
    const path = await createTable(REBASE);
    const first = await append(path);
    const stale = await prepareAppend(path);
    const winner = await append(path);
    const committed = await catalog.request('POST', path, { body: stale.body });
    assertStatus(committed, 200);
    assert.equal(counter(committed, 'x-catalog-commit-rebases'), 1);

    const metadata = (committed.body as { metadata: Json }).metadata;
    const rebased = (metadata['snapshots'] as SnapshotJson[]).find((s) => BigInt(s['snapshot-id']) === stale.snapshotId)!;
    assert.equal(BigInt(rebased['parent-snapshot-id']!), winner);
    assert.equal(BigInt(rebased['sequence-number']), 3n);
    assert.notEqual(rebased['manifest-list'], stale.written.manifestList);
    assert.match(rebased['manifest-list'], new RegExp(`/snap-${stale.snapshotId}-r1-[0-9a-f-]+\\.avro$`));
    assert.equal(rebased.summary['total-data-files'], '3');
    assert.deepEqual(mainChain(metadata).map((s) => BigInt(s['snapshot-id'])), [stale.snapshotId, winner, first]);
    // The client's own list is left alone (Java's client deletes it).
    assert.ok((await files.read(stale.written.manifestList)) !== undefined);
  });

  test('a first append that lost to another first append is rebased too', async () => {
    const path = await createTable(REBASE);
    const stale = await prepareAppend(path);
    const winner = await append(path);
    const committed = await catalog.request('POST', path, { body: stale.body });
    assertStatus(committed, 200);
    const chain = mainChain((committed.body as { metadata: Json }).metadata);
    assert.deepEqual(chain.map((s) => BigInt(s['snapshot-id'])), [stale.snapshotId, winner]);
    assert.equal((await dataFilesOf(files, chain[0]!['manifest-list'])).length, 2);
  });

  test('an overwrite is not rebased: 409', async () => {
    const path = await createTable(REBASE);
    await append(path);
    const stale = await prepareAppend(path, undefined, { operation: 'overwrite' });
    await append(path);
    const refused = await catalog.request('POST', path, { body: stale.body });
    assertStatus(refused, 409);
    assert.equal((refused.body as { error: { type: string } }).error.type, 'CommitFailedException');
  });

  test('after a rollback of the branch past the parent: 409', async () => {
    const path = await createTable(REBASE);
    const first = await append(path);
    await append(path);
    const stale = await prepareAppend(path);
    const { metadata } = await load(path);
    const rollback = {
      requirements: [{ type: 'assert-ref-snapshot-id', ref: 'main', 'snapshot-id': (metadata['refs'] as Record<string, { 'snapshot-id': bigint | number }>)['main']!['snapshot-id'] }],
      updates: [{ action: 'set-snapshot-ref', 'ref-name': 'main', type: 'branch', 'snapshot-id': first }],
    };
    assertStatus(await catalog.request('POST', path, { body: rollback }), 200);
    assertStatus(await catalog.request('POST', path, { body: stale.body }), 409);
  });

  test('new data files with an explicit sequence number are not rebased: 409', async () => {
    const path = await createTable(REBASE);
    await append(path);
    const base = appendBaseOf((await load(path)).metadata);
    const snapshotId = randomSnapshotId();
    const manifest = `${base.location}/metadata/${uniqueName('explicit')}-m0.avro`;
    const bytes = writeManifest([{ status: 1, snapshot_id: snapshotId, sequence_number: base.sequenceNumber, file_sequence_number: base.sequenceNumber, data_file: { file_path: `${base.location}/data/x.parquet`, record_count: 1 } }], { formatVersion: 2 });
    assert.equal(await files.create(manifest, bytes), 'created');
    const parentEntries = readManifestList((await files.read(base.parentManifestList!))!);
    const list = `${base.location}/metadata/snap-${snapshotId}-1-${uniqueName('l')}.avro`;
    const listBytes = writeManifestList(
      [
        { manifest_path: manifest, manifest_length: bytes.length, added_snapshot_id: snapshotId, sequence_number: base.sequenceNumber, added_files_count: 1 },
        ...parentEntries.map((e) => ({ manifest_path: e.manifest_path, manifest_length: e.manifest_length, added_snapshot_id: e.added_snapshot_id!, sequence_number: e.sequence_number })),
      ],
      { formatVersion: 2, snapshotId, parentSnapshotId: base.parentSnapshotId, sequenceNumber: base.sequenceNumber },
    );
    assert.equal(await files.create(list, listBytes), 'created');
    const body = appendRequest(base, snapshotId, { manifestList: list, manifest, manifestLength: bytes.length, dataFile: `${base.location}/data/x.parquet`, records: 1n });
    await append(path);
    assertStatus(await catalog.request('POST', path, { body }), 409);
  });

  test('v3: rebased appends take the table\'s next-row-id; row ranges do not overlap', async () => {
    const path = await createTable({ ...REBASE, 'format-version': '3' });
    const result = await race(path, 4, 10);
    assert.equal(result.clientConflicts, 0, [...result.conflicts].join('; '));
    const { metadata } = await load(path);
    await assertNothingLost(metadata, result.accepted);
    const chain = mainChain(metadata).reverse();
    let nextRowId = 0n;
    for (const snapshot of chain) {
      assert.equal(BigInt(snapshot['first-row-id']!), nextRowId, 'each snapshot starts where the previous one ended');
      nextRowId += BigInt(snapshot['added-rows']!);
    }
    assert.equal(BigInt(metadata['next-row-id'] as bigint | number), nextRowId);
    // In main's list, each data manifest starts at its snapshot's first-row-id.
    const firstRowOf = new Map(chain.map((s) => [BigInt(s['snapshot-id']), BigInt(s['first-row-id']!)]));
    for (const entry of readManifestList((await files.read(chain.at(-1)!['manifest-list']))!)) {
      assert.equal(entry.first_row_id, firstRowOf.get(entry.added_snapshot_id!), entry.manifest_path);
    }
  });
});

describe('without the property (behaviour unchanged)', () => {
  test('a stale append is a 409', async () => {
    const path = await createTable({});
    await append(path);
    const stale = await prepareAppend(path);
    await append(path);
    const refused = await catalog.request('POST', path, { body: stale.body });
    assertStatus(refused, 409);
    assert.equal((refused.body as { error: { type: string } }).error.type, 'CommitFailedException');
  });

  test('8 concurrent writers x 10 appends: clients see 409s and retry, nothing is lost', async () => {
    const path = await createTable({});
    const result = await race(path, 8, 10);
    const { metadata } = await load(path);
    await assertNothingLost(metadata, result.accepted);
    assert.equal(result.rebases, 0);
    assert.ok(result.clientConflicts > 0, 'eight racing writers lose to each other');
    process.stdout.write(`# rebase-appends off: ${result.accepted.size} accepted, ${result.clientConflicts} client-visible 409s, ${result.serverRetries} lost swaps re-applied\n`);
  });
});
