import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { listAll, type ListOptions, type ListedObject, type ObjectStore, type WriteResult } from '../../core/store/object-store.js';

const RACERS = 32;
const CAS_ROUNDS = 6;

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const textOf = (body: Uint8Array): string => new TextDecoder().decode(body);

/**
 * The ObjectStore port's semantics, run against every adapter. `makeStore` is called once per
 * test and must return an empty store of its own: an adapter on shared storage (an S3 bucket)
 * gets a fresh unique key prefix each time, so repeated and parallel runs never see each other.
 */
export function describeObjectStore(name: string, makeStore: () => Promise<ObjectStore>): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let store: ObjectStore;

    beforeEach(async () => {
      store = await makeStore();
    });

    afterEach(async () => {
      // Shared buckets outlive the run: leave nothing behind.
      for await (const page of listAll(store, { prefix: '' })) await Promise.all(page.objects.map((o) => store.delete(o.key)));
    });

    test('get of a missing key answers undefined', async () => {
      assert.equal(await store.get('missing/key'), undefined);
    });

    test('putIfAbsent creates; get returns the bytes and the same normalised ETag', async () => {
      const written = expectOk(await store.putIfAbsent('obj/a', bytes('hello')));
      assertNormalisedEtag(written.etag);
      const read = await store.get('obj/a');
      assert.ok(read);
      assert.equal(textOf(read.body), 'hello');
      assert.equal(read.etag, written.etag);
    });

    test('putIfAbsent on an existing key is refused and leaves the content alone', async () => {
      const first = expectOk(await store.putIfAbsent('obj/a', bytes('first')));
      assert.deepEqual(await store.putIfAbsent('obj/a', bytes('second')), { ok: false, reason: 'precondition-failed' });
      const read = await store.get('obj/a');
      assert.equal(textOf(read!.body), 'first');
      assert.equal(read!.etag, first.etag);
    });

    test('putIfMatch with the current ETag replaces the object and changes the ETag', async () => {
      const first = expectOk(await store.putIfAbsent('obj/a', bytes('v1')));
      const second = expectOk(await store.putIfMatch('obj/a', bytes('v2'), first.etag));
      assertNormalisedEtag(second.etag);
      assert.notEqual(second.etag, first.etag);
      const read = await store.get('obj/a');
      assert.equal(textOf(read!.body), 'v2');
      assert.equal(read!.etag, second.etag);
    });

    test('putIfMatch accepts the ETag in S3 quoted form', async () => {
      const first = expectOk(await store.putIfAbsent('obj/a', bytes('v1')));
      expectOk(await store.putIfMatch('obj/a', bytes('v2'), `"${first.etag}"`));
      assert.equal(textOf((await store.get('obj/a'))!.body), 'v2');
    });

    test('putIfMatch with a stale ETag is refused and leaves the content alone', async () => {
      const first = expectOk(await store.putIfAbsent('obj/a', bytes('v1')));
      const second = expectOk(await store.putIfMatch('obj/a', bytes('v2'), first.etag));
      assert.deepEqual(await store.putIfMatch('obj/a', bytes('v3'), first.etag), { ok: false, reason: 'precondition-failed' });
      const read = await store.get('obj/a');
      assert.equal(textOf(read!.body), 'v2');
      assert.equal(read!.etag, second.etag);
    });

    test('putIfMatch on a missing key is refused and creates nothing', async () => {
      const etagOfSomething = expectOk(await store.putIfAbsent('obj/other', bytes('x'))).etag;
      assert.deepEqual(await store.putIfMatch('obj/missing', bytes('x'), etagOfSomething), { ok: false, reason: 'precondition-failed' });
      assert.equal(await store.get('obj/missing'), undefined);
    });

    test('put writes unconditionally, creating and overwriting', async () => {
      const created = await store.put('obj/a', bytes('one'));
      assertNormalisedEtag(created.etag);
      const overwritten = await store.put('obj/a', bytes('two'));
      assert.notEqual(overwritten.etag, created.etag);
      const read = await store.get('obj/a');
      assert.equal(textOf(read!.body), 'two');
      assert.equal(read!.etag, overwritten.etag);
    });

    test('the same content has the same ETag, other content another', async () => {
      const a = await store.put('obj/a', bytes('same'));
      const b = await store.put('obj/b', bytes('same'));
      const c = await store.put('obj/c', bytes('different'));
      assert.equal(a.etag, b.etag);
      assert.notEqual(a.etag, c.etag);
    });

    test('delete removes the object; deleting a missing key succeeds', async () => {
      await store.put('obj/a', bytes('x'));
      assert.deepEqual(await store.delete('obj/a'), { deleted: true });
      assert.equal(await store.get('obj/a'), undefined);
      assert.deepEqual(await store.delete('obj/a'), { deleted: true });
      assert.deepEqual(await store.delete('obj/never-written'), { deleted: true });
      expectOk(await store.putIfAbsent('obj/a', bytes('again')));
    });

    test('delete with the current ETag deletes; with a stale one it is refused where enforced', async (t) => {
      const first = await store.put('obj/a', bytes('v1'));
      assert.deepEqual(await store.delete('obj/a', { ifMatch: first.etag }), { deleted: true });
      assert.equal(await store.get('obj/a'), undefined);

      const stale = await store.put('obj/b', bytes('v1'));
      const current = await store.put('obj/b', bytes('v2'));
      if (!store.capabilities.conditionalDelete) {
        t.skip('reason: this store does not promise to enforce If-Match on DELETE (Ceph RGW ignores it), so no caller may rely on it');
        return;
      }
      assert.deepEqual(await store.delete('obj/b', { ifMatch: stale.etag }), { deleted: false });
      assert.equal((await store.get('obj/b'))?.etag, current.etag);
    });

    test('a key and a key below it coexist', async () => {
      await store.put('nest/a', bytes('outer'));
      await store.put('nest/a/b', bytes('inner'));
      assert.equal(textOf((await store.get('nest/a'))!.body), 'outer');
      assert.equal(textOf((await store.get('nest/a/b'))!.body), 'inner');
      const page = await store.list({ prefix: 'nest/', delimiter: '/' });
      assert.deepEqual(keysOf(page.objects), ['nest/a']);
      assert.deepEqual(page.commonPrefixes, ['nest/a/']);
      await store.delete('nest/a');
      assert.equal(textOf((await store.get('nest/a/b'))!.body), 'inner');
    });

    test('list returns the keys under a prefix, sorted, with their ETags', async () => {
      const written = new Map<string, string>();
      for (const key of ['p/b', 'p/a', 'p/c/1', 'pq', 'other/x', 'p']) written.set(key, (await store.put(key, bytes(`body of ${key}`))).etag);
      const page = await store.list({ prefix: 'p/' });
      assert.deepEqual(keysOf(page.objects), ['p/a', 'p/b', 'p/c/1']);
      for (const o of page.objects) assert.equal(o.etag, written.get(o.key));
      assert.deepEqual(page.commonPrefixes, []);
      assert.equal(page.nextContinuationToken, undefined);
      assert.deepEqual(keysOf((await store.list({ prefix: 'p' })).objects), ['p', 'p/a', 'p/b', 'p/c/1', 'pq']);
      assert.deepEqual(keysOf((await store.list({ prefix: '' })).objects), ['other/x', 'p', 'p/a', 'p/b', 'p/c/1', 'pq']);
      assert.deepEqual(await store.list({ prefix: 'nothing/' }), { objects: [], commonPrefixes: [] });
    });

    test('list with a delimiter groups deeper keys into common prefixes', async () => {
      for (const key of ['d/a/1', 'd/a/2', 'd/b/x/y', 'd/c', 'd/e', 'dz/1']) await store.put(key, bytes(key));
      const page = await store.list({ prefix: 'd/', delimiter: '/' });
      assert.deepEqual(keysOf(page.objects), ['d/c', 'd/e']);
      assert.deepEqual(page.commonPrefixes, ['d/a/', 'd/b/']);
      const top = await store.list({ prefix: '', delimiter: '/' });
      assert.deepEqual(keysOf(top.objects), []);
      assert.deepEqual(top.commonPrefixes, ['d/', 'dz/']);
      const partial = await store.list({ prefix: 'd/b', delimiter: '/' });
      assert.deepEqual(partial.commonPrefixes, ['d/b/']);
    });

    test('list with startAfter returns only keys strictly after it', async () => {
      for (const key of ['s/a', 's/b', 's/c', 's/d', 's/x/1', 's/y/1']) await store.put(key, bytes(key));
      assert.deepEqual(keysOf((await store.list({ prefix: 's/', startAfter: 's/b' })).objects), ['s/c', 's/d', 's/x/1', 's/y/1']);
      assert.deepEqual(keysOf((await store.list({ prefix: 's/', startAfter: 's/bb' })).objects), ['s/c', 's/d', 's/x/1', 's/y/1']);
      assert.deepEqual(keysOf((await store.list({ prefix: 's/', startAfter: 's/y/1' })).objects), []);
      const grouped = await store.list({ prefix: 's/', delimiter: '/', startAfter: 's/x/1' });
      assert.deepEqual(keysOf(grouped.objects), []);
      assert.deepEqual(grouped.commonPrefixes, ['s/y/']);
    });

    test('list pages through 25 keys 7 at a time with continuation tokens', async () => {
      const keys = Array.from({ length: 25 }, (_, i) => `page/k${String(i).padStart(2, '0')}`);
      await Promise.all(keys.map((key) => store.put(key, bytes(key))));
      const pages = await collectPages(store, { prefix: 'page/', maxKeys: 7 });
      assert.deepEqual(
        pages.map((p) => p.objects.length),
        [7, 7, 7, 4],
      );
      assert.deepEqual(pages.flatMap((p) => keysOf(p.objects)), keys);
      assert.equal(pages.at(-1)!.nextContinuationToken, undefined);
      const afterStart = await collectPages(store, { prefix: 'page/', maxKeys: 7, startAfter: 'page/k09' });
      assert.deepEqual(afterStart.flatMap((p) => keysOf(p.objects)), keys.slice(10));
    });

    test('a common prefix counts once toward maxKeys and is not repeated on the next page', async () => {
      for (const key of ['g/a/1', 'g/a/2', 'g/a/3', 'g/b', 'g/c/1', 'g/d', 'g/e/1', 'g/e/2']) await store.put(key, bytes(key));
      const pages = await collectPages(store, { prefix: 'g/', delimiter: '/', maxKeys: 2 });
      for (const page of pages) assert.ok(page.objects.length + page.commonPrefixes.length <= 2);
      assert.deepEqual(pages.flatMap((p) => keysOf(p.objects)), ['g/b', 'g/d']);
      assert.deepEqual(pages.flatMap((p) => p.commonPrefixes), ['g/a/', 'g/c/', 'g/e/']);
      assert.equal(pages.length, 3);
    });

    test('keys with unicode, spaces, %, =, + and other punctuation round-trip through get and list', async () => {
      const keys = [
        'u/ü ñ',
        'u/日本語/ファイル',
        'u/with space',
        'u/100%',
        'u/%41',
        'u/a=b',
        'u/plus+sign',
        'u/amp&semi;colon',
        "u/quote'paren(star*)",
        'u/tilde~dash-under_score',
        'u/dots..and.dots',
        'u/emoji 😀',
      ];
      for (const key of keys) expectOk(await store.putIfAbsent(key, bytes(key)));
      for (const key of keys) assert.equal(textOf((await store.get(key))!.body), key, key);
      const listed = keysOf((await store.list({ prefix: 'u/' })).objects);
      assert.deepEqual([...listed].sort(), [...keys].sort());
      assert.deepEqual(keysOf((await store.list({ prefix: 'u/日本語/' })).objects), ['u/日本語/ファイル']);
      assert.deepEqual((await store.list({ prefix: 'u/', delimiter: '/' })).commonPrefixes, ['u/日本語/']);
      assert.equal(await store.get('u/A'), undefined, '%41 must not be decoded into A');
    });

    test('binary bodies (every byte value) and empty bodies round-trip', async () => {
      const all = Uint8Array.from({ length: 512 }, (_, i) => (i < 256 ? i : 511 - i));
      const written = expectOk(await store.putIfAbsent('bin/all', all));
      const read = await store.get('bin/all');
      assert.deepEqual(Buffer.from(read!.body), Buffer.from(all));
      assert.equal(read!.etag, written.etag);
      const empty = expectOk(await store.putIfAbsent('bin/empty', new Uint8Array(0)));
      const readEmpty = await store.get('bin/empty');
      assert.equal(readEmpty!.body.byteLength, 0);
      assert.equal(readEmpty!.etag, empty.etag);
      expectOk(await store.putIfMatch('bin/empty', all, empty.etag));
    });

    test(`${RACERS} concurrent putIfMatch with one ETag: exactly one wins, ${CAS_ROUNDS} rounds in a row`, async (t) => {
      const key = 'race/cas';
      let etag = expectOk(await store.putIfAbsent(key, bytes('round 0'))).etag;
      const refusals = { 'precondition-failed': 0, moved: 0, unknown: 0 };
      for (let round = 1; round <= CAS_ROUNDS; round++) {
        const bodies = Array.from({ length: RACERS }, (_, i) => bytes(`round ${round} writer ${i} ${randomUUID()}`));
        const results = await Promise.all(bodies.map((body) => store.putIfMatch(key, body, etag)));
        const winner = theOnlyWinner(results, `round ${round}`);
        for (const r of results) if (!r.ok) refusals[r.reason]++;
        const current = await store.get(key);
        assert.equal(textOf(current!.body), textOf(bodies[winner.index]!), `round ${round}: the winner's content is stored`);
        assert.equal(current!.etag, winner.etag);
        etag = winner.etag;
      }
      t.diagnostic(`losers' reasons over ${CAS_ROUNDS} rounds: ${JSON.stringify(refusals)}`);
    });

    test(`${RACERS} concurrent putIfAbsent on one new key: exactly one wins`, async (t) => {
      const bodies = Array.from({ length: RACERS }, (_, i) => bytes(`creator ${i} ${randomUUID()}`));
      const results = await Promise.all(bodies.map((body) => store.putIfAbsent('race/create', body)));
      const winner = theOnlyWinner(results, 'create race');
      const current = await store.get('race/create');
      assert.equal(textOf(current!.body), textOf(bodies[winner.index]!));
      assert.equal(current!.etag, winner.etag);
      const reasons = results.flatMap((r) => (r.ok ? [] : [r.reason]));
      t.diagnostic(`losers' reasons: ${JSON.stringify(countBy(reasons))}`);
    });
  });
}

function expectOk(result: WriteResult): { etag: string } {
  assert.ok(result.ok, `expected a successful write, got ${JSON.stringify(result)}`);
  return result;
}

function assertNormalisedEtag(etag: string): void {
  assert.match(etag, /^[^"]+$/, 'ETags carry no quotes');
  assert.doesNotMatch(etag, /^W\//, 'ETags carry no weak prefix');
}

function theOnlyWinner(results: readonly WriteResult[], label: string): { index: number; etag: string } {
  const winners = results.flatMap((r, index) => (r.ok ? [{ index, etag: r.etag }] : []));
  assert.equal(winners.length, 1, `${label}: exactly one writer wins, got ${winners.length} (${JSON.stringify(countBy(results.map((r) => (r.ok ? 'ok' : r.reason))))})`);
  return winners[0]!;
}

function keysOf(objects: readonly ListedObject[]): string[] {
  return objects.map((o) => o.key);
}

async function collectPages(store: ObjectStore, options: Omit<ListOptions, 'continuationToken'>) {
  const pages = [];
  for await (const page of listAll(store, options)) {
    if (options.maxKeys !== undefined) assert.ok(page.objects.length + page.commonPrefixes.length <= options.maxKeys, 'a page holds at most maxKeys entries');
    pages.push(page);
    assert.ok(pages.length < 100, 'listing terminates');
  }
  return pages;
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
