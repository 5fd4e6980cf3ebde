import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { escapeSegment, FsObjectStore, unescapeSegment } from './fs-object-store.js';
import { listAll, type ObjectStore } from './object-store.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const textOf = (body: Uint8Array): string => new TextDecoder().decode(body);

async function allKeys(store: ObjectStore, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of listAll(store, { prefix })) keys.push(...page.objects.map((o) => o.key));
  return keys;
}

/** Every path below `dir`, relative, folders marked with a trailing `/`. */
async function tree(dir: string, base = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relative = `${base}${entry.name}`;
    if (entry.isDirectory()) out.push(`${relative}/`, ...(await tree(join(dir, entry.name), `${relative}/`)));
    else out.push(relative);
  }
  return out;
}

describe('FsObjectStore on disk', () => {
  let base: string;
  let root: string;
  let store: FsObjectStore;

  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'fs-object-store-'));
    root = join(base, 'root');
    store = new FsObjectStore(root);
  });

  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  test('a store whose folder does not exist yet is empty', async () => {
    assert.equal(await store.get('a/b'), undefined);
    assert.deepEqual(await store.list({ prefix: '' }), { objects: [], commonPrefixes: [] });
    assert.deepEqual(await store.delete('a/b'), { deleted: true });
  });

  test('leftovers of a crashed write and foreign files are invisible to list and get', async () => {
    await store.put('a/b', bytes('real'));
    const folder = join(root, 'a');
    // What a crash between fsync and rename/link leaves behind, and what people or tools drop in.
    await writeFile(join(folder, `.tmp-${randomUUID()}`), 'half-written');
    await writeFile(join(folder, 'b.obj.tmp-1234'), 'old-style temp');
    await writeFile(join(folder, '.DS_Store'), 'finder');
    await writeFile(join(folder, 'notes.txt'), 'notes');
    await writeFile(join(folder, '%41.obj'), 'non-canonical spelling of A');
    await writeFile(join(folder, '%zz.obj'), 'broken escape');
    await mkdir(join(folder, 'with.dot'));
    await writeFile(join(folder, 'with.dot', 'x.obj'), 'inside a folder this store never makes');
    assert.deepEqual(await allKeys(store), ['a/b']);
    assert.deepEqual((await store.list({ prefix: 'a/', delimiter: '/' })).commonPrefixes, []);
    assert.equal(await store.get('a/A'), undefined);
    assert.equal(await store.get('a/.DS_Store'), undefined);
    assert.equal(textOf((await store.get('a/b'))!.body), 'real');
    // Writes beside the debris still work.
    assert.ok((await store.putIfAbsent('a/c', bytes('c'))).ok);
    assert.deepEqual(await allKeys(store), ['a/b', 'a/c']);
  });

  test('successful writes leave no temporary files behind', async () => {
    await store.putIfAbsent('t/a', bytes('1'));
    await store.putIfAbsent('t/a', bytes('refused'));
    const { etag } = await store.put('t/b', bytes('2'));
    await store.putIfMatch('t/b', bytes('3'), etag);
    await store.putIfMatch('t/b', bytes('stale'), etag);
    assert.deepEqual((await tree(root)).sort(), ['t/', 't/a.obj', 't/b.obj']);
  });

  test('a key and keys below it coexist in either order of creation', async () => {
    await store.put('a/b/c', bytes('deep'));
    await store.put('a/b', bytes('shallow'));
    await store.put('x', bytes('top'));
    await store.put('x/y', bytes('below'));
    assert.equal(textOf((await store.get('a/b'))!.body), 'shallow');
    assert.equal(textOf((await store.get('a/b/c'))!.body), 'deep');
    assert.deepEqual(await allKeys(store), ['a/b', 'a/b/c', 'x', 'x/y']);
    await store.delete('a/b');
    assert.equal(textOf((await store.get('a/b/c'))!.body), 'deep');
    assert.deepEqual(await allKeys(store), ['a/b/c', 'x', 'x/y']);
  });

  test('`..`, `.` and empty segments stay inside the root and remain distinct keys', async () => {
    const keys = ['..', '.', '', '../x', '../../escape', './x', '/x', 'x/', 'a//b', '/', '//', '.../x', 'x/../..', 'x'];
    for (const key of keys) assert.ok((await store.putIfAbsent(key, bytes(`body of ${JSON.stringify(key)}`))).ok, JSON.stringify(key));
    for (const key of keys) assert.equal(textOf((await store.get(key))!.body), `body of ${JSON.stringify(key)}`, JSON.stringify(key));
    assert.deepEqual(await allKeys(store), [...keys].sort());
    assert.deepEqual(await readdir(base), ['root'], 'nothing was written beside the root');
    for (const path of await tree(root)) {
      const names = path.replace(/\/$/, '').split('/');
      const last = names.pop()!;
      for (const folder of names) assert.match(folder, /^[A-Za-z0-9_=%-]+$/, path);
      assert.match(last, path.endsWith('/') ? /^[A-Za-z0-9_=%-]+$/ : /^[A-Za-z0-9_=%-]+\.obj$/, path);
    }
    assert.deepEqual(await allKeys(store, '../'), ['../../escape', '../x']);
    assert.deepEqual((await store.list({ prefix: '', delimiter: '/' })).commonPrefixes, ['.../', '../', './', '/', 'a/', 'x/']);
  });

  test('segment escaping uses only [A-Za-z0-9_=%-], never a dot, and inverts exactly', () => {
    const samples = ['', '.', '..', 'plain', 'a.b', 'with space', '100%', '%41', 'a=b', 'ü', '日本語', '😀', 'tab\there', '-_=', 'A'];
    for (const segment of samples) {
      const escaped = escapeSegment(segment);
      assert.match(escaped, /^[A-Za-z0-9_=%-]+$/, JSON.stringify(segment));
      assert.equal(unescapeSegment(escaped), segment, JSON.stringify(segment));
    }
    assert.equal(escapeSegment(''), '%');
    assert.equal(escapeSegment('.'), '%2E');
    assert.equal(unescapeSegment('%41'), undefined, 'only the canonical spelling names a segment');
    assert.equal(unescapeSegment('%2e'), undefined);
    assert.equal(unescapeSegment('a.b'), undefined);
  });

  test('create-if-absent is atomic across store instances sharing a folder (link)', async () => {
    const stores = [store, new FsObjectStore(root), new FsObjectStore(root), new FsObjectStore(root)];
    const results = await Promise.all(Array.from({ length: 32 }, (_, i) => stores[i % stores.length]!.putIfAbsent('race/key', bytes(`writer ${i}`))));
    assert.equal(results.filter((r) => r.ok).length, 1);
  });

  test('a conditional delete refuses a stale ETag and keeps the object', async () => {
    const first = await store.put('d/a', bytes('v1'));
    const second = await store.put('d/a', bytes('v2'));
    assert.deepEqual(await store.delete('d/a', { ifMatch: first.etag }), { deleted: false });
    assert.equal((await store.get('d/a'))!.etag, second.etag);
    assert.deepEqual(await store.delete('d/a', { ifMatch: second.etag }), { deleted: true });
  });
});
