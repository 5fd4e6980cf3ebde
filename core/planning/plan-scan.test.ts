import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataFileInput, ManifestEntryInput } from '../avro/iceberg-manifests.js';
import type { CatalogContext } from '../catalog/context.js';
import type { JsonObject, JsonValue } from '../json/lossless-json.js';
import type { TableMetadata } from '../metadata/types.js';
import type { FileIO } from '../store/file-io.js';
import { startCoreHarness, type CoreHarness } from '../../test/support/core-context.js';
import { bindExpression, parseExpression, serializeBoundExpression } from './expressions/index.js';
import { andOf, cmp, lit, ref } from './expressions/test-fixtures.js';
import { MAX_PLAN_ENTRIES, planScan, ScanTooLargeError, UnreadableScanFileError, type ScanPlan, type ScanRequest } from './plan-scan.js';
import {
  aSnapshot,
  aTableAt,
  BUCKET_DAY_SPEC,
  bytes,
  day,
  IDENTITY_SPEC,
  listed,
  SCHEMA,
  summary,
  TableFiles,
  UNPARTITIONED_SPEC,
} from './scan/test-fixtures.js';
import { transformFor } from './values/index.js';
import { BadRequestError, IllegalArgumentError } from '../errors.js';

let harness: CoreHarness;
let warehouse: string;
let tables = 0;

before(async () => {
  harness = await startCoreHarness();
  warehouse = harness.config.warehouses.find((w) => w.name === harness.warehouse)!.location.replace(/\/$/, '');
});
after(() => harness.close());

function newTable(formatVersion: 2 | 3 = 2): TableFiles {
  return new TableFiles(harness.ctx.files, `${warehouse}/ns/tbl${tables++}`, formatVersion);
}

const data = (path: string, partition: Record<string, unknown>, extra: Partial<DataFileInput> = {}): ManifestEntryInput => ({
  status: 1,
  snapshot_id: null,
  sequence_number: null,
  data_file: { file_path: path, content: 0, file_format: 'PARQUET', partition, record_count: 10, file_size_in_bytes: 1000, ...extra },
});

const plan = (table: TableMetadata, request: ScanRequest = {}, ctx: CatalogContext = harness.ctx): Promise<ScanPlan> => planScan(ctx, { metadata: table }, request);
const filterOf = (json: JsonValue) => parseExpression(json);
const paths = (result: ScanPlan): string[] => result.fileScanTasks.map((task) => (task['data-file'] as JsonObject)['file-path'] as string);
const refsOf = (result: ScanPlan, path: string): string[] => {
  const task = result.fileScanTasks.find((t) => (t['data-file'] as JsonObject)['file-path'] === path)!;
  return ((task['delete-file-references'] ?? []) as number[]).map((index) => result.deleteFiles[index]!['file-path'] as string);
};

/** One snapshot (id 1, sequence 1) whose list holds the given manifests. */
async function oneSnapshot(files: TableFiles, manifests: Parameters<TableFiles['list']>[1], formatVersion: 2 | 3 = 2): Promise<TableMetadata> {
  const list = await files.list(1n, manifests);
  return aTableAt(files.location, [aSnapshot(1n, 1n, list)], { formatVersion });
}

describe('planScan', () => {
  it('plans the live data files of main’s head in the spec’s ContentFile form', async () => {
    const files = newTable();
    const a = `${files.location}/data/a.parquet`;
    const manifest = await files.manifest(
      [data(a, { category: 'a' }), data(`${files.location}/data/b.parquet`, { category: 'b' }), { ...data(`${files.location}/data/gone.parquet`, { category: 'a' }), status: 2, snapshot_id: 1, sequence_number: 1, file_sequence_number: 1 }],
      IDENTITY_SPEC,
    );
    const table = await oneSnapshot(files, [listed(manifest, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 1n })]);

    const result = await plan(table);

    assert.equal(result.snapshotId, 1n);
    assert.deepEqual(paths(result), [a, `${files.location}/data/b.parquet`]);
    assert.deepEqual(result.fileScanTasks[0], {
      'data-file': { content: 'data', 'file-path': a, 'file-format': 'parquet', 'spec-id': 0, partition: ['a'], 'file-size-in-bytes': 1000n, 'record-count': 10n },
    });
    assert.deepEqual(result.deleteFiles, []);
  });

  it('plans nothing for a table without snapshots', async () => {
    const files = newTable();
    assert.deepEqual(await plan(aTableAt(files.location, [])), { snapshotId: null, fileScanTasks: [], deleteFiles: [] });
  });

  it('time travel reads the given snapshot; an unknown snapshot id is an IllegalArgumentError', async () => {
    const files = newTable();
    const m1 = await files.manifest([data(`${files.location}/data/1.parquet`, { category: 'a' })], IDENTITY_SPEC);
    const m2 = await files.manifest([data(`${files.location}/data/2.parquet`, { category: 'a' })], IDENTITY_SPEC);
    const e1 = listed(m1, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 1n });
    const list1 = await files.list(1n, [e1]);
    const list2 = await files.list(2n, [listed(m2, IDENTITY_SPEC, { snapshotId: 2n, sequenceNumber: 2n }), e1]);
    const table = aTableAt(files.location, [aSnapshot(1n, 1n, list1), aSnapshot(2n, 2n, list2, { parent: 1n })]);

    assert.deepEqual(paths(await plan(table, { snapshotId: 1n })), [`${files.location}/data/1.parquet`]);
    assert.equal((await plan(table)).fileScanTasks.length, 2);
    await assert.rejects(plan(table, { snapshotId: 99n }), IllegalArgumentError);
  });

  it('skips a manifest whose partition summaries rule the filter out, without reading it', async () => {
    const files = newTable();
    const kept = await files.manifest([data(`${files.location}/data/a.parquet`, { category: 'a' })], IDENTITY_SPEC);
    // Never written: reading it would fail.
    const absent = { path: `${files.location}/metadata/absent.avro`, length: 100 };
    const table = await oneSnapshot(files, [
      listed(kept, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 1n, partitions: [summary('string', 'a', 'a')] }),
      listed(absent, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 1n, partitions: [summary('string', 'x', 'z')] }),
    ]);

    const result = await plan(table, { filter: filterOf(cmp('eq', ref('category'), lit('a'))) });

    assert.deepEqual(paths(result), [`${files.location}/data/a.parquet`]);
    assert.deepEqual(result.fileScanTasks[0]!['residual-filter'], true);
    await assert.rejects(plan(table), (error: unknown) => error instanceof UnreadableScanFileError && error.reason === 'missing');
  });

  it('skips data files whose column metrics rule the filter out', async () => {
    const files = newTable();
    const metrics = (low: bigint, high: bigint): Partial<DataFileInput> => ({ lower_bounds: new Map([[1, bytes('long', low)]]), upper_bounds: new Map([[1, bytes('long', high)]]) });
    const manifest = await files.manifest(
      [data(`${files.location}/data/low.parquet`, { category: 'a' }, metrics(1n, 10n)), data(`${files.location}/data/high.parquet`, { category: 'a' }, metrics(20n, 30n))],
      IDENTITY_SPEC,
    );
    const table = await oneSnapshot(files, [listed(manifest, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 1n })]);

    const result = await plan(table, { filter: filterOf(cmp('gt', ref('id'), lit(15))) });

    assert.deepEqual(paths(result), [`${files.location}/data/high.parquet`]);
  });

  it('prunes by bucket and day partitions and leaves the residual only what the partition cannot decide', async () => {
    const files = newTable();
    const bucket = transformFor({ kind: 'bucket', count: 4 }, { kind: 'long' })!(7n) as number;
    const other = (bucket + 1) % 4;
    const manifest = await files.manifest(
      [
        data(`${files.location}/data/match.parquet`, { id_bucket: bucket, ts_day: day('2024-01-03') }),
        data(`${files.location}/data/other-bucket.parquet`, { id_bucket: other, ts_day: day('2024-01-03') }),
        data(`${files.location}/data/early.parquet`, { id_bucket: bucket, ts_day: day('2024-01-01') }),
      ],
      BUCKET_DAY_SPEC,
    );
    const table = await oneSnapshot(files, [listed(manifest, BUCKET_DAY_SPEC, { snapshotId: 1n, sequenceNumber: 1n })]);
    const idIs7 = cmp('eq', ref('id'), lit(7));

    const result = await plan(table, { filter: filterOf(andOf(idIs7, cmp('gt-eq', ref('ts'), lit('2024-01-02T00:00:00')))) });

    assert.deepEqual(paths(result), [`${files.location}/data/match.parquet`]);
    const task = result.fileScanTasks[0]!;
    assert.deepEqual((task['data-file'] as JsonObject)['partition'], [bucket, '2024-01-03']);
    assert.deepEqual(task['residual-filter'], serializeBoundExpression(bindExpression(filterOf(idIs7), SCHEMA)));
  });

  it('plans manifests of two partition specs, each pruned by its own projection', async () => {
    const files = newTable();
    const byCategory = await files.manifest([data(`${files.location}/data/a.parquet`, { category: 'a' }), data(`${files.location}/data/b.parquet`, { category: 'b' })], IDENTITY_SPEC);
    const byBucket = await files.manifest([data(`${files.location}/data/new.parquet`, { id_bucket: 1, ts_day: day('2024-01-01') })], BUCKET_DAY_SPEC);
    const table = await oneSnapshot(files, [
      listed(byCategory, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 1n }),
      listed(byBucket, BUCKET_DAY_SPEC, { snapshotId: 1n, sequenceNumber: 1n }),
    ]);
    const categoryIsA = cmp('eq', ref('category'), lit('a'));

    const result = await plan(table, { filter: filterOf(categoryIsA) });

    assert.deepEqual(paths(result), [`${files.location}/data/a.parquet`, `${files.location}/data/new.parquet`]);
    assert.deepEqual(result.fileScanTasks.map((task) => (task['data-file'] as JsonObject)['spec-id']), [0, 1]);
    assert.deepEqual(result.fileScanTasks.map((task) => task['residual-filter']), [true, serializeBoundExpression(bindExpression(filterOf(categoryIsA), SCHEMA))]);
  });

  it('writes column metrics only for the stats-fields columns; select and stats-fields must name columns', async () => {
    const files = newTable();
    const manifest = await files.manifest(
      [
        data(`${files.location}/data/a.parquet`, { category: 'a' }, {
          column_sizes: new Map([[1, 100], [2, 200]]),
          value_counts: new Map([[1, 10], [2, 10]]),
          null_value_counts: new Map([[1, 0], [2, 1]]),
          lower_bounds: new Map([[1, bytes('long', 3n)], [2, bytes('string', 'a')]]),
          upper_bounds: new Map([[1, bytes('long', 9n)], [2, bytes('string', 'a')]]),
        }),
      ],
      IDENTITY_SPEC,
    );
    const table = await oneSnapshot(files, [listed(manifest, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 1n })]);

    const withStats = (await plan(table, { select: ['id', 'data'], statsFields: ['ID'], caseSensitive: false })).fileScanTasks[0]!['data-file'] as JsonObject;
    const without = (await plan(table)).fileScanTasks[0]!['data-file'] as JsonObject;

    assert.deepEqual(withStats['column-sizes'], { keys: [1], values: [100n] });
    assert.deepEqual(withStats['value-counts'], { keys: [1], values: [10n] });
    assert.deepEqual(withStats['null-value-counts'], { keys: [1], values: [0n] });
    assert.equal(withStats['nan-value-counts'], undefined);
    assert.deepEqual(withStats['lower-bounds'], { keys: [1], values: [3] });
    assert.deepEqual(withStats['upper-bounds'], { keys: [1], values: [9] });
    for (const key of ['column-sizes', 'value-counts', 'null-value-counts', 'lower-bounds', 'upper-bounds']) assert.equal(without[key], undefined, key);
    await assert.rejects(plan(table, { select: ['nope'] }), IllegalArgumentError);
    await assert.rejects(plan(table, { statsFields: ['ID'] }), IllegalArgumentError);
  });

  it('attaches position deletes to data files of the same partition with a sequence number at or below theirs', async () => {
    const files = newTable();
    const path = (name: string): string => `${files.location}/data/${name}.parquet`;
    const old = await files.manifest([data(path('a-old'), { category: 'a' }), data(path('b-old'), { category: 'b' })], IDENTITY_SPEC);
    const newer = await files.manifest([data(path('a-new'), { category: 'a' })], IDENTITY_SPEC);
    const deletes = await files.manifest(
      [
        data(path('pos-a'), { category: 'a' }, { content: 1 }),
        data(path('pos-b-targeted'), { category: 'b' }, { content: 1, referenced_data_file: path('b-old') }),
      ],
      IDENTITY_SPEC,
      'deletes',
    );
    const table = await oneSnapshot(files, [
      listed(old, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 1n }),
      listed(deletes, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 2n, content: 'deletes' }),
      listed(newer, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 3n }),
    ]);

    const result = await plan(table);

    assert.deepEqual(refsOf(result, path('a-old')), [path('pos-a')]);
    assert.deepEqual(refsOf(result, path('b-old')), [path('pos-b-targeted')]);
    assert.deepEqual(refsOf(result, path('a-new')), []);
    assert.equal(result.deleteFiles.find((file) => file['file-path'] === path('pos-a'))!['content'], 'position-deletes');
  });

  it('attaches equality deletes only to strictly older data files, in every partition when unpartitioned', async () => {
    const files = newTable();
    const path = (name: string): string => `${files.location}/data/${name}.parquet`;
    const old = await files.manifest([data(path('a-old'), { category: 'a' }), data(path('b-old'), { category: 'b' })], IDENTITY_SPEC);
    const same = await files.manifest([data(path('a-same'), { category: 'a' })], IDENTITY_SPEC);
    const partitioned = await files.manifest([data(path('eq-a'), { category: 'a' }, { content: 2, equality_ids: [1] })], IDENTITY_SPEC, 'deletes');
    const global = await files.manifest([data(path('eq-all'), {}, { content: 2, equality_ids: [2] })], UNPARTITIONED_SPEC, 'deletes');
    const table = await oneSnapshot(files, [
      listed(old, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 1n }),
      listed(same, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 2n }),
      listed(partitioned, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 2n, content: 'deletes' }),
      listed(global, UNPARTITIONED_SPEC, { snapshotId: 1n, sequenceNumber: 2n, content: 'deletes' }),
    ]);

    const result = await plan(table);

    assert.deepEqual(refsOf(result, path('a-old')), [path('eq-a'), path('eq-all')]);
    assert.deepEqual(refsOf(result, path('b-old')), [path('eq-all')]);
    assert.deepEqual(refsOf(result, path('a-same')), []);
    const eq = result.deleteFiles.find((file) => file['file-path'] === path('eq-a'))!;
    assert.equal(eq['content'], 'equality-deletes');
    assert.deepEqual(eq['equality-ids'], [1]);
    assert.equal(result.deleteFiles.length, 2);
  });

  it('attaches a v3 deletion vector only to its referenced data file, in place of its position deletes', async () => {
    const files = newTable(3);
    const path = (name: string): string => `${files.location}/data/${name}.parquet`;
    const dataManifest = await files.manifest([data(path('with-dv'), { category: 'a' }), data(path('without-dv'), { category: 'a' })], IDENTITY_SPEC);
    const puffin = `${files.location}/data/dv.puffin`;
    const deletes = await files.manifest(
      [
        data(path('pos-a'), { category: 'a' }, { content: 1 }),
        data(puffin, { category: 'a' }, { content: 1, file_format: 'PUFFIN', referenced_data_file: path('with-dv'), content_offset: 4, content_size_in_bytes: 40 }),
      ],
      IDENTITY_SPEC,
      'deletes',
    );
    const table = await oneSnapshot(
      files,
      [listed(dataManifest, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 1n }), listed(deletes, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 2n, content: 'deletes' })],
      3,
    );

    const result = await plan(table);

    assert.deepEqual(refsOf(result, path('with-dv')), [puffin]);
    assert.deepEqual(refsOf(result, path('without-dv')), [path('pos-a')]);
    const dv = result.deleteFiles.find((file) => file['file-path'] === puffin)!;
    assert.equal(dv['file-format'], 'puffin');
    assert.equal(dv['content-offset'], 4n);
    assert.equal(dv['content-size-in-bytes'], 40n);
  });

  it('v3: a data file without a first row id inherits it from its manifest', async () => {
    const files = newTable(3);
    const manifest = await files.manifest([data(`${files.location}/data/a.parquet`, { category: 'a' }), data(`${files.location}/data/b.parquet`, { category: 'a' })], IDENTITY_SPEC);
    const table = await oneSnapshot(files, [{ ...listed(manifest, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 1n }), first_row_id: 100n }], 3);

    const result = await plan(table);

    assert.deepEqual(result.fileScanTasks.map((task) => (task['data-file'] as JsonObject)['first-row-id']), [100n, 110n]);
  });

  it('an incremental scan plans the files the range’s append snapshots added, from their own manifest lists', async () => {
    const files = newTable();
    const path = (n: number): string => `${files.location}/data/${n}.parquet`;
    const entries = [];
    const lists: string[] = [];
    for (const id of [1n, 2n, 3n, 4n]) {
      const manifest = await files.manifest([data(path(Number(id)), { category: 'a' })], IDENTITY_SPEC);
      entries.unshift(listed(manifest, IDENTITY_SPEC, { snapshotId: id, sequenceNumber: id }));
      lists.push(await files.list(id, entries));
    }
    const table = aTableAt(files.location, [
      aSnapshot(1n, 1n, lists[0]!),
      aSnapshot(2n, 2n, lists[1]!, { parent: 1n }),
      aSnapshot(3n, 3n, lists[2]!, { parent: 2n, operation: 'overwrite' }),
      aSnapshot(4n, 4n, lists[3]!, { parent: 3n }),
      aSnapshot(5n, 5n, lists[0]!),
    ]);
    const tableAt4 = { ...table, refs: { main: { snapshotId: 4n, type: 'branch' as const } }, currentSnapshotId: 4n };

    assert.deepEqual(paths(await plan(tableAt4, { startSnapshotId: 1n })), [path(2), path(4)]);
    assert.deepEqual(paths(await plan(table, { startSnapshotId: 1n, endSnapshotId: 2n })), [path(2)]);
    assert.deepEqual(paths(await plan(table, { startSnapshotId: 2n, endSnapshotId: 2n })), []);
    await assert.rejects(plan(table, { startSnapshotId: 5n, endSnapshotId: 4n }), IllegalArgumentError);
    await assert.rejects(plan(table, { snapshotId: 4n, startSnapshotId: 1n }), BadRequestError);
  });

  it('an incremental scan still finds an append’s files after a later snapshot rewrote its manifest', async () => {
    const files = newTable();
    const path = (n: number): string => `${files.location}/data/${n}.parquet`;
    const m1 = listed(await files.manifest([data(path(1), { category: 'a' })], IDENTITY_SPEC), IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 1n });
    const m2 = listed(await files.manifest([data(path(2), { category: 'a' })], IDENTITY_SPEC), IDENTITY_SPEC, { snapshotId: 2n, sequenceNumber: 2n });
    const existing = (n: number, id: number): ManifestEntryInput => ({ ...data(path(n), { category: 'a' }), status: 0, snapshot_id: id, sequence_number: id, file_sequence_number: id });
    const rewritten = listed(await files.manifest([existing(1, 1), existing(2, 2)], IDENTITY_SPEC), IDENTITY_SPEC, { snapshotId: 3n, sequenceNumber: 3n });
    const table = aTableAt(files.location, [
      aSnapshot(1n, 1n, await files.list(1n, [m1])),
      aSnapshot(2n, 2n, await files.list(2n, [m2, m1]), { parent: 1n }),
      aSnapshot(3n, 3n, await files.list(3n, [rewritten]), { parent: 2n, operation: 'replace' }),
    ]);

    assert.deepEqual(paths(await plan(table, { startSnapshotId: 1n })), [path(2)]);
  });

  it('binds the filter to the snapshot’s schema with use-snapshot-schema', async () => {
    const files = newTable();
    const manifest = await files.manifest([data(`${files.location}/data/a.parquet`, { category: 'a' })], IDENTITY_SPEC);
    const list = await files.list(1n, [listed(manifest, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 1n })]);
    const table = aTableAt(files.location, [aSnapshot(1n, 1n, list, { schemaId: 1 })]);
    const onData = { filter: filterOf(cmp('eq', ref('data'), lit('x'))) };

    assert.equal((await plan(table, onData)).fileScanTasks.length, 1);
    await assert.rejects(plan(table, { ...onData, useSnapshotSchema: true }), BadRequestError);
  });

  it('refuses a manifest outside the table location without reading it', async () => {
    const files = newTable();
    const elsewhere = new TableFiles(harness.ctx.files, `${warehouse}/ns/other${tables++}`);
    const foreign = await elsewhere.manifest([data(`${elsewhere.location}/data/x.parquet`, { category: 'a' })], IDENTITY_SPEC);
    const table = await oneSnapshot(files, [listed(foreign, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 1n })]);
    const reads: string[] = [];
    const recording: FileIO = Object.assign(Object.create(harness.ctx.files) as FileIO, {
      read: (location: string) => {
        reads.push(location);
        return harness.ctx.files.read(location);
      },
    });

    await assert.rejects(plan(table, {}, { ...harness.ctx, files: recording }), (error: unknown) => error instanceof UnreadableScanFileError && error.reason === 'outside');
    assert.ok(!reads.includes(foreign.path));
  });

  it('refuses a manifest list outside the table location', async () => {
    const files = newTable();
    const elsewhere = new TableFiles(harness.ctx.files, `${warehouse}/ns/other${tables++}`);
    const list = await elsewhere.list(1n, []);
    const table = aTableAt(files.location, [aSnapshot(1n, 1n, list)]);

    await assert.rejects(plan(table), (error: unknown) => error instanceof UnreadableScanFileError && error.kind === 'manifest list' && error.reason === 'outside');
  });

  it('a manifest of a partition spec the table does not have is an UnreadableScanFileError', async () => {
    const files = newTable();
    const manifest = await files.manifest([data(`${files.location}/data/a.parquet`, { category: 'a' })], IDENTITY_SPEC);
    const table = await oneSnapshot(files, [{ ...listed(manifest, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 1n }), partition_spec_id: 7 }]);

    await assert.rejects(plan(table), (error: unknown) => error instanceof UnreadableScanFileError && error.reason === 'unreadable');
  });

  it('a corrupt manifest is an UnreadableScanFileError', async () => {
    const files = newTable();
    const corrupt = await files.raw('corrupt.avro', new TextEncoder().encode('not an avro file'));
    const table = await oneSnapshot(files, [listed({ path: corrupt, length: 16 }, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 1n })]);

    await assert.rejects(plan(table), (error: unknown) => error instanceof UnreadableScanFileError && error.reason === 'unreadable' && error.status === 500);
  });

  it('refuses a scan whose manifests hold more entries than one plan may read', async () => {
    const files = newTable();
    const manifest = await files.manifest([data(`${files.location}/data/a.parquet`, { category: 'a' })], IDENTITY_SPEC);
    const table = await oneSnapshot(files, [{ ...listed(manifest, IDENTITY_SPEC, { snapshotId: 1n, sequenceNumber: 1n }), existing_files_count: MAX_PLAN_ENTRIES }]);

    await assert.rejects(plan(table), ScanTooLargeError);
  });
});
