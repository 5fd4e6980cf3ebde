/**
 * A map bounded in entries (least recently used goes first) and, optionally, in age (an entry
 * expires after maxAgeMs). Per-container caches use it: data keys, parsed metadata files, load answers.
 */
export class LruCache<V> {
  private readonly entries = new Map<string, { readonly value: V; readonly expiresAt: number }>();

  constructor(
    private readonly maxEntries: number,
    /** Infinity for immutable values (files named once, never rewritten). */
    private readonly maxAgeMs: number = Number.POSITIVE_INFINITY,
    private readonly now: () => number = Date.now,
  ) {
    if (!(maxEntries >= 1) || !(maxAgeMs > 0)) throw new RangeError('LruCache needs maxEntries >= 1 and maxAgeMs > 0');
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (this.now() >= entry.expiresAt) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  /** `maxAgeMs` shortens this entry's life (e.g. a negative answer kept briefly); never lengthens it. */
  set(key: string, value: V, maxAgeMs: number = this.maxAgeMs): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + Math.min(maxAgeMs, this.maxAgeMs) });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
