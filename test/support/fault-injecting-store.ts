import { ServiceUnavailableError } from '../../core/errors.js';
import type { FileIO } from '../../core/store/file-io.js';
import type { ListOptions, ListPage, ObjectStore, StoredObject, WriteResult } from '../../core/store/object-store.js';
import { seededRandom } from '../../core/metadata/test-fixtures.js';

/** The seeded PRNG of the engine's generated tests (mulberry32): faults are deterministic per seed. */
export { seededRandom };

/**
 * Fault injection at the ObjectStore port (and the FileIO port), around ANY adapter (local files,
 * memory, S3/RGW), for tests that must meet the outcomes a real store produces under faults:
 *
 * - `fail-before`  a transport error before the request was sent: nothing lands, the call throws
 *                  (or, with `answer: 'unknown'`, a conditional write answers `{ok:false, reason:'unknown'}`).
 * - `lost-answer`  the call is performed (a write lands) and its answer is lost: conditional writes
 *                  answer `unknown` (the S3 adapter's answer when its attempt lands between its
 *                  last look and its answer), or throw (`answer: 'throw'`: its re-read failed too),
 *                  or `moved` (`answer: 'moved'`); other calls throw.
 * - `land-later`   a write answers as `lost-answer` but lands LATER: right after the next read of
 *                  the same key through this wrapper (`landAfter: 'next-read'`, the read still sees
 *                  the old value), after `landAfter: {delayMs}`, or never (`'never'`). A late
 *                  conditional write re-checks its condition when it lands, as S3 would. Reads and
 *                  listings have nothing to land: for them it acts as `fail-before`.
 * - `slow-down`    a 503 SlowDown storm that outlasted the adapter's retries: throws what the S3
 *                  adapter throws then (ServiceUnavailableError, status 503); nothing lands.
 * - `conflict`     409 ConditionalRequestConflict on every attempt of a conditional write, as the
 *                  S3 adapter ends it (conditionalPut): nothing lands; if the condition no longer
 *                  holds (a rival's bytes are there) the answer is `moved`, otherwise the adapter
 *                  gives up with ServiceUnavailableError. On other calls it acts as `slow-down`.
 * - `latency`      delays the call by `latencyMs` (a number or a [min, max] range), then performs
 *                  it; applies in addition to at most one of the modes above.
 *
 * Rules select calls by kind (`calls`) and key (`key`: a substring, RegExp or predicate) and fire
 * at a `rate` drawn from a seeded PRNG (never Math.random), or on a deterministic schedule (`nth`:
 * the 1-based ordinals of the matching calls), at most `limit` times; `burst` extends each firing
 * to the next burst-1 matching calls (storms). The first non-latency rule that fires wins. Every
 * injected fault is counted by mode (`counts`) and logged (`faultLog`). `beforeCall` holds calls
 * to force an interleaving between "Lambdas".
 *
 * The crash-after-N API of the crash tests is kept: `arm(n)` makes the n-th call land and then
 * every call throw SimulatedCrash.
 */

/** Thrown in place of a store call once the simulated process has died. */
export class SimulatedCrash extends Error {
  constructor(readonly afterCalls: number) {
    super(`simulated crash after ${afterCalls} store calls`);
  }
}

/** What a reset connection or a timeout looks like once the adapter gives up: not a CatalogError (a 500). */
export class InjectedTransportError extends Error {
  readonly injected = true;
  constructor(
    readonly mode: FaultMode,
    readonly call: CallKind,
    readonly key: string,
  ) {
    super(`Object store request failed: ${call} ${key}: injected ${mode} (socket hang up)`);
    this.name = 'InjectedTransportError';
  }
}

export type StoreCallKind = 'get' | 'putIfAbsent' | 'putIfMatch' | 'put' | 'delete' | 'list';
export type FileCallKind = 'file.read' | 'file.create' | 'file.delete' | 'file.list';
export type CallKind = StoreCallKind | FileCallKind;
export type FaultMode = 'fail-before' | 'lost-answer' | 'land-later' | 'slow-down' | 'conflict' | 'latency';

export const FAULT_MODES: readonly FaultMode[] = ['fail-before', 'lost-answer', 'land-later', 'slow-down', 'conflict', 'latency'];
export const WRITE_CALLS: readonly CallKind[] = ['putIfAbsent', 'putIfMatch', 'put', 'delete', 'file.create', 'file.delete'];
export const CONDITIONAL_CALLS: readonly CallKind[] = ['putIfAbsent', 'putIfMatch'];

export type KeyMatcher = string | RegExp | ((key: string) => boolean);
export type LandAfter = 'next-read' | 'never' | { readonly delayMs: number | readonly [number, number] };

export interface FaultRule {
  readonly mode: FaultMode;
  /** Call kinds the rule applies to (default: every kind). */
  readonly calls?: CallKind | readonly CallKind[];
  /** Keys (store keys, or file locations) the rule applies to (default: every key). */
  readonly key?: KeyMatcher;
  /** Probability per matching call, from the seeded PRNG. */
  readonly rate?: number;
  /** Deterministic: the 1-based ordinals of the matching calls that get the fault. */
  readonly nth?: readonly number[];
  /** At most this many faults from this rule (bursts included). */
  readonly limit?: number;
  /** Once the rule fires, the next burst-1 matching calls get the fault too. */
  readonly burst?: number;
  /** For lost-answer / land-later / fail-before on conditional writes: answer `unknown` (default for lost-answer and land-later), `moved`, or throw. */
  readonly answer?: 'unknown' | 'moved' | 'throw';
  /** For land-later (default 'next-read'). */
  readonly landAfter?: LandAfter;
  /** For latency (default [0, 50]). */
  readonly latencyMs?: number | readonly [number, number];
  /** For logs and counters; defaults to the mode. */
  readonly label?: string;
}

export interface InjectedFault {
  readonly seq: number;
  readonly mode: FaultMode;
  readonly call: CallKind;
  readonly key: string;
  readonly label: string;
  /** performance.now() when injected, to line faults up with the operations they hit. */
  readonly atMs: number;
}

interface ActiveRule {
  readonly rule: FaultRule;
  seen: number;
  fired: number;
  burstLeft: number;
}

function matchesKey(matcher: KeyMatcher | undefined, key: string): boolean {
  if (matcher === undefined) return true;
  if (typeof matcher === 'string') return key.includes(matcher);
  if (matcher instanceof RegExp) return matcher.test(key);
  return matcher(key);
}

function matchesCall(calls: FaultRule['calls'], call: CallKind): boolean {
  if (calls === undefined) return true;
  return typeof calls === 'string' ? calls === call : calls.includes(call);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The decisions and bookkeeping shared by the store and FileIO wrappers: rules, the PRNG, counters,
 * and the writes waiting to land late. One per simulated process (or shared, to correlate faults).
 */
export class FaultInjector {
  private rules: ActiveRule[] = [];
  private random: () => number;
  private seq = 0;
  private readonly waitingForRead = new Map<string, (() => Promise<unknown>)[]>();
  private readonly timers = new Set<Promise<unknown>>();
  /** Off: every call passes through (rules are kept). */
  enabled = true;
  /**
   * Awaited before every call (faults on or off): a test holds a call here to force an interleaving
   * (e.g. "the drop stops after its mark until the creates are done"), deterministically.
   */
  beforeCall: ((call: CallKind, key: string) => Promise<void> | void) | undefined;
  readonly counts: Record<FaultMode, number> = { 'fail-before': 0, 'lost-answer': 0, 'land-later': 0, 'slow-down': 0, conflict: 0, latency: 0 };
  readonly byCall: Partial<Record<CallKind, number>> = {};
  readonly lateWrites = { queued: 0, landed: 0, dropped: 0, neverLanding: 0 };
  /** The most recent faults (bounded), for failure reports. */
  readonly faultLog: InjectedFault[] = [];
  private readonly logLimit: number;

  constructor(options: { seed?: number; rules?: readonly FaultRule[]; logLimit?: number } = {}) {
    this.random = seededRandom(options.seed ?? 1);
    this.logLimit = options.logLimit ?? 500;
    for (const rule of options.rules ?? []) this.inject(rule);
  }

  reseed(seed: number): void {
    this.random = seededRandom(seed);
  }

  inject(rule: FaultRule): this {
    if (rule.rate !== undefined && (rule.rate < 0 || rule.rate > 1)) throw new Error(`rate out of range: ${rule.rate}`);
    this.rules.push({ rule, seen: 0, fired: 0, burstLeft: 0 });
    return this;
  }

  clearRules(): void {
    this.rules = [];
  }

  get totalFaults(): number {
    return FAULT_MODES.reduce((sum, mode) => sum + this.counts[mode], 0);
  }

  /** Counters as a compact string for summaries: `fail-before=3 lost-answer=1 …`. */
  summary(): string {
    const late = this.lateWrites;
    return `${FAULT_MODES.map((m) => `${m}=${this.counts[m]}`).join(' ')} (late writes: ${late.landed} landed, ${late.dropped} dropped, ${late.neverLanding} never, ${this.pendingLateWrites} pending)`;
  }

  get pendingLateWrites(): number {
    let n = this.timers.size;
    for (const list of this.waitingForRead.values()) n += list.length;
    return n;
  }

  /**
   * Lands every write still waiting for a read (in the order they were sent) and waits for the
   * delayed ones: after this, what the faults will ever land has landed.
   */
  async settle(): Promise<void> {
    for (;;) {
      const waiting = [...this.waitingForRead.entries()];
      this.waitingForRead.clear();
      for (const [, list] of waiting) for (const land of list) await land();
      if (this.timers.size === 0 && this.waitingForRead.size === 0) return;
      await Promise.allSettled([...this.timers]);
    }
  }

  /** Forgets the writes waiting to land (they never will). */
  dropLateWrites(): void {
    for (const list of this.waitingForRead.values()) this.lateWrites.dropped += list.length;
    this.waitingForRead.clear();
  }

  private record(mode: FaultMode, call: CallKind, key: string, rule: FaultRule): void {
    this.counts[mode]++;
    this.byCall[call] = (this.byCall[call] ?? 0) + 1;
    this.faultLog.push({ seq: ++this.seq, mode, call, key, label: rule.label ?? mode, atMs: performance.now() });
    if (this.faultLog.length > this.logLimit) this.faultLog.shift();
  }

  private fires(active: ActiveRule): boolean {
    const { rule } = active;
    active.seen++;
    if (rule.limit !== undefined && active.fired >= rule.limit) return false;
    let fire: boolean;
    if (active.burstLeft > 0) {
      active.burstLeft--;
      fire = true;
    } else {
      fire = rule.nth !== undefined ? rule.nth.includes(active.seen) : rule.rate !== undefined ? this.random() < rule.rate : true;
      if (fire && rule.burst !== undefined && rule.burst > 1) active.burstLeft = rule.burst - 1;
    }
    if (fire) active.fired++;
    return fire;
  }

  private drawMs(range: number | readonly [number, number]): number {
    if (typeof range === 'number') return range;
    return Math.floor(range[0] + this.random() * (range[1] - range[0]));
  }

  /** The fault for this call (latency applied here), or undefined to pass through. */
  async decide(call: CallKind, key: string): Promise<FaultRule | undefined> {
    if (this.beforeCall !== undefined) await this.beforeCall(call, key);
    if (!this.enabled) return undefined;
    let chosen: FaultRule | undefined;
    let delay = 0;
    for (const active of this.rules) {
      const { rule } = active;
      if (!matchesCall(rule.calls, call) || !matchesKey(rule.key, key)) continue;
      if (rule.mode !== 'latency' && chosen !== undefined) continue;
      if (!this.fires(active)) continue;
      if (rule.mode === 'latency') {
        delay += this.drawMs(rule.latencyMs ?? [0, 50]);
        this.record('latency', call, key, rule);
      } else {
        chosen = rule;
      }
    }
    if (delay > 0) await sleep(delay);
    return chosen;
  }

  /** Queues a write that lands later; `land` performs it against the inner store. */
  later(rule: FaultRule, key: string, land: () => Promise<unknown>): void {
    this.lateWrites.queued++;
    const after = rule.landAfter ?? 'next-read';
    const landed = async () => {
      try {
        await land();
        this.lateWrites.landed++;
      } catch {
        this.lateWrites.dropped++;
      }
    };
    if (after === 'never') {
      this.lateWrites.neverLanding++;
      return;
    }
    if (after === 'next-read') {
      const list = this.waitingForRead.get(key) ?? [];
      list.push(landed);
      this.waitingForRead.set(key, list);
      return;
    }
    const timer: Promise<unknown> = sleep(this.drawMs(after.delayMs))
      .then(landed)
      .finally(() => this.timers.delete(timer));
    this.timers.add(timer);
  }

  /** After a read of `key` completed: the writes waiting for it land now (the read saw the old value). */
  async afterRead(key: string): Promise<void> {
    const list = this.waitingForRead.get(key);
    if (list === undefined) return;
    this.waitingForRead.delete(key);
    for (const land of list) await land();
  }

  /** Applies `rule` to one call. `run` performs it on the inner store; `conditionHolds` (conditional writes) re-reads. */
  async apply<T>(
    rule: FaultRule,
    call: CallKind,
    key: string,
    run: () => Promise<T>,
    conditional: { readonly unknown: T; readonly moved: T; readonly conditionHolds: () => Promise<boolean> } | undefined,
  ): Promise<T> {
    const isWrite = WRITE_CALLS.includes(call);
    let mode = rule.mode;
    if (mode === 'land-later' && !isWrite) mode = 'fail-before';
    if (mode === 'conflict' && conditional === undefined) mode = 'slow-down';
    this.record(mode, call, key, rule);
    const unknownOrThrow = (defaultAnswer: 'unknown' | 'throw'): T => {
      const answer = rule.answer ?? defaultAnswer;
      if (conditional !== undefined && answer === 'unknown') return conditional.unknown;
      if (conditional !== undefined && answer === 'moved') return conditional.moved;
      throw new InjectedTransportError(mode, call, key);
    };
    switch (mode) {
      case 'fail-before':
        return unknownOrThrow('throw');
      case 'slow-down':
        throw Object.assign(new ServiceUnavailableError(`The object store is throttling requests (${call} ${key}); retry later`), { injected: true });
      case 'conflict':
        if (!(await conditional!.conditionHolds())) return conditional!.moved;
        throw Object.assign(new ServiceUnavailableError(`The object store did not accept the write of ${key} after 4 attempts; retry later`), { injected: true });
      case 'lost-answer':
        await run();
        return unknownOrThrow('unknown');
      case 'land-later':
        this.later(rule, key, run);
        return unknownOrThrow('unknown');
      case 'latency':
        return run();
    }
  }
}

/**
 * An ObjectStore that injects the faults its FaultInjector decides, around any adapter, plus the
 * crash-after-N switch of the crash tests.
 */
export class FaultInjectingStore implements ObjectStore {
  private calls = 0;
  private crashAfter: number | undefined;
  readonly log: string[] = [];
  readonly faults: FaultInjector;

  constructor(
    readonly inner: ObjectStore,
    faults?: FaultInjector | { seed?: number; rules?: readonly FaultRule[] },
  ) {
    this.faults = faults instanceof FaultInjector ? faults : new FaultInjector(faults);
  }

  get capabilities() {
    return this.inner.capabilities;
  }

  /** Crash once `count` more calls have been made; undefined disarms. */
  arm(count: number | undefined): void {
    this.calls = 0;
    this.crashAfter = count;
    this.log.length = 0;
  }

  get callCount(): number {
    return this.calls;
  }

  /** True once the armed crash point has passed: the simulated process is dead, whatever it answers. */
  get crashed(): boolean {
    return this.crashAfter !== undefined && this.calls >= this.crashAfter;
  }

  /** Shorthand for `faults.inject(rule)`. */
  inject(rule: FaultRule): this {
    this.faults.inject(rule);
    return this;
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    if (this.crashAfter !== undefined && this.calls >= this.crashAfter) throw new SimulatedCrash(this.crashAfter);
    this.calls++;
    this.log.push(what);
    const result = await run();
    if (this.crashAfter !== undefined && this.calls >= this.crashAfter) throw new SimulatedCrash(this.crashAfter);
    return result;
  }

  private async faulted<T>(
    call: StoreCallKind,
    key: string,
    run: () => Promise<T>,
    conditional?: { readonly unknown: T; readonly moved: T; readonly conditionHolds: () => Promise<boolean> },
  ): Promise<T> {
    const rule = await this.faults.decide(call, key);
    if (rule === undefined || rule.mode === 'latency') return run();
    return this.faults.apply(rule, call, key, run, conditional);
  }

  get(key: string): Promise<StoredObject | undefined> {
    return this.call(`GET ${key}`, async () => {
      const result = await this.faulted('get', key, () => this.inner.get(key));
      await this.faults.afterRead(key);
      return result;
    });
  }

  putIfAbsent(key: string, body: Uint8Array): Promise<WriteResult> {
    return this.call(`PUT-IF-ABSENT ${key}`, () =>
      this.faulted('putIfAbsent', key, () => this.inner.putIfAbsent(key, body), {
        unknown: { ok: false, reason: 'unknown' },
        moved: { ok: false, reason: 'moved' },
        conditionHolds: async () => (await this.inner.get(key)) === undefined,
      }),
    );
  }

  putIfMatch(key: string, body: Uint8Array, etag: string): Promise<WriteResult> {
    return this.call(`PUT-IF-MATCH ${key}`, () =>
      this.faulted('putIfMatch', key, () => this.inner.putIfMatch(key, body, etag), {
        unknown: { ok: false, reason: 'unknown' },
        moved: { ok: false, reason: 'moved' },
        conditionHolds: async () => (await this.inner.get(key))?.etag === etag,
      }),
    );
  }

  put(key: string, body: Uint8Array): Promise<{ etag: string }> {
    return this.call(`PUT ${key}`, () => this.faulted('put', key, () => this.inner.put(key, body)));
  }

  delete(key: string, options?: Parameters<ObjectStore['delete']>[1]): Promise<{ deleted: boolean }> {
    return this.call(`DELETE ${key}`, () => this.faulted('delete', key, () => this.inner.delete(key, options)));
  }

  list(options: ListOptions): Promise<ListPage> {
    return this.call(`LIST ${options.prefix}`, () => this.faulted('list', options.prefix, () => this.inner.list(options)));
  }
}

/**
 * The same faults on table and view metadata files (FileIO), keyed by location. A file create has
 * no `unknown` answer at this port: lost answers and late landings throw.
 */
export class FaultInjectingFileIO implements FileIO {
  constructor(
    readonly inner: FileIO,
    readonly faults: FaultInjector,
  ) {}

  private async faulted<T>(call: FileCallKind, location: string, run: () => Promise<T>): Promise<T> {
    const rule = await this.faults.decide(call, location);
    if (rule === undefined || rule.mode === 'latency') return run();
    return this.faults.apply({ ...rule, answer: 'throw' }, call, location, run, undefined);
  }

  async read(location: string): Promise<Uint8Array | undefined> {
    const result = await this.faulted('file.read', location, () => this.inner.read(location));
    await this.faults.afterRead(location);
    return result;
  }

  create(location: string, bytes: Uint8Array): Promise<'created' | 'exists'> {
    return this.faulted('file.create', location, () => this.inner.create(location, bytes));
  }

  delete(location: string): Promise<void> {
    return this.faulted('file.delete', location, () => this.inner.delete(location));
  }

  list(prefix: string): Promise<string[]> {
    return this.faulted('file.list', prefix, () => this.inner.list(prefix));
  }
}

/**
 * The fault mix of the black-box review (fault-review.md, method notes), as port-level rules at a
 * total `rate`: SlowDown 25 %, ConditionalRequestConflict 15 % (conditional writes only),
 * forward-then-500 (lost answer) 20 %, forward-then-reset split between lost answers and writes
 * that land late, reset-before-forward 25 %; latency drawn independently at the same rate.
 * `mix: 'unknown-heavy'` makes most faults leave the outcome open (lost answers and late landings
 * 70 %), to press on invariant 8.
 *
 * The rates are per port call, i.e. after the S3 adapter's own retries (the SDK retries reads 3
 * times, the adapter sends a conditional write up to 4 times): harsher than the same rate per
 * HTTP request on the wire.
 */
export function chaosRules(rate: number, options: { readonly files?: boolean; readonly maxLatencyMs?: number; readonly mix?: 'review' | 'unknown-heavy' } = {}): FaultRule[] {
  const storeCalls: CallKind[] = ['get', 'putIfAbsent', 'putIfMatch', 'put', 'delete', 'list'];
  const fileCalls: CallKind[] = options.files === true ? ['file.read', 'file.create', 'file.delete'] : [];
  const all = [...storeCalls, ...fileCalls];
  const writes = all.filter((c) => WRITE_CALLS.includes(c));
  const heavy = options.mix === 'unknown-heavy';
  // Rules are tried in order and the first that fires wins, so each rate is conditional on the earlier ones not firing.
  const shares: { mode: FaultMode; share: number; calls: CallKind[]; extra?: Partial<FaultRule> }[] = [
    { mode: 'slow-down', share: heavy ? 0.1 : 0.25, calls: all },
    { mode: 'conflict', share: heavy ? 0.1 : 0.15, calls: [...CONDITIONAL_CALLS] },
    { mode: 'lost-answer', share: heavy ? 0.3 : 0.2, calls: all },
    { mode: 'land-later', share: heavy ? 0.2 : 0.08, calls: writes, extra: { landAfter: { delayMs: [0, 200] } } },
    { mode: 'land-later', share: heavy ? 0.2 : 0.07, calls: writes, extra: { landAfter: 'next-read' } },
    { mode: 'fail-before', share: heavy ? 0.1 : 0.25, calls: all },
  ];
  const rules: FaultRule[] = [{ mode: 'latency', calls: all, rate, latencyMs: [0, options.maxLatencyMs ?? 30] }];
  let earlier = 0;
  for (const { mode, share, calls, extra } of shares) {
    rules.push({ mode, calls, rate: Math.min(1, (rate * share) / Math.max(1e-9, 1 - earlier * rate)), ...extra });
    earlier += share;
  }
  return rules;
}
