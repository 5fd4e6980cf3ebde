import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceUnavailableError } from '../../core/errors.js';
import type { FileIO } from '../../core/store/file-io.js';
import { MemoryObjectStore } from '../../core/store/memory-object-store.js';
import {
  chaosRules,
  FaultInjectingFileIO,
  FaultInjectingStore,
  FaultInjector,
  InjectedTransportError,
  seededRandom,
  SimulatedCrash,
  type FaultRule,
} from '../support/fault-injecting-store.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

function setup(...rules: FaultRule[]) {
  const inner = new MemoryObjectStore();
  const store = new FaultInjectingStore(inner, { seed: 7, rules });
  return { inner, store };
}

async function seed(inner: MemoryObjectStore, key: string, value: string): Promise<string> {
  return (await inner.put(key, bytes(value))).etag;
}

describe('fault-injecting store', () => {
  test('passes every call through when no rule matches', async () => {
    const { inner, store } = setup({ mode: 'fail-before', key: 'other' });
    assert.deepEqual(await store.putIfAbsent('a', bytes('1')), { ok: true, etag: (await inner.get('a'))!.etag });
    assert.equal(text((await store.get('a'))?.body), '1');
    assert.equal((await store.list({ prefix: '' })).objects.length, 1);
    assert.equal(store.faults.totalFaults, 0);
  });

  test('fail-before throws a transport error and nothing lands; answer: unknown returns unknown instead', async () => {
    const { inner, store } = setup({ mode: 'fail-before', calls: 'putIfAbsent', nth: [1] }, { mode: 'fail-before', calls: 'putIfAbsent', nth: [1], answer: 'unknown' });
    await assert.rejects(store.putIfAbsent('a', bytes('1')), InjectedTransportError);
    assert.equal(await inner.get('a'), undefined);
    // The first rule has used its schedule; the second sees its first matching call now.
    assert.deepEqual(await store.putIfAbsent('a', bytes('1')), { ok: false, reason: 'unknown' });
    assert.equal(await inner.get('a'), undefined);
    assert.equal(store.faults.counts['fail-before'], 2);
  });

  test('lost-answer lands the write and reports unknown (conditional) or throws (unconditional, reads)', async () => {
    const { inner, store } = setup({ mode: 'lost-answer', calls: ['putIfMatch', 'put', 'get', 'delete'], limit: 4 });
    const etag = await seed(inner, 'a', 'v1');
    assert.deepEqual(await store.putIfMatch('a', bytes('v2'), etag), { ok: false, reason: 'unknown' });
    assert.equal(text((await inner.get('a'))?.body), 'v2');
    await assert.rejects(store.put('b', bytes('x')), InjectedTransportError);
    assert.equal(text((await inner.get('b'))?.body), 'x');
    await assert.rejects(store.get('a'), InjectedTransportError);
    await assert.rejects(store.delete('b'), InjectedTransportError);
    assert.equal(await inner.get('b'), undefined);
    assert.equal(store.faults.counts['lost-answer'], 4);
    // limit reached: pass-through again
    assert.equal(text((await store.get('a'))?.body), 'v2');
  });

  test('lost-answer with answer: throw throws, with answer: moved answers moved, on a conditional write that landed', async () => {
    const { inner, store } = setup({ mode: 'lost-answer', calls: 'putIfAbsent', answer: 'throw', nth: [1] }, { mode: 'lost-answer', calls: 'putIfAbsent', answer: 'moved', nth: [1] });
    await assert.rejects(store.putIfAbsent('a', bytes('1')), InjectedTransportError);
    assert.equal(text((await inner.get('a'))?.body), '1');
    assert.deepEqual(await store.putIfAbsent('b', bytes('2')), { ok: false, reason: 'moved' });
    assert.equal(text((await inner.get('b'))?.body), '2');
  });

  test('land-later (next read): unknown now, the next read of the key still sees the old value, then the write lands', async () => {
    const { inner, store } = setup({ mode: 'land-later', calls: 'putIfMatch', key: /^t=c$/, nth: [1] });
    const etag = await seed(inner, 't=c', 'v1');
    assert.deepEqual(await store.putIfMatch('t=c', bytes('v2'), etag), { ok: false, reason: 'unknown' });
    assert.equal(text((await inner.get('t=c'))?.body), 'v1');
    assert.equal(store.faults.pendingLateWrites, 1);
    // A read of another key does not trigger it.
    await store.get('other');
    assert.equal(text((await inner.get('t=c'))?.body), 'v1');
    const seen = await store.get('t=c');
    assert.equal(text(seen?.body), 'v1', 'the triggering read answers the state before the late write');
    assert.equal(text((await inner.get('t=c'))?.body), 'v2');
    assert.equal(store.faults.lateWrites.landed, 1);
    assert.equal(store.faults.pendingLateWrites, 0);
  });

  test('land-later re-checks the condition when it lands, as S3 would', async () => {
    const { inner, store } = setup({ mode: 'land-later', calls: 'putIfMatch', nth: [1] });
    const etag = await seed(inner, 'k', 'v1');
    assert.deepEqual(await store.putIfMatch('k', bytes('mine'), etag), { ok: false, reason: 'unknown' });
    await inner.put('k', bytes('rival'));
    await store.get('k');
    assert.equal(text((await inner.get('k'))?.body), 'rival');
    assert.equal(store.faults.lateWrites.landed, 1, 'it was sent; the store refused the condition');
  });

  test('land-later after a delay lands on its own; settle() waits for it; never never lands', async () => {
    const { inner, store } = setup(
      { mode: 'land-later', calls: 'putIfAbsent', key: 'late', landAfter: { delayMs: 20 } },
      { mode: 'land-later', calls: 'putIfAbsent', key: 'lost', landAfter: 'never' },
      { mode: 'land-later', calls: 'put', key: 'unconditional', landAfter: { delayMs: [5, 10] } },
    );
    assert.deepEqual(await store.putIfAbsent('late', bytes('1')), { ok: false, reason: 'unknown' });
    assert.deepEqual(await store.putIfAbsent('lost', bytes('1')), { ok: false, reason: 'unknown' });
    await assert.rejects(store.put('unconditional', bytes('u')), InjectedTransportError);
    assert.equal(await inner.get('late'), undefined);
    await store.faults.settle();
    assert.equal(text((await inner.get('late'))?.body), '1');
    assert.equal(text((await inner.get('unconditional'))?.body), 'u');
    assert.equal(await inner.get('lost'), undefined);
    assert.deepEqual(store.faults.lateWrites, { queued: 3, landed: 2, dropped: 0, neverLanding: 1 });
  });

  test('settle() lands writes still waiting for a read', async () => {
    const { inner, store } = setup({ mode: 'land-later', calls: 'delete' });
    await seed(inner, 'gone', 'x');
    await assert.rejects(store.delete('gone'), InjectedTransportError);
    assert.notEqual(await inner.get('gone'), undefined);
    await store.faults.settle();
    assert.equal(await inner.get('gone'), undefined);
  });

  test('land-later on a read acts as fail-before', async () => {
    const { store } = setup({ mode: 'land-later', calls: 'get' });
    await assert.rejects(store.get('x'), InjectedTransportError);
    assert.equal(store.faults.counts['fail-before'], 1);
  });

  test('slow-down throws the adapter\'s 503 and nothing lands', async () => {
    const { inner, store } = setup({ mode: 'slow-down', calls: ['putIfAbsent', 'get', 'list'] });
    const error = await store.putIfAbsent('a', bytes('1')).catch((e: unknown) => e);
    assert.ok(error instanceof ServiceUnavailableError);
    assert.equal(error.status, 503);
    assert.equal(await inner.get('a'), undefined);
    await assert.rejects(store.get('a'), ServiceUnavailableError);
    await assert.rejects(store.list({ prefix: '' }), ServiceUnavailableError);
    assert.equal(store.faults.counts['slow-down'], 3);
  });

  test('conflict: nothing lands; moved when a rival holds the key, 503 when the condition still holds', async () => {
    const { inner, store } = setup({ mode: 'conflict', calls: ['putIfMatch', 'putIfAbsent', 'get'] });
    const etag = await seed(inner, 'k', 'v1');
    await assert.rejects(store.putIfMatch('k', bytes('v2'), etag), ServiceUnavailableError);
    assert.deepEqual(await store.putIfMatch('k', bytes('v2'), 'stale-etag'), { ok: false, reason: 'moved' });
    assert.deepEqual(await store.putIfAbsent('k', bytes('v2')), { ok: false, reason: 'moved' });
    await assert.rejects(store.putIfAbsent('new', bytes('v2')), ServiceUnavailableError);
    assert.equal(text((await inner.get('k'))?.body), 'v1');
    assert.equal(await inner.get('new'), undefined);
    // On a read it is a throttling answer.
    await assert.rejects(store.get('k'), ServiceUnavailableError);
    assert.equal(store.faults.counts.conflict, 4);
    assert.equal(store.faults.counts['slow-down'], 1);
  });

  test('latency delays the call and still performs it', async () => {
    const { inner, store } = setup({ mode: 'latency', latencyMs: 40 });
    const started = performance.now();
    assert.equal((await store.putIfAbsent('a', bytes('1'))).ok, true);
    assert.ok(performance.now() - started >= 35);
    assert.notEqual(await inner.get('a'), undefined);
    assert.equal(store.faults.counts.latency, 1);
  });

  test('latency combines with one other fault', async () => {
    const { inner, store } = setup({ mode: 'latency', latencyMs: 5 }, { mode: 'lost-answer', calls: 'putIfAbsent' }, { mode: 'fail-before' });
    assert.deepEqual(await store.putIfAbsent('a', bytes('1')), { ok: false, reason: 'unknown' });
    assert.notEqual(await inner.get('a'), undefined, 'the first matching rule won, fail-before did not apply');
    assert.equal(store.faults.counts.latency, 1);
    assert.equal(store.faults.counts['lost-answer'], 1);
    assert.equal(store.faults.counts['fail-before'], 0);
  });

  test('rules select by call kind and key (substring, RegExp, predicate)', async () => {
    const { inner, store } = setup(
      { mode: 'fail-before', calls: 'putIfMatch', key: '/tx/' },
      { mode: 'fail-before', calls: 'get', key: /t=b$/ },
      { mode: 'fail-before', calls: 'delete', key: (k) => k.startsWith('x') },
    );
    const etag = await seed(inner, 'wh/tx/1', 'pending');
    await assert.rejects(store.putIfMatch('wh/tx/1', bytes('committed'), etag), InjectedTransportError);
    assert.equal((await store.putIfAbsent('wh/tx/2', bytes('p'))).ok, true);
    await assert.rejects(store.get('n=a/t=b'), InjectedTransportError);
    assert.equal(await store.get('n=a/t=bb'), undefined);
    await assert.rejects(store.delete('xy'), InjectedTransportError);
    assert.deepEqual(await store.delete('yx'), { deleted: true });
  });

  test('nth schedules by ordinal of the matching calls; limit caps; burst makes storms', async () => {
    const { store } = setup({ mode: 'slow-down', calls: 'get', key: 'a', nth: [2, 4] }, { mode: 'fail-before', calls: 'get', key: 'b', rate: 1, limit: 2 }, { mode: 'slow-down', calls: 'get', key: 'c', nth: [3], burst: 3 });
    const outcome = async (key: string) => store.get(key).then(() => 'ok', (e: unknown) => (e instanceof ServiceUnavailableError ? '503' : 'reset'));
    const a = [];
    for (let i = 0; i < 5; i++) a.push(await outcome('a'));
    assert.deepEqual(a, ['ok', '503', 'ok', '503', 'ok']);
    const b = [];
    for (let i = 0; i < 4; i++) b.push(await outcome('b'));
    assert.deepEqual(b, ['reset', 'reset', 'ok', 'ok']);
    const c = [];
    for (let i = 0; i < 7; i++) c.push(await outcome('c'));
    assert.deepEqual(c, ['ok', 'ok', '503', '503', '503', 'ok', 'ok']);
  });

  test('rates are drawn from the seeded PRNG: the same seed gives the same faults', async () => {
    const run = async (seedValue: number) => {
      const store = new FaultInjectingStore(new MemoryObjectStore(), { seed: seedValue, rules: [{ mode: 'fail-before', rate: 0.3 }] });
      const outcomes: boolean[] = [];
      for (let i = 0; i < 200; i++) outcomes.push(await store.get(`k${i}`).then(() => true, () => false));
      return outcomes;
    };
    const first = await run(42);
    assert.deepEqual(await run(42), first);
    assert.notDeepEqual(await run(43), first);
    const failures = first.filter((ok) => !ok).length;
    assert.ok(failures > 35 && failures < 85, `about 30 % of 200, got ${failures}`);
    const r = seededRandom(1);
    const values = Array.from({ length: 1000 }, r);
    assert.ok(values.every((v) => v >= 0 && v < 1));
  });

  test('counters by mode and by call, a bounded fault log, and enabled=false turns faults off', async () => {
    const { store } = setup({ mode: 'fail-before', calls: ['get', 'list'] });
    await assert.rejects(store.get('a'));
    await assert.rejects(store.list({ prefix: 'p' }));
    assert.equal(store.faults.counts['fail-before'], 2);
    assert.deepEqual(store.faults.byCall, { get: 1, list: 1 });
    assert.deepEqual(store.faults.faultLog.map((f) => `${f.mode} ${f.call} ${f.key}`), ['fail-before get a', 'fail-before list p']);
    assert.match(store.faults.summary(), /fail-before=2/);
    store.faults.enabled = false;
    assert.equal(await store.get('a'), undefined);
  });

  test('the crash-after-N switch still lands the N-th call and then throws on every call', async () => {
    const { inner, store } = setup();
    store.arm(2);
    assert.equal((await store.putIfAbsent('a', bytes('1'))).ok, true);
    await assert.rejects(store.putIfAbsent('b', bytes('2')), SimulatedCrash);
    assert.notEqual(await inner.get('b'), undefined, 'the crossing call landed');
    await assert.rejects(store.get('a'), SimulatedCrash);
    assert.equal(store.callCount, 2);
    assert.deepEqual(store.log, ['PUT-IF-ABSENT a', 'PUT-IF-ABSENT b']);
    store.arm(undefined);
    assert.notEqual(await store.get('a'), undefined);
  });

  test('wrappers of different processes can share one injector, or use their own over one inner store', async () => {
    const inner = new MemoryObjectStore();
    const faults = new FaultInjector({ seed: 1, rules: [{ mode: 'fail-before', calls: 'get', nth: [2] }] });
    const one = new FaultInjectingStore(inner, faults);
    const two = new FaultInjectingStore(inner, faults);
    await one.get('x');
    await assert.rejects(two.get('x'), InjectedTransportError);
    const own = new FaultInjectingStore(inner);
    assert.equal((await own.putIfAbsent('x', bytes('1'))).ok, true);
    assert.notEqual(await one.get('x'), undefined);
  });

  test('the FileIO wrapper: faults on metadata files, by location; lost answers and late landings throw', async () => {
    const files = new Map<string, Uint8Array>();
    const io: FileIO = {
      read: async (l) => files.get(l),
      create: async (l, b) => (files.has(l) ? 'exists' : (files.set(l, b), 'created')),
      delete: async (l) => void files.delete(l),
      list: async (p) => [...files.keys()].filter((k) => k.startsWith(p)),
    };
    const faults = new FaultInjector({
      rules: [
        { mode: 'lost-answer', calls: 'file.create', key: 'lost' },
        { mode: 'land-later', calls: 'file.create', key: 'late' },
        { mode: 'fail-before', calls: 'file.read', key: 'lost' },
      ],
    });
    const wrapped = new FaultInjectingFileIO(io, faults);
    await assert.rejects(wrapped.create('file:///lost.json', bytes('1')), InjectedTransportError);
    assert.ok(files.has('file:///lost.json'));
    await assert.rejects(wrapped.create('file:///late.json', bytes('1')), InjectedTransportError);
    assert.ok(!files.has('file:///late.json'));
    assert.equal(await wrapped.read('file:///late.json'), undefined);
    assert.ok(files.has('file:///late.json'), 'landed after the next read');
    await assert.rejects(wrapped.read('file:///lost.json'), InjectedTransportError);
    assert.equal(await wrapped.create('file:///ok.json', bytes('1')), 'created');
  });

  test('beforeCall holds a call until the test releases it (forced interleavings), faults on or off', async () => {
    const { inner, store } = setup();
    store.faults.enabled = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached = false;
    store.faults.beforeCall = async (call, key) => {
      if (call === 'putIfAbsent' && key === 'held') {
        reached = true;
        await gate;
      }
    };
    const write = store.putIfAbsent('held', bytes('1'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(reached, true);
    assert.equal(await inner.get('held'), undefined, 'held before it was sent');
    assert.equal((await store.putIfAbsent('other', bytes('1'))).ok, true, 'other calls pass');
    release();
    assert.equal((await write).ok, true);
  });

  test('chaosRules: the review\'s fault mix at about the requested total rate', async () => {
    for (const rate of [0.05, 0.2]) {
      const store = new FaultInjectingStore(new MemoryObjectStore(), { seed: 99, rules: chaosRules(rate, { maxLatencyMs: 0 }) });
      const calls = 4000;
      for (let i = 0; i < calls; i++) {
        const key = `k${i % 50}`;
        const op = i % 4;
        await (op === 0 ? store.get(key) : op === 1 ? store.putIfAbsent(key, bytes('x')) : op === 2 ? store.putIfMatch(key, bytes('y'), 'e') : store.delete(key)).catch(() => undefined);
      }
      await store.faults.settle();
      const { latency: _latency, ...faults } = store.faults.counts;
      const total = Object.values(faults).reduce((a, b) => a + b, 0);
      assert.ok(total > calls * rate * 0.75 && total < calls * rate * 1.25, `rate ${rate}: ${total} faults in ${calls} calls (${store.faults.summary()})`);
      for (const mode of ['slow-down', 'conflict', 'lost-answer', 'land-later', 'fail-before'] as const) assert.ok(faults[mode] > 0, `${mode} at ${rate}`);
    }
  });
});
