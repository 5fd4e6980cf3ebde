import type { CredentialVendor, VendedCredentials, VendRequest } from './credential-vendor.js';

/**
 * Credentials are reused while more than this fraction of their lifetime is left, so a client
 * always gets at least half of the configured lifetime (30 minutes of the default hour) and a warm
 * container calls STS about twice per lifetime per (table, level), whatever the request rate.
 */
export const REUSE_WHILE_REMAINING_FRACTION = 0.5;
/** Tables a warm container vends for; beyond that the least recently used entry is dropped. */
export const MAX_CACHED_CREDENTIALS = 512;

interface Entry {
  readonly credentials: VendedCredentials;
  readonly issuedAtMs: number;
}

/**
 * Vended credentials kept per (table location, access level) in a warm container, and one STS call
 * shared by concurrent misses. The key has no caller: two readers of a table get the same read-only
 * credentials, which can do exactly what each of them may, no more; the role session name (and so
 * CloudTrail's attribution) is that of the caller whose request minted them, while the catalog's
 * own audit names every caller who received them. Access levels never share an entry.
 */
export class CachingCredentialVendor implements CredentialVendor {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<VendedCredentials>>();

  constructor(
    private readonly inner: CredentialVendor,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = MAX_CACHED_CREDENTIALS,
  ) {}

  async vend(request: VendRequest): Promise<VendedCredentials> {
    const key = `${request.level}\u0000${request.prefix.bucket}\u0000${request.prefix.key}`;
    const found = this.entries.get(key);
    if (found !== undefined && this.fresh(found)) {
      // Most recently used last, so eviction drops the coldest table.
      this.entries.delete(key);
      this.entries.set(key, found);
      return found.credentials;
    }
    const pending = this.inFlight.get(key);
    if (pending !== undefined) return pending;
    const issuedAtMs = this.now();
    const call = this.inner.vend(request).then(
      (credentials) => {
        this.inFlight.delete(key);
        this.entries.delete(key);
        this.entries.set(key, { credentials, issuedAtMs });
        while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
        return credentials;
      },
      (error: unknown) => {
        // A failure is not cached: the next request tries STS again.
        this.inFlight.delete(key);
        throw error;
      },
    );
    this.inFlight.set(key, call);
    return call;
  }

  private fresh(entry: Entry): boolean {
    const lifetime = entry.credentials.expiresAtMs - entry.issuedAtMs;
    return entry.credentials.expiresAtMs - this.now() > lifetime * REUSE_WHILE_REMAINING_FRACTION;
  }
}
