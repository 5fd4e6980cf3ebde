import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DataFileContent, ManifestContent, readManifest, readManifestList, writeManifest, writeManifestList } from '../../core/avro/index.js';
import type { PurgeJob } from '../../core/maintenance/jobs/job-queue.js';
import { purgeTable } from '../../core/catalog/tables/purge-table.js';
import { confinementOf, namespaceLocationText } from '../../core/catalog/locations/confinement.js';
import type { FileIO } from '../../core/store/file-io.js';
import { assertStatus } from '../support/assertions.js';
import { purgesSettled, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import {
  addSnapshot,
  anUpdateCommit,
  aSnapshotId,
  setProperties,
  setRef,
  tableApi,
  type LoadTableResultJson,
  type SnapshotJson,
  type TableApi,
  type TableId,
  type TableMetadataJson,
  type UpdateJson,
} from '../support/table-fixtures.js';

/**
 * Issue 3: a drop with purgeRequested=true answers at once, and the purge worker (here the local
 * server's in-process queue) deletes the files the table's metadata references: metadata files,
 * manifest lists, manifests, data and delete files, statistics. Nothing else: tables here share one
 * location, and the neighbour's files (and a file nobody references) must all remain.
 *
 * Every manifest and manifest list is a real Avro file written with core/avro, stored through the
 * catalog's own FileIO (local files, or S3 when S3_ENDPOINT is set), and committed over HTTP.
 */
let catalog: TestCatalog;
let api: TableApi;
let files: FileIO;
let warehouseLocation: string;

before(async () => {
  catalog = await startTestCatalog();
  api = tableApi(catalog);
  const ctx = await catalog.context();
  files = ctx.files;
  warehouseLocation = ctx.config.warehouses.find((w) => w.name === catalog.warehouse)!.location;
});
after(async () => catalog.close());

/** A fresh folder of the warehouse that several tables will share. */
/** Inside the namespace's own subtree: the only place its tables may be given a location (docs/security.md, Confinement). */
const sharedLocation = (namespace: readonly string[]) => `${namespaceLocationText(warehouseLocation, namespace)}/${uniqueName('shared')}`;

async function put(location: string, bytes: Uint8Array): Promise<void> {
  assert.equal(await files.create(location, bytes), 'created', location);
}

async function exists(location: string): Promise<boolean> {
  return (await files.read(location)) !== undefined;
}

async function filesUnder(location: string): Promise<string[]> {
  return (await files.list(`${location}/`)).sort();
}

/** Every file a table's metadata leads to, by kind; what a purge must delete (data only with gc.enabled). */
interface TableFiles {
  metadata: Set<string>;
  manifestLists: Set<string>;
  manifests: Set<string>;
  dataFiles: Set<string>;
  deleteFiles: Set<string>;
  statistics: Set<string>;
}

const noFiles = (): TableFiles => ({ metadata: new Set(), manifestLists: new Set(), manifests: new Set(), dataFiles: new Set(), deleteFiles: new Set(), statistics: new Set() });
const allOf = (f: TableFiles): string[] => [...f.metadata, ...f.manifestLists, ...f.manifests, ...f.dataFiles, ...f.deleteFiles, ...f.statistics].sort();

interface Table {
  readonly id: TableId;
  readonly tag: string;
  metadata: TableMetadataJson;
  metadataLocation: string;
  readonly files: TableFiles;
  /** The manifests of the current snapshot with their lengths, carried into the next manifest list. */
  manifests: { path: string; length: number; content: number; sequenceNumber: bigint; snapshotId: bigint }[];
}

async function createTable(namespace: string[], name: string, location: string, properties: Record<string, string> = {}): Promise<Table> {
  const created = await api.createOk(namespace, {
    name,
    location,
    schema: { type: 'struct', 'schema-id': 0, fields: [{ id: 1, name: 'id', required: true, type: 'long' }] },
    properties,
  });
  const table: Table = { id: { namespace, name }, tag: name, metadata: created.metadata, metadataLocation: created['metadata-location']!, files: noFiles(), manifests: [] };
  table.files.metadata.add(table.metadataLocation);
  return table;
}

async function commit(table: Table, updates: UpdateJson[]): Promise<void> {
  const result = await api.commitOk(table.id, anUpdateCommit(table.metadata, updates));
  table.metadata = result.metadata;
  table.metadataLocation = result['metadata-location'];
  table.files.metadata.add(table.metadataLocation);
}

/**
 * One append as an engine writes it: a data file and a position-delete file (placeholders), a data
 * manifest and a delete manifest (Avro), a manifest list naming them and every earlier manifest, then
 * add-snapshot + set-snapshot-ref over HTTP.
 */
async function append(table: Table): Promise<bigint> {
  const location = table.metadata.location;
  const snapshotId = aSnapshotId();
  const parent = table.metadata.refs['main']?.['snapshot-id'];
  const sequenceNumber = BigInt(table.metadata['last-sequence-number'] ?? 0) + 1n;
  const run = randomUUID();

  const dataFile = `${location}/data/${table.tag}-${run}-00000.parquet`;
  const deleteFile = `${location}/data/${table.tag}-${run}-deletes.parquet`;
  await put(dataFile, new TextEncoder().encode(`PAR1 rows of ${table.tag}`));
  await put(deleteFile, new TextEncoder().encode(`PAR1 deletes of ${table.tag}`));

  const dataManifest = `${location}/metadata/${run}-m0.avro`;
  const deleteManifest = `${location}/metadata/${run}-m1.avro`;
  const dataBytes = writeManifest([{ status: 1, snapshot_id: snapshotId, data_file: { content: DataFileContent.DATA, file_path: dataFile, file_format: 'PARQUET', record_count: 10, file_size_in_bytes: 100 } }], {
    formatVersion: 2,
    content: 'data',
  });
  const deleteBytes = writeManifest(
    [{ status: 1, snapshot_id: snapshotId, data_file: { content: DataFileContent.POSITION_DELETES, file_path: deleteFile, file_format: 'PARQUET', record_count: 1, file_size_in_bytes: 50, referenced_data_file: dataFile } }],
    { formatVersion: 2, content: 'deletes' },
  );
  await put(dataManifest, dataBytes);
  await put(deleteManifest, deleteBytes);

  const manifests = [
    ...table.manifests,
    { path: dataManifest, length: dataBytes.length, content: ManifestContent.DATA, sequenceNumber, snapshotId },
    { path: deleteManifest, length: deleteBytes.length, content: ManifestContent.DELETES, sequenceNumber, snapshotId },
  ];
  const manifestList = `${location}/metadata/snap-${snapshotId}-1-${run}.avro`;
  await put(
    manifestList,
    writeManifestList(
      manifests.map((m) => ({ manifest_path: m.path, manifest_length: m.length, content: m.content, sequence_number: m.sequenceNumber, added_snapshot_id: m.snapshotId, added_files_count: 1 })),
      { formatVersion: 2, snapshotId, sequenceNumber, ...(parent !== undefined ? { parentSnapshotId: BigInt(parent) } : {}) },
    ),
  );

  const snapshot: SnapshotJson = {
    'snapshot-id': snapshotId,
    ...(parent !== undefined ? { 'parent-snapshot-id': parent } : {}),
    'sequence-number': sequenceNumber,
    'timestamp-ms': Date.now(),
    'manifest-list': manifestList,
    summary: { operation: 'append', 'added-data-files': '1', 'added-delete-files': '1', 'added-records': '10' },
    'schema-id': table.metadata['current-schema-id'],
  };
  await commit(table, [addSnapshot(snapshot), setRef('main', snapshotId)]);
  table.manifests = manifests;
  table.files.manifestLists.add(manifestList);
  table.files.manifests.add(dataManifest).add(deleteManifest);
  table.files.dataFiles.add(dataFile);
  table.files.deleteFiles.add(deleteFile);
  return snapshotId;
}

/** A Puffin statistics file and a partition statistics file for the current snapshot. */
async function addStatistics(table: Table): Promise<void> {
  const snapshotId = table.metadata.refs['main']!['snapshot-id'];
  const statistics = `${table.metadata.location}/metadata/${snapshotId}-${randomUUID()}.stats`;
  const partitionStatistics = `${table.metadata.location}/metadata/partition-stats-${snapshotId}-${randomUUID()}.parquet`;
  await put(statistics, new TextEncoder().encode('PFA1 ndv sketches PFA1'));
  await put(partitionStatistics, new TextEncoder().encode('PAR1 partition stats'));
  await commit(table, [
    { action: 'set-statistics', statistics: { 'snapshot-id': snapshotId, 'statistics-path': statistics, 'file-size-in-bytes': 22, 'file-footer-size-in-bytes': 4, 'blob-metadata': [] } },
    { action: 'set-partition-statistics', 'partition-statistics': { 'snapshot-id': snapshotId, 'statistics-path': partitionStatistics, 'file-size-in-bytes': 20 } },
  ]);
  table.files.statistics.add(statistics).add(partitionStatistics);
}

/** Two appends (the second list carries the first's manifests too), and the metadata log behind them. */
async function populatedTable(namespace: string[], name: string, location: string, properties: Record<string, string> = {}): Promise<Table> {
  const table = await createTable(namespace, name, location, properties);
  await append(table);
  await append(table);
  return table;
}

function assertReferences(table: Table): void {
  // What the test wrote is what the catalog recorded: the metadata's own view of the table's files.
  assert.deepEqual(new Set(table.metadata['metadata-log'].map((e) => e['metadata-file'])), new Set([...table.files.metadata].filter((f) => f !== table.metadataLocation)));
  assert.deepEqual(new Set(table.metadata.snapshots.map((s) => s['manifest-list'])), table.files.manifestLists);
}

async function assertAllPresent(paths: Iterable<string>, what: string): Promise<void> {
  for (const path of paths) assert.ok(await exists(path), `${what}: ${path} still exists`);
}

async function assertAllGone(paths: Iterable<string>, what: string): Promise<void> {
  for (const path of paths) assert.equal(await exists(path), false, `${what}: ${path} was deleted`);
}

/** The table still loads with its snapshots, its manifest list and manifests still read as Avro, and it takes a commit. */
async function assertIntact(table: Table): Promise<void> {
  const loaded: LoadTableResultJson = await api.loadOk(table.id);
  assert.equal(loaded['metadata-location'], table.metadataLocation);
  assert.deepEqual(
    loaded.metadata.snapshots.map((s) => BigInt(s['snapshot-id'])),
    table.metadata.snapshots.map((s) => BigInt(s['snapshot-id'])),
  );
  const current = loaded.metadata.snapshots.find((s) => BigInt(s['snapshot-id']) === BigInt(loaded.metadata.refs['main']!['snapshot-id']))!;
  const list = readManifestList((await files.read(current['manifest-list']!))!);
  assert.deepEqual(new Set(list.map((m) => m.manifest_path)), table.files.manifests);
  const referenced = new Set<string>();
  for (const manifest of list) for (const entry of readManifest((await files.read(manifest.manifest_path))!).entries) referenced.add(entry.data_file.file_path);
  assert.deepEqual(referenced, new Set([...table.files.dataFiles, ...table.files.deleteFiles]));
  table.metadata = loaded.metadata;
  await append(table);
}

describe('purge', () => {
  test('two tables share a location: purging one deletes exactly its files; the other keeps all of its own, loads, and commits', async (t) => {
    const namespace = await api.newNamespace('purge');
    const location = sharedLocation(namespace);
    const a = await populatedTable(namespace, 'a', location);
    await addStatistics(a);
    const b = await populatedTable(namespace, 'b', location);
    const orphan = `${location}/data/written-by-a-failed-job.parquet`;
    await put(orphan, new TextEncoder().encode('PAR1 nobody references me'));
    assertReferences(a);
    assertReferences(b);
    assert.equal(a.metadata.location, b.metadata.location, 'one location, two tables');
    assert.deepEqual(await filesUnder(location), [...allOf(a.files), ...allOf(b.files), orphan].sort());

    const dropped = await api.drop(a.id, true);
    assertStatus(dropped, 204);
    assertStatus(await api.exists(a.id), 404);
    await purgesSettled(catalog);

    await assertAllGone(a.files.metadata, 'metadata file of A');
    await assertAllGone(a.files.manifestLists, 'manifest list of A');
    await assertAllGone(a.files.manifests, 'manifest of A');
    await assertAllGone(a.files.dataFiles, 'data file of A');
    await assertAllGone(a.files.deleteFiles, 'delete file of A');
    await assertAllGone(a.files.statistics, 'statistics file of A');
    await assertAllPresent(allOf(b.files), 'file of B');
    await assertAllPresent([orphan], 'file no table references');
    assert.deepEqual(await filesUnder(location), [...allOf(b.files), orphan].sort(), 'exactly A’s files left the shared location');
    // A: 4 metadata files, 2 manifest lists, 4 manifests, 2 data + 2 delete files, 2 statistics; B: the same but statistics, + the orphan.
    const deleted = allOf(a.files).length;
    const kept = allOf(b.files).length + 1;
    t.diagnostic(`purge of A deleted ${deleted} files; ${kept} files of B and nobody's stayed`);
    assert.deepEqual([deleted, kept], [16, 14]);

    await assertIntact(b);
    await assertAllPresent(allOf(b.files), 'file of B after its new commit');
  });

  test('with gc.enabled=false a purge keeps data and delete files and removes the table’s own metadata, lists and manifests', async () => {
    const namespace = await api.newNamespace('purge');
    const location = sharedLocation(namespace);
    const table = await populatedTable(namespace, 'no_gc', location, { 'gc.enabled': 'false' });
    const neighbour = await populatedTable(namespace, 'neighbour', location);

    assertStatus(await api.drop(table.id, true), 204);
    await purgesSettled(catalog);

    await assertAllPresent([...table.files.dataFiles, ...table.files.deleteFiles], 'data file of a table with gc disabled');
    await assertAllGone([...table.files.metadata, ...table.files.manifestLists, ...table.files.manifests], 'metadata of the dropped table');
    assert.deepEqual(await filesUnder(location), [...allOf(neighbour.files), ...table.files.dataFiles, ...table.files.deleteFiles].sort());
    await assertIntact(neighbour);
  });

  test('a purge runs again harmlessly: after a crash half-way, and twice over (SQS delivers at least once)', async () => {
    const namespace = await api.newNamespace('purge');
    const location = sharedLocation(namespace);
    const table = await populatedTable(namespace, 'twice', location);
    await addStatistics(table);
    const neighbour = await populatedTable(namespace, 'neighbour', location);
    const job: PurgeJob = { kind: 'table', uuid: table.metadata['table-uuid'], metadataLocation: table.metadataLocation, requestedAtMs: Date.now() };

    // A run that crashed after deleting some data files and a manifest: the metadata still leads to the rest.
    const [firstData] = table.files.dataFiles;
    const [firstManifest] = table.files.manifests;
    await files.delete(firstData!);
    await files.delete(firstManifest!);

    assertStatus(await api.drop(table.id, true), 204);
    await purgesSettled(catalog);
    await assertAllGone(allOf(table.files), 'file of the purged table');

    // The same job again, through the queue and directly: nothing left to find, nothing else touched.
    const queue = (await catalog.context()).jobs;
    await queue.enqueue({ type: 'purge', ...job });
    await queue.enqueue({ type: 'purge', ...job });
    await purgesSettled(catalog);
    assert.deepEqual(await purgeTable(files, confinementOf((await catalog.context()).config), job), { deleted: 0, dataFiles: 0, manifests: 0, metadataFiles: 0, refused: [] });
    assert.deepEqual(await filesUnder(location), allOf(neighbour.files));
    await assertIntact(neighbour);
  });

  test('a drop without purge deletes nothing: the table can be registered again from its last metadata file', async () => {
    const namespace = await api.newNamespace('purge');
    const location = sharedLocation(namespace);
    const table = await populatedTable(namespace, 'kept', location);
    await addStatistics(table);
    const before = await filesUnder(location);
    assert.deepEqual(before, allOf(table.files));

    assertStatus(await api.drop(table.id, false), 204);
    await purgesSettled(catalog);
    assert.deepEqual(await filesUnder(location), before);

    assertStatus(await api.register(namespace, 'kept_again', table.metadataLocation), 200);
    const again: Table = { ...table, id: { namespace, name: 'kept_again' } };
    await assertIntact(again);
  });

  test('a table property change between appends leaves every metadata version in the log, and the purge finds them all', async () => {
    const namespace = await api.newNamespace('purge');
    const location = sharedLocation(namespace);
    const table = await createTable(namespace, 'versions', location);
    await append(table);
    await commit(table, [setProperties({ owner: 'bi' })]);
    await append(table);
    assertReferences(table);
    assert.equal(table.files.metadata.size, 4);

    assertStatus(await api.drop(table.id, true), 204);
    await purgesSettled(catalog);
    assert.deepEqual(await filesUnder(location), []);
  });
});
