import type { ListOptions, ListPage, ObjectStore, StoredObject, WriteResult } from '../../core/store/object-store.js';

/** Thrown in place of a store call once the simulated process has died. */
export class SimulatedCrash extends Error {
  constructor(readonly afterCalls: number) {
    super(`simulated crash after ${afterCalls} store calls`);
  }
}

/**
 * Wraps a real store and "kills the process" after a given number of calls: the call that
 * crosses the limit is performed (its effect lands, as when a Lambda dies after S3 answered),
 * and it and every later call throw. Counting only; it never changes what the store does.
 */
export class FaultInjectingStore implements ObjectStore {
  private calls = 0;
  private crashAfter: number | undefined;
  readonly log: string[] = [];

  constructor(private readonly inner: ObjectStore) {}

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

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    if (this.crashAfter !== undefined && this.calls >= this.crashAfter) throw new SimulatedCrash(this.crashAfter);
    this.calls++;
    this.log.push(what);
    const result = await run();
    if (this.crashAfter !== undefined && this.calls >= this.crashAfter) throw new SimulatedCrash(this.crashAfter);
    return result;
  }

  get(key: string): Promise<StoredObject | undefined> {
    return this.call(`GET ${key}`, () => this.inner.get(key));
  }
  putIfAbsent(key: string, body: Uint8Array): Promise<WriteResult> {
    return this.call(`PUT-IF-ABSENT ${key}`, () => this.inner.putIfAbsent(key, body));
  }
  putIfMatch(key: string, body: Uint8Array, etag: string): Promise<WriteResult> {
    return this.call(`PUT-IF-MATCH ${key}`, () => this.inner.putIfMatch(key, body, etag));
  }
  put(key: string, body: Uint8Array): Promise<{ etag: string }> {
    return this.call(`PUT ${key}`, () => this.inner.put(key, body));
  }
  delete(key: string, options?: { ifMatch?: string }): Promise<{ deleted: boolean }> {
    return this.call(`DELETE ${key}`, () => this.inner.delete(key, options));
  }
  list(options: ListOptions): Promise<ListPage> {
    return this.call(`LIST ${options.prefix}`, () => this.inner.list(options));
  }
}
