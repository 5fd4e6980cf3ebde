import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CatalogContext } from '../../core/catalog/context.js';
import { ORPHAN_MIN_AGE_PROPERTY, removeOrphanFiles, type OrphanRemovalResult, type RemoveOrphanFilesOptions } from '../../core/maintenance/orphan-files.js';
import type { FileIO, FileListOptions, FileListPage } from '../../core/store/file-io.js';
import { appendBaseOf, appendRequest, dataFilesOf, writeAppendFiles } from '../support/append-files.js';
import { assertStatus } from '../support/assertions.js';
import { startTestCatalog, type TestCatalog } from '../support/catalog-harness.js';
import { tableApi, type TableApi, type TableId, type TableMetadataJson } from '../support/table-fixtures.js';
import { aCreateViewRequest, viewApi } from '../support/view-fixtures.js';

/**
 * Issue 12, orphan file removal, on real tables (local files, or S3 when S3_ENDPOINT is set, e.g.
 * Ceph RGW): appends committed over HTTP with real Avro manifests and lists and placeholder data
 * files, stray files written inside and next to the table location, and neighbours whose locations
 * are a sibling prefix (`t10`) or nested inside the table (`ns.t1.inner`, `ns.t1sub` at `t1/sub`).
 * Ages are set by injecting `now` (on S3 LastModified is the server's clock): `now` is today for
 * "everything is young" and 30 days ahead for "everything is old".
 *
 * Invariant at the end of every test: every file a retained snapshot or metadata file references
 * still exists, and nothing outside the table location, or inside a nested object's, was deleted.
 */
const DAY = 24 * 60 * 60 * 1000;
const FAR = () => Date.now() + 30 * DAY;

let catalog: TestCatalog;
let api: TableApi;
let ctx: CatalogContext;
let files: FileIO;

before(async () => {
  catalog = await startTestCatalog();
  api = tableApi(catalog);
  ctx = await catalog.context();
  files = ctx.files;
});
after(async () => catalog.close());

async function put(location: string): Promise<string> {
  assert.equal(await files.create(location, new TextEncoder().encode('stray')), 'created', location);
  return location;
}

async function exists(location: string): Promise<boolean> {
  return (await files.read(location)) !== undefined;
}

async function metadataOf(id: TableId): Promise<{ metadata: TableMetadataJson; metadataLocation: string }> {
  const loaded = await api.loadOk(id);
  return { metadata: loaded.metadata, metadataLocation: loaded['metadata-location']! };
}

/** One fast append over HTTP, its data file written too (a placeholder: nothing reads it). */
async function append(id: TableId): Promise<void> {
  const base = appendBaseOf((await metadataOf(id)).metadata as unknown as Record<string, unknown>);
  const snapshotId = BigInt(Math.floor(Math.random() * 2 ** 52)) + 1n;
  const written = await writeAppendFiles(files, base, snapshotId);
  await put(written.dataFile);
  assertStatus(await api.commit(id, appendRequest(base, snapshotId, written)), 200);
}

/** Everything the table's retained state names: metadata files, lists, manifests, data files, statistics. */
async function retainedFiles(id: TableId): Promise<string[]> {
  const { metadata, metadataLocation } = await metadataOf(id);
  const out = new Set<string>([metadataLocation, ...(metadata['metadata-log'] ?? []).map((e) => e['metadata-file'])]);
  for (const snapshot of metadata.snapshots ?? []) {
    const list = snapshot['manifest-list']!;
    out.add(list);
    for (const file of await dataFilesOf(files, list)) out.add(file);
  }
  return [...out].sort();
}

/** Runs until the listing is complete, resuming from each result's cursor. */
async function runToEnd(id: TableId, now: number, options: RemoveOrphanFilesOptions): Promise<{ results: OrphanRemovalResult[]; deleted: string[] }> {
  const results: OrphanRemovalResult[] = [];
  let cursor: string | undefined;
  do {
    const result = await removeOrphanFiles(ctx, catalog.warehouse, id, now, { ...options, ...(cursor !== undefined ? { cursor } : {}) });
    assert.equal(result.refused, undefined, result.refused);
    results.push(result);
    cursor = result.cursor;
    assert.ok(results.length < 100, 'the cursor never ends');
  } while (cursor !== undefined);
  return { results, deleted: results.flatMap((r) => r.deleted).sort() };
}

describe('orphan file removal', () => {
  test('removes exactly the old unreferenced files under the table location, in bounded resumable runs; never a referenced, young, sibling or nested file', async () => {
    const namespace = await api.newNamespace('orphans');
    const t1: TableId = { namespace, name: 't1' };
    await api.createOk(namespace, { name: 't1', schema: { type: 'struct', 'schema-id': 0, fields: [{ id: 1, name: 'id', required: true, type: 'long' }] } });
    await append(t1);
    await append(t1);
    const location = (await metadataOf(t1)).metadata.location;

    // Neighbours: the sibling prefix t10, a table of the child namespace `t1` (default location
    // inside t1's), and a table of the same namespace given a location inside t1's.
    const t10: TableId = { namespace, name: 't10' };
    await api.createOk(namespace, { name: 't10', schema: { type: 'struct', 'schema-id': 0, fields: [{ id: 1, name: 'id', required: true, type: 'long' }] } });
    await append(t10);
    assertStatus(await catalog.request('POST', `${api.prefix}/namespaces`, { body: { namespace: [...namespace, 't1'] } }), 200);
    const inner: TableId = { namespace: [...namespace, 't1'], name: 'inner' };
    await api.createOk(inner.namespace, { name: 'inner', schema: { type: 'struct', 'schema-id': 0, fields: [{ id: 1, name: 'id', required: true, type: 'long' }] } });
    await append(inner);
    const sub: TableId = { namespace, name: 't1sub' };
    await api.createOk(namespace, { name: 't1sub', location: `${location}/sub`, schema: { type: 'struct', 'schema-id': 0, fields: [{ id: 1, name: 'id', required: true, type: 'long' }] } });
    await append(sub);
    // A view of the child namespace: its metadata folder is inside t1's location too.
    const view = await viewApi(catalog).createOk(inner.namespace, aCreateViewRequest('inner_view'));
    const viewMetadata = view['metadata-location'];
    const innerLocation = (await metadataOf(inner)).metadata.location;
    assert.ok(innerLocation.startsWith(`${location}/`), `${innerLocation} nests in ${location}`);

    const strays = [await put(`${location}/data/stray-1.parquet`), await put(`${location}/metadata/stray-m0.avro`), await put(`${location}/stray-at-root`), await put(`${location}/data/deep/er/stray-2.parquet`)];
    const keptStrays = [
      await put(`${location}0/data/sibling-stray.parquet`), // t10's folder: a sibling prefix
      await put(`${location}-stray`), // next to the location
      await put(`${innerLocation}/data/nested-stray.parquet`), // inside a nested table
      await put(`${location}/sub/data/nested-stray.parquet`),
    ];
    assert.ok(viewMetadata.startsWith(`${location}/`), `${viewMetadata} nests in ${location}`);
    keptStrays.push(viewMetadata);
    const retained = [...(await retainedFiles(t1)), ...(await retainedFiles(t10)), ...(await retainedFiles(inner)), ...(await retainedFiles(sub))];

    // Today: every file is younger than the 3-day default.
    const young = await runToEnd(t1, Date.now(), {});
    assert.deepEqual(young.deleted, []);
    // Nothing is old enough to go, so the run stops at the listing: every file counts as young.
    assert.equal(young.results[0]!.allYoung, true);
    assert.ok(young.results[0]!.kept.young >= strays.length + retained.filter((f) => f.startsWith(`${location}/`)).length);

    // 30 days on, a dry run names exactly the strays and deletes nothing.
    const dry = await runToEnd(t1, FAR(), { dryRun: true });
    assert.deepEqual(dry.deleted, [...strays].sort());
    for (const file of strays) assert.ok(await exists(file), file);

    // The real run, one deletion and three listed files per run, resumed from the cursor.
    const real = await runToEnd(t1, FAR(), { budget: { maxDeleted: 1, maxListed: 3 } });
    assert.deepEqual(real.deleted, [...strays].sort());
    assert.ok(real.results.length >= strays.length, 'the budget bounded each run');
    assert.ok(real.results.every((r) => r.deleted.length <= 1 && r.listed <= 3));
    assert.ok(real.results.reduce((n, r) => n + r.kept.foreign, 0) > 0, 'nested objects were skipped, not ignored');
    for (const file of strays) assert.equal(await exists(file), false, file);
    for (const file of [...keptStrays, ...retained]) assert.ok(await exists(file), `kept: ${file}`);

    // The table still loads and appends on top of what is left.
    await append(t1);
    for (const file of await retainedFiles(t1)) assert.ok(await exists(file), file);
  });

  test('a file named by a retained snapshot is kept however old; the safety age comes from the table property, never below 1 hour', async () => {
    const namespace = await api.newNamespace('orphans');
    const id: TableId = { namespace, name: 'aged' };
    await api.createOk(namespace, {
      name: 'aged',
      schema: { type: 'struct', 'schema-id': 0, fields: [{ id: 1, name: 'id', required: true, type: 'long' }] },
      properties: { [ORPHAN_MIN_AGE_PROPERTY]: String(10 * DAY) },
    });
    await append(id);
    const location = (await metadataOf(id)).metadata.location;
    const stray = await put(`${location}/data/stray.parquet`);

    // 5 days on: old by the 3-day default, young by the table's 10 days.
    const early = await removeOrphanFiles(ctx, catalog.warehouse, id, Date.now() + 5 * DAY, {});
    assert.deepEqual(early.deleted, []);
    assert.equal(early.minAgeMs, 10 * DAY);

    // A property of 1 ms is raised to the 1-hour floor: a file written a minute ago stays.
    assertStatus(await api.commit(id, { requirements: [], updates: [{ action: 'set-properties', updates: { [ORPHAN_MIN_AGE_PROPERTY]: '1' } }] }), 200);
    const floor = await removeOrphanFiles(ctx, catalog.warehouse, id, Date.now() + 60_000, {});
    assert.deepEqual(floor.deleted, []);
    assert.equal(floor.minAgeMs, 60 * 60 * 1000);

    const late = await removeOrphanFiles(ctx, catalog.warehouse, id, FAR(), {});
    assert.deepEqual(late.deleted, [stray]);
    for (const file of await retainedFiles(id)) assert.ok(await exists(file), file);
  });

  test('fail closed: a retained manifest that cannot be read, or gc.enabled=false, and the run deletes nothing', async () => {
    const namespace = await api.newNamespace('orphans');
    const id: TableId = { namespace, name: 'broken' };
    await api.createOk(namespace, { name: 'broken', schema: { type: 'struct', 'schema-id': 0, fields: [{ id: 1, name: 'id', required: true, type: 'long' }] } });
    await append(id);
    await append(id);
    const { metadata } = await metadataOf(id);
    const stray = await put(`${metadata.location}/data/stray.parquet`);

    assertStatus(await api.commit(id, { requirements: [], updates: [{ action: 'set-properties', updates: { 'gc.enabled': 'false' } }] }), 200);
    const gcOff = await removeOrphanFiles(ctx, catalog.warehouse, id, FAR(), {});
    assert.match(gcOff.refused ?? '', /gc\.enabled/);
    assert.deepEqual(gcOff.deleted, []);
    assertStatus(await api.commit(id, { requirements: [], updates: [{ action: 'remove-properties', removals: ['gc.enabled'] }] }), 200);

    // The first append's manifest goes missing: its data file can no longer be told from an orphan.
    const first = (metadata.snapshots ?? [])[0]!;
    const { readManifestList } = await import('../../core/avro/index.js');
    const manifest = readManifestList((await files.read(first['manifest-list']!))!)[0]!.manifest_path;
    const bytes = (await files.read(manifest))!;
    await files.delete(manifest);
    const broken = await removeOrphanFiles(ctx, catalog.warehouse, id, FAR(), {});
    assert.match(broken.refused ?? '', /nothing deleted/);
    assert.deepEqual(broken.deleted, []);
    assert.ok(await exists(stray));

    // Restored, the same run goes ahead.
    assert.equal(await files.create(manifest, bytes), 'created');
    const fixed = await removeOrphanFiles(ctx, catalog.warehouse, id, FAR(), {});
    assert.deepEqual(fixed.deleted, [stray]);
    for (const file of await retainedFiles(id)) assert.ok(await exists(file), file);
  });

  test("a table sharing the location (renamed away, then a new one created under the old name) keeps its files", async () => {
    const namespace = await api.newNamespace('orphans');
    const old: TableId = { namespace, name: 'shared' };
    await api.createOk(namespace, { name: 'shared', schema: { type: 'struct', 'schema-id': 0, fields: [{ id: 1, name: 'id', required: true, type: 'long' }] } });
    await append(old);
    const renamed: TableId = { namespace, name: 'shared_old' };
    assertStatus(await api.rename(old, renamed), 204);
    const fresh: TableId = { namespace, name: 'shared' };
    await api.createOk(namespace, { name: 'shared', schema: { type: 'struct', 'schema-id': 0, fields: [{ id: 1, name: 'id', required: true, type: 'long' }] } });
    await append(fresh);
    const location = (await metadataOf(fresh)).metadata.location;
    assert.equal((await metadataOf(renamed)).metadata.location, location, 'the two tables share one location');
    const stray = await put(`${location}/data/stray.parquet`);

    const result = await removeOrphanFiles(ctx, catalog.warehouse, fresh, FAR(), {});
    assert.deepEqual(result.deleted, [stray]);
    for (const file of [...(await retainedFiles(renamed)), ...(await retainedFiles(fresh))]) assert.ok(await exists(file), file);
  });

  test('a commit that lands while the run lists keeps the files it references, however old they are', async () => {
    const namespace = await api.newNamespace('orphans');
    const id: TableId = { namespace, name: 'racing' };
    await api.createOk(namespace, { name: 'racing', schema: { type: 'struct', 'schema-id': 0, fields: [{ id: 1, name: 'id', required: true, type: 'long' }] } });
    await append(id);
    // An engine wrote its files (old, by the injected clock) and commits only once the run has listed them.
    const base = appendBaseOf((await metadataOf(id)).metadata as unknown as Record<string, unknown>);
    const snapshotId = BigInt(Math.floor(Math.random() * 2 ** 52)) + 1n;
    const written = await writeAppendFiles(files, base, snapshotId);
    await put(written.dataFile);
    const stray = await put(`${base.location}/data/stray.parquet`);
    let committed = false;
    const racing: FileIO = Object.assign(Object.create(files) as FileIO, {
      async listPage(prefix: string, options: FileListOptions): Promise<FileListPage> {
        const page = await files.listPage!(prefix, options);
        if (!committed) {
          committed = true;
          assertStatus(await api.commit(id, appendRequest(base, snapshotId, written)), 200);
        }
        return page;
      },
    });

    const result = await removeOrphanFiles({ ...ctx, files: racing }, catalog.warehouse, id, FAR(), {});
    assert.ok(committed);
    assert.deepEqual(result.deleted, [stray]);
    for (const file of [written.dataFile, written.manifest, written.manifestList]) assert.ok(await exists(file), file);
    for (const file of await retainedFiles(id)) assert.ok(await exists(file), file);
  });
});
