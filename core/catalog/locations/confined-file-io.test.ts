import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { LocalFileIO } from '../../store/local-file-io.js';
import { MemoryObjectStore } from '../../store/memory-object-store.js';
import { S3FileIO } from '../../store/s3-file-io.js';
import { ConfinedFileIO } from './confined-file-io.js';
import { LocationConfinement, LocationOutsideError } from './confinement.js';

async function aLocalWarehouse(): Promise<{ dir: string; warehouse: string; io: ConfinedFileIO; close: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'confined-list-'));
  const warehouse = join(dir, 'wh');
  await mkdir(warehouse);
  const confinement = new LocationConfinement({ warehouses: [{ name: 'default', location: pathToFileURL(warehouse).href }] });
  return { dir, warehouse, io: new ConfinedFileIO(new LocalFileIO([warehouse]), confinement), close: () => rm(dir, { recursive: true, force: true }) };
}

async function put(path: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, 'x');
}

test('listPage lists a folder in location order, page by page from a cursor, with file times', async () => {
  const { warehouse, io, close } = await aLocalWarehouse();
  try {
    for (const name of ['t1/b', 't1/a', 't1/data/c', 't10/x', 't1x']) await put(join(warehouse, name));
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(join(warehouse, 't1/a'), old, old);
    const root = pathToFileURL(join(warehouse, 't1')).href;

    const first = await io.listPage(`${root}/`, { maxFiles: 2 });
    const second = await io.listPage(`${root}/`, { maxFiles: 2, startAfter: first.files.at(-1)!.location });

    assert.deepEqual(first.files.map((f) => f.location), [`${root}/a`, `${root}/b`]);
    assert.equal(first.truncated, true);
    // The sibling t10 and t1x are not inside t1/ (the trailing / is kept through the confinement).
    assert.deepEqual(second.files.map((f) => f.location), [`${root}/data/c`]);
    assert.equal(second.truncated, false);
    // mtime was set back, but ctime cannot be: the file counts as written now.
    assert.ok(first.files[0]!.lastModifiedMs > old.getTime() + 1000);
  } finally {
    await close();
  }
});

test('listPage refuses a prefix or a cursor outside the warehouses, and never lists through a symlink', async () => {
  const { dir, warehouse, io, close } = await aLocalWarehouse();
  try {
    await put(join(dir, 'outside', 'secret'));
    await mkdir(join(warehouse, 't'), { recursive: true });
    await symlink(join(dir, 'outside'), join(warehouse, 't', 'link'));
    const root = pathToFileURL(join(warehouse, 't')).href;

    await assert.rejects(io.listPage(pathToFileURL(join(dir, 'outside')).href + '/', { maxFiles: 10 }), LocationOutsideError);
    await assert.rejects(io.listPage(`${root}/`, { maxFiles: 10, startAfter: pathToFileURL(join(dir, 'outside', 'a')).href }), LocationOutsideError);
    assert.deepEqual((await io.listPage(`${root}/`, { maxFiles: 10 })).files, []);
  } finally {
    await close();
  }
});

test('S3 listPage refuses a store that reports no last-modified times', async () => {
  const store = new MemoryObjectStore();
  await store.put('wh/t1/a', new Uint8Array([1]));
  const io = new S3FileIO(async () => store, ['b']);
  // The memory store has no LastModified: an age must never be guessed.
  await assert.rejects(io.listPage('s3://b/wh/t1/', { maxFiles: 10 }), /without a last-modified time/);
});
