import { canonicalContext, type DataKey, type EncryptionContext, type KeyProvider } from './key-provider.js';
import { LruCache } from '../lru-cache.js';

/** How long one generated data key keeps encrypting new records. */
export const DATA_KEY_MAX_AGE_MS = 5 * 60 * 1000;
/** How many records one generated data key encrypts at most (random 96-bit nonces stay far from collision). */
export const DATA_KEY_MAX_USES = 10_000;
/** Contexts (catalog × warehouse) with a live encryption key. */
export const DATA_KEY_MAX_CONTEXTS = 256;
/** Unwrapped data keys kept, by wrapped key: records written by other containers use other data keys. */
export const DECRYPTED_KEY_CACHE_ENTRIES = 1_000;
/** How long an unwrapped data key is kept, so a revoked KMS grant takes effect within this time. */
export const DECRYPTED_KEY_MAX_AGE_MS = 15 * 60 * 1000;

export interface DataKeyCacheLimits {
  readonly maxAgeMs: number;
  readonly maxUses: number;
  readonly maxContexts: number;
  readonly decryptedEntries: number;
  readonly decryptedMaxAgeMs: number;
}

export const DEFAULT_DATA_KEY_CACHE_LIMITS: DataKeyCacheLimits = {
  maxAgeMs: DATA_KEY_MAX_AGE_MS,
  maxUses: DATA_KEY_MAX_USES,
  maxContexts: DATA_KEY_MAX_CONTEXTS,
  decryptedEntries: DECRYPTED_KEY_CACHE_ENTRIES,
  decryptedMaxAgeMs: DECRYPTED_KEY_MAX_AGE_MS,
};

interface LiveDataKey {
  readonly key: DataKey;
  uses: number;
}

/**
 * Keeps a warm container off the key service. Per context, one generated data key encrypts new
 * records for a bounded time and number of uses; unwrapped data keys are kept in a bounded LRU keyed
 * by key id, context and wrapped key (a context mismatch is never served from the cache). Concurrent
 * requests for the same key share one call. Failures are not cached. Built once per container.
 */
export class CachingKeyProvider implements KeyProvider {
  private readonly limits: DataKeyCacheLimits;
  private readonly live: LruCache<LiveDataKey>;
  private readonly decrypted: LruCache<Uint8Array>;
  private readonly generating = new Map<string, Promise<LiveDataKey>>();
  private readonly decrypting = new Map<string, Promise<Uint8Array>>();

  constructor(
    private readonly inner: KeyProvider,
    limits: Partial<DataKeyCacheLimits> = {},
    now: () => number = Date.now,
  ) {
    this.limits = { ...DEFAULT_DATA_KEY_CACHE_LIMITS, ...limits };
    if (!(this.limits.maxUses >= 1)) throw new RangeError('data key maxUses must be at least 1');
    this.live = new LruCache(this.limits.maxContexts, this.limits.maxAgeMs, now);
    this.decrypted = new LruCache(this.limits.decryptedEntries, this.limits.decryptedMaxAgeMs, now);
  }

  async generateDataKey(context: EncryptionContext): Promise<DataKey> {
    const id = canonicalContext(context);
    const cached = this.live.get(id);
    if (cached !== undefined && cached.uses < this.limits.maxUses) {
      cached.uses += 1;
      return cached.key;
    }
    let pending = this.generating.get(id);
    if (pending === undefined) {
      pending = this.inner.generateDataKey(context).then((key) => {
        const fresh: LiveDataKey = { key, uses: 0 };
        this.live.set(id, fresh);
        // Reading back what this container wrote needs no unwrap call either.
        this.decrypted.set(decryptedKeyId(key.keyId, key.ciphertext, id), key.plaintext);
        return fresh;
      });
      this.generating.set(id, pending);
      void pending.then(
        () => this.generating.delete(id),
        () => this.generating.delete(id),
      );
    }
    const fresh = await pending;
    fresh.uses += 1;
    return fresh.key;
  }

  async decryptDataKey(keyId: string, ciphertext: Uint8Array, context: EncryptionContext): Promise<Uint8Array> {
    const id = decryptedKeyId(keyId, ciphertext, canonicalContext(context));
    const cached = this.decrypted.get(id);
    if (cached !== undefined) return cached;
    let pending = this.decrypting.get(id);
    if (pending === undefined) {
      pending = this.inner.decryptDataKey(keyId, ciphertext, context).then((plaintext) => {
        this.decrypted.set(id, plaintext);
        return plaintext;
      });
      this.decrypting.set(id, pending);
      void pending.then(
        () => this.decrypting.delete(id),
        () => this.decrypting.delete(id),
      );
    }
    return pending;
  }
}

function decryptedKeyId(keyId: string, ciphertext: Uint8Array, context: string): string {
  return `${keyId}\u0000${context}\u0000${Buffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength).toString('base64')}`;
}
