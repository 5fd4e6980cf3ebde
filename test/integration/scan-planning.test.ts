import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import { DataFileContent, ManifestContent, manifestListEntryInput, readManifestList, writeManifest, writeManifestList } from '../../core/avro/index.js';
import type { FileIO } from '../../core/store/file-io.js';
import { appendBaseOf, appendRequest, writeAppendFiles } from '../support/append-files.js';
import { assertError, assertStatus } from '../support/assertions.js';
import { namespacePath, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { createTableBody, randomSnapshotId } from '../support/table-requests.js';

/**
 * Issue 13, server-side scan planning through HTTP: planTableScan answers every plan at once with a
 * CompletedPlanningResult (`file-scan-tasks`, `delete-files`, a `plan-id`, never `plan-tasks`), on
 * tables built by real appends (Avro manifest lists and manifests written as an engine writes them,
 * committed through updateTable). The integration runner validates every answer against the spec.
 *
 * Invariant: a plan lists each data file the scanned snapshot reaches exactly once, minus those
 * whose metrics prove the filter matches no row.
 */
let catalog: TestCatalog;
let files: FileIO;
let P: string;
let NS: string;

before(async () => {
  catalog = await startTestCatalog();
  files = (await catalog.context()).files;
  P = `/v1/${catalog.warehouse}`;
  const namespace = [uniqueName('plan')];
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace } }), 200);
  NS = `${P}/namespaces/${namespacePath(namespace)}`;
});
after(async () => catalog.close());

type Json = Record<string, unknown>;
interface FileScanTask {
  readonly 'data-file': { readonly 'file-path': string };
  readonly 'delete-file-references'?: number[];
  readonly 'residual-filter'?: unknown;
}
interface CompletedPlan {
  readonly status: string;
  readonly 'plan-id': string;
  readonly 'file-scan-tasks': FileScanTask[];
  readonly 'delete-files': { readonly content: string; readonly 'file-path': string }[];
}

/** The column `id` (field 1, a long): a bound as Iceberg's single-value binary (8 bytes, little-endian). */
function longBound(value: bigint): Uint8Array {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64LE(value);
  return bytes;
}

async function createTable(stem: string): Promise<string> {
  const name = uniqueName(stem);
  assertStatus(await catalog.request('POST', `${NS}/tables`, { body: createTableBody(name) }), 200);
  return `${NS}/tables/${name}`;
}

/** One fast append of one data file (ids `low`..`high` when given), committed on main; its snapshot and data file. */
async function append(table: string, ids?: { low: bigint; high: bigint }): Promise<{ snapshotId: bigint; dataFile: string }> {
  const loaded = await catalog.request('GET', table);
  assertStatus(loaded, 200);
  const base = appendBaseOf((loaded.body as { metadata: Json }).metadata);
  const snapshotId = randomSnapshotId();
  const metrics = ids === undefined ? {} : { lower_bounds: new Map([[1, longBound(ids.low)]]), upper_bounds: new Map([[1, longBound(ids.high)]]) };
  const written = await writeAppendFiles(files, base, snapshotId, undefined, metrics);
  assertStatus(await catalog.request('POST', table, { body: appendRequest(base, snapshotId, written) }), 200);
  return { snapshotId, dataFile: written.dataFile };
}

/**
 * A row-level delete on main, as an engine commits it: a position delete file for `dataFile` in a
 * new delete manifest, listed on top of the parent's manifests. The delete file is only named.
 */
async function deleteRowsOf(table: string, dataFile: string): Promise<{ snapshotId: bigint; deleteFile: string }> {
  const loaded = await catalog.request('GET', table);
  assertStatus(loaded, 200);
  const base = appendBaseOf((loaded.body as { metadata: Json }).metadata);
  const snapshotId = randomSnapshotId();
  const run = randomUUID();
  const deleteFile = `${base.location}/data/${run}-deletes.parquet`;
  const manifest = `${base.location}/metadata/${run}-m-deletes.avro`;
  const manifestBytes = writeManifest(
    [{ status: 1, snapshot_id: snapshotId, data_file: { content: DataFileContent.POSITION_DELETES, file_path: deleteFile, file_format: 'PARQUET', record_count: 1n, file_size_in_bytes: 512, referenced_data_file: dataFile } }],
    { formatVersion: base.formatVersion, content: 'deletes' },
  );
  assert.equal(await files.create(manifest, manifestBytes), 'created');
  const carried = readManifestList((await files.read(base.parentManifestList!))!).map(manifestListEntryInput);
  const manifestList = `${base.location}/metadata/snap-${snapshotId}-1-${run}.avro`;
  const ours = { manifest_path: manifest, manifest_length: manifestBytes.length, added_snapshot_id: snapshotId, content: ManifestContent.DELETES, sequence_number: base.sequenceNumber, added_files_count: 1, added_rows_count: 1n };
  const listBytes = writeManifestList([ours, ...carried], { formatVersion: base.formatVersion, snapshotId, parentSnapshotId: base.parentSnapshotId, sequenceNumber: base.sequenceNumber, ...(base.formatVersion >= 3 ? { firstRowId: base.nextRowId ?? 0n } : {}) });
  assert.equal(await files.create(manifestList, listBytes), 'created');
  const snapshot = {
    'snapshot-id': snapshotId,
    'parent-snapshot-id': base.parentSnapshotId,
    'sequence-number': base.sequenceNumber,
    'timestamp-ms': Date.now(),
    'manifest-list': manifestList,
    summary: { operation: 'delete', 'added-delete-files': '1', 'added-position-deletes': '1' },
    'schema-id': base.schemaId,
    ...(base.formatVersion >= 3 ? { 'first-row-id': base.nextRowId ?? 0n, 'added-rows': 0 } : {}),
  };
  const commit = {
    requirements: [{ type: 'assert-ref-snapshot-id', ref: 'main', 'snapshot-id': base.parentSnapshotId }],
    updates: [{ action: 'add-snapshot', snapshot }, { action: 'set-snapshot-ref', 'ref-name': 'main', type: 'branch', 'snapshot-id': snapshotId }],
  };
  assertStatus(await catalog.request('POST', table, { body: commit }), 200);
  return { snapshotId, deleteFile };
}

/**
 * An append of one data file in partition `data = value` of a table partitioned by identity(data)
 * (partition field 1000): the data manifest carries the partition and the list its summary.
 */
async function appendPartitioned(table: string, value: string): Promise<string> {
  const loaded = await catalog.request('GET', table);
  assertStatus(loaded, 200);
  const base = appendBaseOf((loaded.body as { metadata: Json }).metadata);
  const snapshotId = randomSnapshotId();
  const run = randomUUID();
  const dataFile = `${base.location}/data/data=${value}/${run}.parquet`;
  const manifest = `${base.location}/metadata/${run}-m0.avro`;
  const partitionFields = [{ name: 'data', fieldId: 1000, sourceId: 2, transform: 'identity', avroType: 'string' }];
  const manifestBytes = writeManifest(
    [{ status: 1, snapshot_id: snapshotId, data_file: { content: DataFileContent.DATA, file_path: dataFile, file_format: 'PARQUET', partition: { data: value }, record_count: 10n, file_size_in_bytes: 1024 } }],
    { formatVersion: base.formatVersion, partitionSpecId: 0, partitionFields },
  );
  assert.equal(await files.create(manifest, manifestBytes), 'created');
  const carried = base.parentManifestList === undefined ? [] : readManifestList((await files.read(base.parentManifestList))!).map(manifestListEntryInput);
  const bound = new TextEncoder().encode(value);
  const ours = {
    manifest_path: manifest,
    manifest_length: manifestBytes.length,
    added_snapshot_id: snapshotId,
    partition_spec_id: 0,
    sequence_number: base.sequenceNumber,
    added_files_count: 1,
    added_rows_count: 10n,
    partitions: [{ contains_null: false, lower_bound: bound, upper_bound: bound }],
  };
  const manifestList = `${base.location}/metadata/snap-${snapshotId}-1-${run}.avro`;
  const listBytes = writeManifestList([ours, ...carried], { formatVersion: base.formatVersion, snapshotId, parentSnapshotId: base.parentSnapshotId, sequenceNumber: base.sequenceNumber, ...(base.formatVersion >= 3 ? { firstRowId: base.nextRowId ?? 0n } : {}) });
  assert.equal(await files.create(manifestList, listBytes), 'created');
  const written = { manifestList, manifest, manifestLength: manifestBytes.length, dataFile, records: 10n };
  assertStatus(await catalog.request('POST', table, { body: appendRequest(base, snapshotId, written) }), 200);
  return dataFile;
}

async function plan(table: string, body: Json = {}): Promise<CompletedPlan> {
  const response = await catalog.request('POST', `${table}/plan`, { body });
  assertStatus(response, 200);
  const result = response.body as unknown as CompletedPlan;
  assert.equal(result.status, 'completed');
  assert.equal(typeof result['plan-id'], 'string');
  assert.ok(!('plan-tasks' in result), 'a completed plan here never defers work to plan tasks');
  return result;
}

const planned = (result: CompletedPlan): string[] => result['file-scan-tasks'].map((task) => task['data-file']['file-path']).sort();
const idBelow = (value: number): Json => ({ type: 'lt', left: { type: 'reference', name: 'id' }, right: value });

test('GET /v1/config advertises planTableScan, and not the plan routes that stay unbuilt', async () => {
  const endpoints = ((await catalog.request('GET', '/v1/config')).body as { endpoints: string[] }).endpoints;
  assert.ok(endpoints.includes('POST /v1/{prefix}/namespaces/{namespace}/tables/{table}/plan'));
  assert.ok(!endpoints.includes('GET /v1/{prefix}/namespaces/{namespace}/tables/{table}/plan/{plan-id}'));
  assert.ok(!endpoints.includes('POST /v1/{prefix}/namespaces/{namespace}/tables/{table}/tasks'));
});

test('a table without snapshots plans no tasks', async () => {
  const result = await plan(await createTable('empty'));
  assert.deepEqual(result['file-scan-tasks'], []);
  assert.deepEqual(result['delete-files'], []);
});

test('after appends, the plan lists every data file of main once; each plan has its own plan-id', async () => {
  const table = await createTable('appends');
  const written = [await append(table), await append(table), await append(table)];
  const first = await plan(table);
  assert.deepEqual(planned(first), written.map((w) => w.dataFile).sort());
  assert.equal(new Set(planned(first)).size, 3);
  assert.ok(first['file-scan-tasks'].every((task) => task['residual-filter'] === undefined), 'no filter, no residual');
  assert.notEqual((await plan(table))['plan-id'], first['plan-id']);
});

test('a filter prunes the files whose bounds cannot match, and each kept task carries its residual', async () => {
  const table = await createTable('pruned');
  const low = await append(table, { low: 0n, high: 9n });
  const high = await append(table, { low: 100n, high: 109n });
  const pruned = await plan(table, { filter: idBelow(50) });
  assert.deepEqual(planned(pruned), [low.dataFile]);
  assert.ok(pruned['file-scan-tasks'][0]!['residual-filter'] !== undefined);
  assert.deepEqual(planned(await plan(table, { filter: idBelow(200) })), [low.dataFile, high.dataFile].sort());
  assert.deepEqual(planned(await plan(table, { filter: false })), []);
});

test('time travel: snapshot-id plans that snapshot; start/end plans what the appends in between added', async () => {
  const table = await createTable('travel');
  const [one, two, three] = [await append(table), await append(table), await append(table)];
  assert.deepEqual(planned(await plan(table, { 'snapshot-id': one!.snapshotId, 'use-snapshot-schema': true })), [one!.dataFile]);
  assert.deepEqual(planned(await plan(table, { 'snapshot-id': two!.snapshotId })), [one!.dataFile, two!.dataFile].sort());
  const incremental = await plan(table, { 'start-snapshot-id': one!.snapshotId, 'end-snapshot-id': three!.snapshotId });
  assert.deepEqual(planned(incremental), [two!.dataFile, three!.dataFile].sort());
});

test('a position delete is listed once in delete-files and referenced by the task of the file it deletes from', async () => {
  const table = await createTable('deletes');
  const kept = await append(table);
  const edited = await append(table);
  const { snapshotId, deleteFile } = await deleteRowsOf(table, edited.dataFile);
  const result = await plan(table);
  assert.deepEqual(planned(result), [kept.dataFile, edited.dataFile].sort());
  assert.deepEqual(result['delete-files'].map((file) => [file.content, file['file-path']]), [['position-deletes', deleteFile]]);
  const tasks = new Map(result['file-scan-tasks'].map((task) => [task['data-file']['file-path'], task['delete-file-references']]));
  assert.deepEqual(tasks.get(edited.dataFile), [0]);
  assert.equal(tasks.get(kept.dataFile), undefined);
  // Before the delete, nothing to apply; the delete snapshot itself plans as main does.
  assert.deepEqual((await plan(table, { 'snapshot-id': edited.snapshotId }))['delete-files'], []);
  assert.equal((await plan(table, { 'snapshot-id': snapshotId }))['delete-files'].length, 1);
});

test('a partitioned table: the filter prunes by partition, and each task names its partition', async () => {
  const name = uniqueName('partitioned');
  const spec = { 'spec-id': 0, fields: [{ 'source-id': 2, 'field-id': 1000, name: 'data', transform: 'identity' }] };
  assertStatus(await catalog.request('POST', `${NS}/tables`, { body: createTableBody(name, { 'partition-spec': spec }) }), 200);
  const table = `${NS}/tables/${name}`;
  const a = await appendPartitioned(table, 'a');
  const b = await appendPartitioned(table, 'b');
  assert.deepEqual(planned(await plan(table)), [a, b].sort());
  const onlyB = await plan(table, { filter: { type: 'eq', left: { type: 'reference', name: 'data' }, right: 'b' } });
  assert.deepEqual(planned(onlyB), [b]);
  assert.deepEqual((onlyB['file-scan-tasks'][0]!['data-file'] as unknown as { partition: unknown }).partition, ['b']);
});

test('select, stats-fields, case-sensitive and min-rows-requested are accepted', async () => {
  const table = await createTable('fields');
  const { dataFile } = await append(table, { low: 1n, high: 5n });
  const result = await plan(table, { select: ['ID', 'data'], 'stats-fields': ['id'], 'case-sensitive': false, 'min-rows-requested': 1, filter: idBelow(3) });
  assert.deepEqual(planned(result), [dataFile]);
});

test('an unknown snapshot is a 400 naming it', async () => {
  const table = await createTable('unknown_snapshot');
  await append(table);
  assertError(await catalog.request('POST', `${table}/plan`, { body: { 'snapshot-id': 42 } }), 400, 'IllegalArgumentException', '42');
});

test('a malformed filter is a 400 naming the path of the mistake', async () => {
  const table = await createTable('bad_filter');
  const filter = { type: 'and', left: idBelow(1), right: { type: 'lt', left: { type: 'reference', name: 'id' }, right: 1, extra: 1 } };
  assertError(await catalog.request('POST', `${table}/plan`, { body: { filter } }), 400, 'BadRequestException', 'filter.right');
  assertError(await catalog.request('POST', `${table}/plan`, { body: { filter: { type: 'nope' } } }), 400, 'BadRequestException', 'filter');
});

test('an unknown request field is a 400 naming it', async () => {
  const table = await createTable('unknown_field');
  assertError(await catalog.request('POST', `${table}/plan`, { body: { 'snapshot-ids': [1] } }), 400, 'BadRequestException', "'snapshot-ids'");
});

test('invalid field values and combinations are 400s naming the field', async () => {
  const table = await createTable('invalid');
  await append(table);
  const cases: [Json, string][] = [
    [{ select: 'id' }, 'select'],
    [{ select: ['id', 7] }, 'select[1]'],
    [{ 'stats-fields': [''] }, 'stats-fields[0]'],
    [{ 'case-sensitive': 'yes' }, 'case-sensitive'],
    [{ 'use-snapshot-schema': 1 }, 'use-snapshot-schema'],
    [{ 'snapshot-id': 'x' }, 'snapshot-id'],
    [{ 'min-rows-requested': -1 }, 'min-rows-requested'],
    [{ 'start-snapshot-id': 1 }, 'end-snapshot-id'],
    [{ 'snapshot-id': 1, 'end-snapshot-id': 2 }, 'snapshot-id'],
    [{ select: ['nope'] }, 'nope'],
    [{ filter: idBelow(1), 'stats-fields': ['ghost'] }, 'ghost'],
    [{ filter: { type: 'lt', left: { type: 'reference', name: 'ghost' }, right: 1 } }, 'ghost'],
    [{ filter: { type: 'lt', left: { type: 'reference', name: 'ID' }, right: 1 } }, 'ID'],
  ];
  for (const [body, named] of cases) assertError(await catalog.request('POST', `${table}/plan`, { body }), 400, undefined, named);
  assertError(await catalog.request('POST', `${table}/plan`, { rawBody: '[]' }), 400);
});

test('the un-prefixed route plans the same table of the default warehouse', async () => {
  const table = await createTable('unprefixed');
  const { dataFile } = await append(table);
  const unprefixed = table.replace(`/v1/${catalog.warehouse}/`, '/v1/');
  const response = await catalog.request('POST', `${unprefixed}/plan`, { body: {} });
  assertStatus(response, 200);
  assert.deepEqual(planned(response.body as unknown as CompletedPlan), [dataFile]);
});

test('a missing table is a 404 NoSuchTableException', async () => {
  assertError(await catalog.request('POST', `${NS}/tables/missing_table/plan`, { body: {} }), 404, 'NoSuchTableException');
});
