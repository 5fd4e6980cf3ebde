import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLocation } from '../catalog/locations/canonical-location.js';
import { loadConfig } from '../config.js';
import { ConfigurationError } from '../errors.js';
import type { ListedFile } from '../store/file-io.js';
import {
  canonicalReference,
  DEFAULT_ORPHAN_MIN_AGE_MS,
  MIN_ORPHAN_AGE_FLOOR_MS,
  ORPHAN_MIN_AGE_PROPERTY,
  orphanMinAgeMs,
  planOrphanRemoval,
  type OrphanPlanInput,
  type ReferenceSet,
} from './orphan-files.js';

const NOW = Date.parse('2026-12-07T20:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const ROOT = 's3://bucket/wh/ns/t1';

function aFile(location: string, ageMs = 10 * DAY): ListedFile {
  return { location, lastModifiedMs: NOW - ageMs, size: 1 };
}

function references(...paths: string[]): ReferenceSet {
  return { ok: true, uris: new Set(paths.map(canonicalReference)) };
}

function aPlan(listed: ListedFile[], extra: Partial<OrphanPlanInput> = {}): ReturnType<typeof planOrphanRemoval> {
  return planOrphanRemoval({ listed, references: references(), now: NOW, minAgeMs: 3 * DAY, root: parseLocation(ROOT), foreignRoots: [], ...extra });
}

test('an old file nothing references is removed', () => {
  const plan = aPlan([aFile(`${ROOT}/data/stray.parquet`)]);
  assert.deepEqual(plan.remove, [`${ROOT}/data/stray.parquet`]);
});

test('a young orphan is kept: it may belong to a commit in flight', () => {
  const plan = aPlan([aFile(`${ROOT}/data/new.parquet`, 3 * DAY - 1)]);
  assert.deepEqual(plan.remove, []);
  assert.equal(plan.kept.young, 1);
});

test('a file dated in the future (clock skew) counts as young', () => {
  const plan = aPlan([aFile(`${ROOT}/data/skewed.parquet`, -DAY)]);
  assert.deepEqual(plan.remove, []);
  assert.equal(plan.kept.young, 1);
});

test('a referenced file is kept however old, whichever spelling the reference uses', () => {
  const listed = [aFile(`${ROOT}/data/a.parquet`, 400 * DAY), aFile(`${ROOT}/metadata/snap-1.avro`, 400 * DAY), aFile(`${ROOT}/metadata/00001.metadata.json`, 400 * DAY)];
  const refs = references('s3a://bucket/wh/ns/t1/data/a.parquet', 'S3N://bucket/wh/ns/t1/metadata/snap-1.avro', `${ROOT}/metadata/00001.metadata.json`);
  const plan = aPlan(listed, { references: refs });
  assert.deepEqual(plan.remove, []);
  assert.equal(plan.kept.referenced, 3);
});

test('local files: file:/x (Hadoop form), file:///x and percent-encoded paths are one file', () => {
  const root = 'file:///srv/wh/ns/t1';
  const listed = [aFile(`${root}/data/a%20b.parquet`), aFile(`${root}/data/c.parquet`)];
  const refs = references('file:/srv/wh/ns/t1/data/a b.parquet', 'file://localhost/srv/wh/ns//t1/data/c.parquet');
  const plan = aPlan(listed, { root: parseLocation(root), references: refs });
  assert.deepEqual(plan.remove, []);
  assert.equal(plan.kept.referenced, 2);
});

test('nothing outside the table location is ever removed: another folder, the sibling t10, the location itself', () => {
  const listed = [aFile('s3://bucket/wh/ns/t10/data/x.parquet'), aFile('s3://bucket/wh/ns/t1x'), aFile('s3://bucket/wh/ns/t1'), aFile('s3://other/wh/ns/t1/a'), aFile('s3://bucket/wh/ns/other/a')];
  const plan = aPlan(listed);
  assert.deepEqual(plan.remove, []);
  assert.equal(plan.kept.outside, 5);
});

test('an S3 folder marker (x/) is kept: deleting its canonical form would delete the object x', () => {
  const plan = aPlan([aFile(`${ROOT}/data/`), aFile(`${ROOT}/data`, 400 * DAY)], { references: references(`${ROOT}/data`) });
  assert.deepEqual(plan.remove, []);
  assert.equal(plan.kept.outside, 1);
  assert.equal(plan.kept.referenced, 1);
});

test('a listed location that cannot be placed is kept', () => {
  const plan = aPlan([aFile(`${ROOT}/data/../../escape`), aFile(`${ROOT}/data/%2e%2e/x`), aFile('not a uri')]);
  assert.deepEqual(plan.remove, []);
  assert.equal(plan.kept.outside, 3);
});

test("files inside another live object's location nested in this one are never removed", () => {
  const nested = [parseLocation(`${ROOT}/sub`), parseLocation(`${ROOT}/other-data`)];
  const listed = [aFile(`${ROOT}/sub/metadata/00000.metadata.json`), aFile(`${ROOT}/sub/data/a.parquet`), aFile(`${ROOT}/other-data/b.parquet`), aFile(`${ROOT}/subx/c.parquet`)];
  const plan = aPlan(listed, { foreignRoots: nested });
  // `subx` is not inside `sub`: segments, not text.
  assert.deepEqual(plan.remove, [`${ROOT}/subx/c.parquet`]);
  assert.equal(plan.kept.foreign, 3);
});

test('references that could not be read: nothing is removed, and the cursor does not move', () => {
  const plan = aPlan([aFile(`${ROOT}/data/a.parquet`), aFile(`${ROOT}/data/b.parquet`)], { references: { ok: false, reason: 'manifest missing' } });
  assert.deepEqual(plan.remove, []);
  assert.equal(plan.refused, 'manifest missing');
  assert.equal(plan.decidedThrough, undefined);
});

test('a removal budget stops before the file that would exceed it, and the cursor resumes exactly there', () => {
  const listed = ['a', 'b', 'c', 'd', 'e'].map((name) => aFile(`${ROOT}/data/${name}`, name === 'b' ? DAY : 10 * DAY));
  const first = aPlan(listed, { maxRemovals: 2 });
  assert.deepEqual(first.remove, [`${ROOT}/data/a`, `${ROOT}/data/c`]);
  assert.equal(first.exhausted, false);
  assert.equal(first.decidedThrough, `${ROOT}/data/c`);

  const rest = listed.filter((f) => f.location > first.decidedThrough!);
  const second = aPlan(rest, { maxRemovals: 2 });
  assert.deepEqual(second.remove, [`${ROOT}/data/d`, `${ROOT}/data/e`]);
  assert.equal(second.exhausted, true);
});

test('the safety age: the table property, else the catalog default, never below one hour', () => {
  assert.equal(orphanMinAgeMs({}), DEFAULT_ORPHAN_MIN_AGE_MS);
  assert.equal(orphanMinAgeMs({}, 7 * DAY), 7 * DAY);
  assert.equal(orphanMinAgeMs({ [ORPHAN_MIN_AGE_PROPERTY]: String(2 * DAY) }, 7 * DAY), 2 * DAY);
  assert.equal(orphanMinAgeMs({ [ORPHAN_MIN_AGE_PROPERTY]: '0' }), MIN_ORPHAN_AGE_FLOOR_MS);
  assert.equal(orphanMinAgeMs({ [ORPHAN_MIN_AGE_PROPERTY]: '60000' }), MIN_ORPHAN_AGE_FLOOR_MS);
  // Malformed or negative: the default, never "delete sooner".
  assert.equal(orphanMinAgeMs({ [ORPHAN_MIN_AGE_PROPERTY]: '-5' }), DEFAULT_ORPHAN_MIN_AGE_MS);
  assert.equal(orphanMinAgeMs({ [ORPHAN_MIN_AGE_PROPERTY]: '1e3' }), DEFAULT_ORPHAN_MIN_AGE_MS);
  assert.equal(orphanMinAgeMs({ [ORPHAN_MIN_AGE_PROPERTY]: 'soon' }), DEFAULT_ORPHAN_MIN_AGE_MS);
});

test('a reference that cannot be placed throws: the run must then delete nothing', () => {
  assert.throws(() => canonicalReference('hdfs://nn/wh/t1/a.parquet'));
  assert.throws(() => canonicalReference('s3://bucket/wh/t1/../t2/a.parquet'));
  assert.throws(() => canonicalReference('relative/a.parquet'));
});

test('CATALOG_ORPHAN_FILES_MIN_AGE_MS sets the catalog default; below one hour or malformed, the start is refused', () => {
  const env = { CATALOG_STORE: 'fs', CATALOG_DATA_DIR: '/srv/catalog', CATALOG_AUTH: 'disabled' };
  assert.equal(loadConfig(env).orphanFilesMinAgeMs, undefined);
  assert.equal(loadConfig({ ...env, CATALOG_ORPHAN_FILES_MIN_AGE_MS: String(7 * DAY) }).orphanFilesMinAgeMs, 7 * DAY);
  assert.throws(() => loadConfig({ ...env, CATALOG_ORPHAN_FILES_MIN_AGE_MS: '60000' }), ConfigurationError);
  assert.throws(() => loadConfig({ ...env, CATALOG_ORPHAN_FILES_MIN_AGE_MS: '3d' }), ConfigurationError);
});
