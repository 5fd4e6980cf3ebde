import type { Clock } from '../clock.js';
import { LruCache } from '../lru-cache.js';

/**
 * Limits on the expensive, unauthenticated work of the token endpoint (an Argon2id check costs
 * ~100 ms of CPU on the event loop). Two independent bounds:
 *
 * - `FailureBudget`: per client id (known or not, so the lockout says nothing about existence), at
 *   most `maxFailures` wrong secrets per `windowMs`; after that the id is locked out until the
 *   window ends, and checks for it are refused without hashing. This also stops online guessing of
 *   a person-chosen secret.
 * - `TokenBucket`: for the whole container, at most `capacity` Argon2 checks in a burst and `ratePerSecond`
 *   after that. A right secret gives its token back, so only failures drain it; when it is empty,
 *   person-chosen secrets are refused for a moment instead of slowing every other request.
 *
 * A refusal says when asking again can succeed (`lockoutRemainingMs`, `waitMs`): the token endpoint
 * sends it as `Retry-After`, so a well-behaved client waits instead of retrying into the refusal.
 *
 * Both are per container; on Lambda each container is also one concurrency slot.
 */
interface Window {
  readonly startedAt: number;
  readonly failures: number;
}

export class FailureBudget {
  private readonly windows: LruCache<Window>;

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
    /** Bounded: ids are caller input. Evicting an old entry only forgets a lockout early. */
    maxTracked = 10_000,
  ) {
    this.windows = new LruCache<Window>(maxTracked, windowMs, () => clock.now());
  }

  lockedOut(key: string): boolean {
    return this.lockoutRemainingMs(key) > 0;
  }

  /** How long the key stays locked out; 0 when it is not. */
  lockoutRemainingMs(key: string): number {
    const current = this.windows.get(key);
    if (current === undefined || current.failures < this.maxFailures) return 0;
    return Math.max(1, current.startedAt + this.windowMs - this.clock.now());
  }

  fail(key: string): void {
    const now = this.clock.now();
    const current = this.windows.get(key);
    if (current === undefined) this.windows.set(key, { startedAt: now, failures: 1 });
    // The entry keeps its window: it expires windowMs after the first failure, not the last.
    else this.windows.set(key, { startedAt: current.startedAt, failures: current.failures + 1 }, current.startedAt + this.windowMs - now);
  }
}

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly capacity: number,
    private readonly ratePerSecond: number,
    private readonly clock: Clock,
  ) {
    this.tokens = capacity;
    this.updatedAt = clock.now();
  }

  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** How long until a take can succeed; 0 when one can now. */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond);
    this.updatedAt = now;
  }

  giveBack(): void {
    this.tokens = Math.min(this.capacity, this.tokens + 1);
  }
}

/** Runs tasks one at a time, so a burst of CPU-bound checks leaves the event loop free between them. */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;

  /** Tasks waiting or running: callers refuse new work beyond a bound instead of queueing without end. */
  get pending(): number {
    return this.queued;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    this.queued++;
    // setImmediate, not a bare promise chain: the next task waits for a macrotask turn, so I/O
    // (other requests) runs between two checks instead of after the whole burst.
    const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
    const result = this.tail.then(turn, turn).then(task).finally(() => this.queued--);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
