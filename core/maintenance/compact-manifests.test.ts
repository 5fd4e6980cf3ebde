import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManifestContent, ManifestEntryStatus, type ManifestEntry } from '../avro/index.js';
import { compareBounds, existingEntry, planManifestCompaction, type ManifestInfo } from './compact-manifests.js';

const KiB = 1024;
const POLICY = { minManifests: 4, targetSizeBytes: 100 * KiB };

function aManifest(name: string, options: { kib?: number; spec?: number; deletes?: boolean } = {}): ManifestInfo {
  return {
    manifest_path: `s3://wh/t/metadata/${name}.avro`,
    manifest_length: BigInt((options.kib ?? 10) * KiB),
    partition_spec_id: options.spec ?? 0,
    content: options.deletes === true ? ManifestContent.DELETES : ManifestContent.DATA,
  };
}

const names = (paths: readonly string[]) => paths.map((p) => p.slice(p.lastIndexOf('/') + 1, -'.avro'.length));

test('a head with no more manifests than min-manifests is left alone', () => {
  const plan = planManifestCompaction({ manifests: ['a', 'b', 'c', 'd'].map((n) => aManifest(n)), policy: POLICY });

  assert.equal(plan.skipped, 'below-threshold');
  assert.deepEqual(plan.groups, []);
  assert.equal(plan.manifestsAfter, 4);
});

test('small data manifests are grouped by partition spec; large ones and delete manifests stay as they are', () => {
  const manifests = [aManifest('a'), aManifest('x', { spec: 1 }), aManifest('big', { kib: 100 }), aManifest('b'), aManifest('del', { deletes: true }), aManifest('y', { spec: 1 }), aManifest('c')];

  const plan = planManifestCompaction({ manifests, policy: POLICY });

  assert.deepEqual(
    plan.groups.map((g) => ({ spec: g.specId, manifests: names(g.manifests) })),
    [
      { spec: 0, manifests: ['a', 'b', 'c'] },
      { spec: 1, manifests: ['x', 'y'] },
    ],
  );
  assert.equal(plan.manifestsAfter, 7 - 5 + 2, 'big, del and the two new manifests');
});

test('a group fills up to the target size in list order; a group of one is not rewritten', () => {
  const manifests = [aManifest('a', { kib: 60 }), aManifest('b', { kib: 30 }), aManifest('c', { kib: 20 }), aManifest('d', { kib: 90 }), aManifest('e', { kib: 5 })];

  const plan = planManifestCompaction({ manifests, policy: POLICY });

  // a+b = 90 KiB (+c would pass 100); c alone would open the next group, c+d = 110 > 100 so c is alone; d+e = 95.
  assert.deepEqual(plan.groups.map((g) => names(g.manifests)), [['a', 'b'], ['d', 'e']]);
  assert.deepEqual(plan.groups.map((g) => g.bytes), [90 * KiB, 95 * KiB]);
  assert.equal(plan.manifestsAfter, 3);
});

test('manifests outside the table location are never taken into a group', () => {
  const manifests = [aManifest('a'), aManifest('b'), aManifest('c'), aManifest('d'), { ...aManifest('foreign'), manifest_path: 's3://wh/other/foreign.avro' }];

  const plan = planManifestCompaction({ manifests, policy: POLICY, eligible: (path) => path.startsWith('s3://wh/t/') });

  assert.deepEqual(plan.groups.map((g) => names(g.manifests)), [['a', 'b', 'c', 'd']]);
});

test('the run bounds: groups past max-manifests wait for the next run', () => {
  const manifests = Array.from({ length: 12 }, (_, i) => aManifest(`m${i}`, { kib: 40 }));

  const plan = planManifestCompaction({ manifests, policy: POLICY, maxManifests: 5 });

  assert.deepEqual(plan.groups.map((g) => names(g.manifests)), [['m0', 'm1'], ['m2', 'm3']]);
  assert.equal(plan.manifestsAfter, 12 - 4 + 2);
});

test('nothing to merge: every small manifest is alone in its spec', () => {
  const manifests = [aManifest('a', { spec: 0 }), aManifest('b', { spec: 1 }), aManifest('c', { spec: 2 }), aManifest('big1', { kib: 200 }), aManifest('big2', { kib: 200 })];

  const plan = planManifestCompaction({ manifests, policy: POLICY });

  assert.equal(plan.skipped, 'nothing-to-merge');
  assert.equal(plan.manifestsAfter, 5);
});

function anEntry(status: number, fields: Partial<Pick<ManifestEntry, 'snapshot_id' | 'sequence_number' | 'file_sequence_number'>> = {}): ManifestEntry {
  return {
    status,
    snapshot_id: fields.snapshot_id ?? null,
    sequence_number: fields.sequence_number ?? null,
    file_sequence_number: fields.file_sequence_number ?? null,
    data_file: { file_path: 's3://wh/t/data/a.parquet' } as ManifestEntry['data_file'],
  };
}

test('a rewritten entry is EXISTING and keeps what it inherited from its manifest (an ADDED entry inherits; an EXISTING one keeps its own)', () => {
  const listEntry = { manifest_path: 's3://wh/t/metadata/m.avro', added_snapshot_id: 7n, sequence_number: 3n };

  const added = existingEntry(anEntry(ManifestEntryStatus.ADDED), listEntry);
  const existing = existingEntry(anEntry(ManifestEntryStatus.EXISTING, { snapshot_id: 5n, sequence_number: 2n, file_sequence_number: 2n }), listEntry);

  assert.deepEqual([added.status, added.snapshot_id, added.sequence_number, added.file_sequence_number], [ManifestEntryStatus.EXISTING, 7n, 3n, 3n]);
  assert.deepEqual([existing.status, existing.snapshot_id, existing.sequence_number, existing.file_sequence_number], [ManifestEntryStatus.EXISTING, 5n, 2n, 2n]);
});

test('an EXISTING entry without its own sequence number is not guessed at (the group is refused)', () => {
  assert.throws(() => existingEntry(anEntry(ManifestEntryStatus.EXISTING, { snapshot_id: 5n }), { manifest_path: 'm', added_snapshot_id: 7n, sequence_number: 3n }), /no snapshot id or sequence number/);
  // A v1 manifest carried into v2 (manifest sequence number 0): everything in it is at 0.
  assert.equal(existingEntry(anEntry(ManifestEntryStatus.EXISTING, { snapshot_id: 5n }), { manifest_path: 'm', added_snapshot_id: 7n, sequence_number: 0n }).sequence_number, 0n);
});

test('partition bounds compare by their type, as readers prune with them', () => {
  const int = (n: number) => new Uint8Array(new Int32Array([n]).buffer);
  const long = (n: bigint) => new Uint8Array(new BigInt64Array([n]).buffer);
  const utf8 = (s: string) => new TextEncoder().encode(s);

  assert.equal(compareBounds('int', int(-1), int(2)), -1, 'little-endian signed, not bytewise');
  assert.equal(compareBounds({ type: 'int', logicalType: 'date' }, int(300), int(2)), 1);
  assert.equal(compareBounds('long', long(-5n), long(1n)), -1);
  assert.equal(compareBounds('string', utf8('b'), utf8('ab')), 1);
  assert.equal(compareBounds({ type: 'fixed', size: 2, logicalType: 'decimal', precision: 4, scale: 0 }, Uint8Array.of(0xff), Uint8Array.of(0x01, 0x00)), -1, 'two’s complement of any width');
  assert.equal(compareBounds('int', Uint8Array.of(1), int(1)), undefined, 'a bound of the wrong width is not guessed at');
  assert.equal(compareBounds({ type: 'record', name: 'x', fields: [] }, utf8('a'), utf8('b')), undefined);
});
