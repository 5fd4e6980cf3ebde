import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeManifest, writeManifestList } from '../avro/iceberg-manifests.js';
import type { Snapshot } from '../metadata/types.js';
import { BEST_EFFORT, FAIL_CLOSED, MISSING_IS_DONE, SnapshotFiles, UnreadableReferenceError, type ReadPolicy } from './snapshot-files.js';

const T = 's3://wh/ns/t';

/** A tiny store: path → bytes; `broken` paths throw as a storage outage would; every read is counted. */
function aStore(files: Record<string, Uint8Array>, broken: readonly string[] = []) {
  const reads: string[] = [];
  const read = async (location: string): Promise<Uint8Array | undefined> => {
    reads.push(location);
    if (broken.includes(location)) throw new Error('503 Slow Down');
    return files[location];
  };
  return { read, reads };
}

function aManifest(...dataFiles: string[]): Uint8Array {
  return writeManifest(dataFiles.map((file_path) => ({ status: 1, snapshot_id: 1, data_file: { file_path } })), { formatVersion: 2 });
}

function aList(...manifests: string[]): Uint8Array {
  return writeManifestList(manifests.map((manifest_path) => ({ manifest_path, manifest_length: 100, added_snapshot_id: 1 })), { formatVersion: 2 });
}

function aSnapshot(id: number, manifestList: string): Snapshot {
  return { snapshotId: BigInt(id), timestampMs: 0n, manifestList };
}

const GARBAGE = new TextEncoder().encode('not avro');

/** One list naming a good manifest, a missing one and a corrupt one. */
function aTable() {
  return {
    [`${T}/metadata/snap-1.avro`]: aList(`${T}/metadata/m-good.avro`, `${T}/metadata/m-missing.avro`, `${T}/metadata/m-corrupt.avro`),
    [`${T}/metadata/m-good.avro`]: aManifest(`${T}/data/a.parquet`, `${T}/data/b.parquet`),
    [`${T}/metadata/m-corrupt.avro`]: GARBAGE,
  };
}

test('best effort (the purge) skips what is missing, corrupt or outside and returns the rest', async () => {
  const store = aStore({ ...aTable(), 's3://wh/other/m.avro': aManifest('s3://wh/other/x.parquet') });
  const walker = new SnapshotFiles({ read: store.read, within: (location) => location.startsWith(`${T}/`) });

  const manifests = await walker.manifestsOfAll([aSnapshot(1, `${T}/metadata/snap-1.avro`), aSnapshot(2, `${T}/metadata/snap-gone.avro`)], BEST_EFFORT);
  const files = await walker.contentFilesOfAll([...manifests, 's3://wh/other/m.avro'], BEST_EFFORT);

  assert.deepEqual([...manifests], [`${T}/metadata/m-good.avro`, `${T}/metadata/m-missing.avro`, `${T}/metadata/m-corrupt.avro`]);
  assert.deepEqual([...files.keys()], [`${T}/metadata/m-good.avro`]);
  assert.deepEqual(files.get(`${T}/metadata/m-good.avro`), [`${T}/data/a.parquet`, `${T}/data/b.parquet`]);
  assert.ok(!store.reads.includes('s3://wh/other/m.avro'), 'a path outside `within` is never read');
});

test('fail closed (retained state) throws on a missing, a corrupt and an outside file, naming kind, path and reason', async () => {
  const store = aStore(aTable());
  const walker = new SnapshotFiles({ read: store.read, within: (location) => location.startsWith(`${T}/`) });
  const failure = async (work: Promise<unknown>): Promise<UnreadableReferenceError> => {
    try {
      await work;
    } catch (error) {
      assert.ok(error instanceof UnreadableReferenceError, String(error));
      return error;
    }
    assert.fail('expected an UnreadableReferenceError');
  };

  const missingList = await failure(walker.manifestsOf(aSnapshot(2, `${T}/metadata/snap-gone.avro`), FAIL_CLOSED));
  const missing = await failure(walker.contentFilesOf(`${T}/metadata/m-missing.avro`, FAIL_CLOSED));
  const corrupt = await failure(walker.contentFilesOf(`${T}/metadata/m-corrupt.avro`, FAIL_CLOSED));
  const outside = await failure(walker.manifestsInList('s3://wh/other/snap.avro', FAIL_CLOSED));

  assert.deepEqual([missingList.kind, missingList.reason], ['manifest list', 'missing']);
  assert.deepEqual([missing.kind, missing.reason], ['manifest', 'missing']);
  assert.deepEqual([corrupt.kind, corrupt.reason], ['manifest', 'unreadable']);
  assert.deepEqual([outside.kind, outside.reason], ['manifest list', 'outside']);
  assert.match(missing.message, /m-missing\.avro' is missing/);
});

test('missing is done (snapshots only old metadata names) skips a missing file but fails on a corrupt one', async () => {
  const walker = new SnapshotFiles({ read: aStore(aTable()).read });

  assert.equal(await walker.contentFilesOf(`${T}/metadata/m-missing.avro`, MISSING_IS_DONE), undefined);
  assert.equal(await walker.manifestsOf(aSnapshot(2, `${T}/metadata/snap-gone.avro`), MISSING_IS_DONE), undefined);
  await assert.rejects(walker.contentFilesOf(`${T}/metadata/m-corrupt.avro`, MISSING_IS_DONE), UnreadableReferenceError);
});

test('a storage failure propagates under every policy: it is never taken for a missing file', async () => {
  for (const policy of [BEST_EFFORT, FAIL_CLOSED, MISSING_IS_DONE] satisfies ReadPolicy[]) {
    const walker = new SnapshotFiles({ read: aStore(aTable(), [`${T}/metadata/m-good.avro`]).read });
    await assert.rejects(walker.contentFilesOf(`${T}/metadata/m-good.avro`, policy), /503 Slow Down/);
  }
});

test('each list and manifest is read once, whatever the policies it is asked with', async () => {
  const store = aStore(aTable());
  const walker = new SnapshotFiles({ read: store.read });
  const snapshots = [aSnapshot(1, `${T}/metadata/snap-1.avro`), aSnapshot(3, `${T}/metadata/snap-1.avro`)];

  await walker.manifestsOfAll(snapshots, BEST_EFFORT);
  await walker.manifestsOfAll(snapshots, FAIL_CLOSED);
  await walker.contentFilesOfAll([`${T}/metadata/m-good.avro`, `${T}/metadata/m-missing.avro`], BEST_EFFORT);
  await assert.rejects(walker.contentFilesOf(`${T}/metadata/m-missing.avro`, FAIL_CLOSED), UnreadableReferenceError);

  assert.deepEqual(store.reads.sort(), [`${T}/metadata/m-good.avro`, `${T}/metadata/m-missing.avro`, `${T}/metadata/snap-1.avro`]);
});

test('a v1 snapshot with inline manifests has no list to read', async () => {
  const store = aStore(aTable());
  const walker = new SnapshotFiles({ read: store.read });
  const v1: Snapshot = { snapshotId: 7n, timestampMs: 0n, manifests: [`${T}/metadata/m-good.avro`] };

  assert.deepEqual(await walker.manifestsOf(v1, FAIL_CLOSED), [`${T}/metadata/m-good.avro`]);
  assert.deepEqual(store.reads, []);
});
