import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createNamespace } from '../catalog/namespaces/create-namespace.js';
import { commitTable } from '../catalog/tables/commit-table.js';
import { createTable } from '../catalog/tables/create-table.js';
import { requireTable, type TableIdentifier } from '../catalog/tables/table-lookup.js';
import { validateCreateTableRequest } from '../metadata/index.js';
import { metadataFolder } from '../metadata/metadata-file-name.js';
import { startCoreHarness, type CoreHarness } from '../../test/support/core-context.js';
import { createTableBody, uniqueNameOf } from '../../test/support/table-requests.js';
import { maintainTable } from './maintain-table.js';
import { deleteOldMetadataFiles } from './old-metadata-files.js';

/**
 * Metadata files that fell off the log (previous-versions-max) are deleted by maintenance, found
 * through the chain of logs (never by listing), oldest first, each exactly once across runs; the
 * current file, the log's files and anything else in the folder stay.
 */
let h: CoreHarness;
let namespace: string[];
before(async () => {
  h = await startCoreHarness();
  namespace = [uniqueNameOf('oldmeta')];
  await createNamespace(h.ctx, h.warehouse, { namespace, properties: {} });
});
after(async () => h.close());

const KEEP = 5;
const FAR = () => Date.now() + 3_600_000;

async function aTable(properties: Record<string, string> = {}): Promise<TableIdentifier> {
  const id = { namespace, name: uniqueNameOf('t') };
  const all = { 'write.metadata.previous-versions-max': String(KEEP), ...properties };
  await createTable(h.ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody(id.name, { properties: all })));
  return id;
}

async function commits(id: TableIdentifier, count: number): Promise<void> {
  for (let n = 0; n < count; n++) {
    await commitTable(h.ctx, h.warehouse, id, [], [{ action: 'set-properties', updates: { n: String(Math.random()) } }]);
  }
}

async function metadataFilesOf(id: TableIdentifier): Promise<{ current: string; log: string[]; present: string[] }> {
  const { metadata, pointer } = await requireTable(h.ctx, h.warehouse, id);
  const listed = await h.ctx.files.list(`${metadataFolder(metadata)}/`);
  return {
    current: pointer.value.metadataLocation,
    log: metadata.metadataLog.map((entry) => entry.metadataFile),
    present: listed.filter((location) => location.endsWith('.metadata.json')).sort(),
  };
}

const run = async (id: TableIdentifier, options: { maxDeletes?: number; dryRun?: boolean } = {}) => {
  const { metadata } = await requireTable(h.ctx, h.warehouse, id);
  return deleteOldMetadataFiles(h.ctx, metadata, { deadlineMs: FAR(), maxDeletes: options.maxDeletes ?? 5_000, dryRun: options.dryRun ?? false });
};

describe('deleteOldMetadataFiles', () => {
  test('deletes every file before the log, keeps the log and the current file', async () => {
    const id = await aTable();
    await commits(id, 30);
    const before = await metadataFilesOf(id);
    assert.equal(before.present.length, 31, 'the create and 30 commits each wrote one');
    assert.equal(before.log.length, KEEP);
    const report = await run(id);
    assert.equal(report.deleted, 31 - KEEP - 1);
    assert.equal(report.remaining, false);
    const afterwards = await metadataFilesOf(id);
    assert.deepEqual(afterwards.present, [...before.log, before.current].sort());
  });

  test('a later run deletes only what fell off since: one delete per file, found by binary search', async () => {
    const id = await aTable();
    await commits(id, 12);
    assert.equal((await run(id)).deleted, 12 - KEEP);
    await commits(id, 3);
    const second = await run(id);
    assert.equal(second.deleted, 3, 'the files an earlier run deleted are not deleted again');
    assert.equal((await run(id)).deleted, 0);
    const files = await metadataFilesOf(id);
    assert.deepEqual(files.present, [...files.log, files.current].sort());
  });

  test('a run stopped by its delete budget leaves the newest ones, and the next run finishes', async () => {
    const id = await aTable();
    await commits(id, 20);
    const first = await run(id, { maxDeletes: 4 });
    assert.equal(first.deleted, 4);
    assert.equal(first.remaining, true);
    const versionsLeft = (await metadataFilesOf(id)).present.map((location) => Number(location.slice(location.lastIndexOf('/') + 1).split('-')[0]));
    assert.equal(Math.min(...versionsLeft), 4, 'oldest first: versions 0 to 3 went');
    assert.equal((await run(id)).deleted, 20 - KEEP - 4);
    const files = await metadataFilesOf(id);
    assert.deepEqual(files.present, [...files.log, files.current].sort());
  });

  test('a dry run reports and deletes nothing', async () => {
    const id = await aTable();
    await commits(id, 10);
    const before = await metadataFilesOf(id);
    const report = await run(id, { dryRun: true });
    assert.equal(report.foundCount, 10 - KEEP);
    assert.equal(report.deleted, 0);
    assert.deepEqual((await metadataFilesOf(id)).present, before.present);
  });

  test('a file in the folder that no log of this table names is never touched (another table, a lost write)', async () => {
    const id = await aTable();
    const { metadata } = await requireTable(h.ctx, h.warehouse, id);
    const foreign = `${metadataFolder(metadata)}/00000-0b9f5a3e-4c1d-4e8a-9f2b-000000000001.metadata.json`;
    await h.ctx.files.create(foreign, new TextEncoder().encode('{}'));
    await commits(id, 10);
    await run(id);
    assert.notEqual(await h.ctx.files.read(foreign), undefined);
  });

  test('maintenance runs it by default; catalog.maintenance.delete-old-metadata-files=false turns it off', async () => {
    const on = await aTable();
    const off = await aTable({ 'catalog.maintenance.delete-old-metadata-files': 'false' });
    await commits(on, 10);
    await commits(off, 10);
    const reportOn = await maintainTable(h.ctx, h.warehouse, on, Date.now(), { orphans: false });
    assert.equal(reportOn.oldMetadata?.deleted, 10 - KEEP);
    const reportOff = await maintainTable(h.ctx, h.warehouse, off, Date.now(), { orphans: false });
    assert.equal(reportOff.oldMetadata, undefined);
    assert.equal((await metadataFilesOf(off)).present.length, 11);
  });

  test('gc.enabled=false: no metadata file is deleted', async () => {
    const id = await aTable({ 'gc.enabled': 'false' });
    await commits(id, 10);
    const report = await maintainTable(h.ctx, h.warehouse, id, Date.now(), { orphans: false });
    assert.equal(report.oldMetadata, undefined);
    assert.equal((await metadataFilesOf(id)).present.length, 11);
  });
});
