import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { CommitStateUnknownError } from '../errors.js';
import { isJsonObject, type JsonValue } from '../json/lossless-json.js';
import { LruCache } from '../lru-cache.js';
import { listAll } from '../store/object-store.js';
import type { RecordStore } from '../store/record-store.js';
import type { AuthKeys } from './auth-keys.js';
import type { Principal } from './principal.js';
import { apiKeyDigest, digestsEqual } from './secret-hashing.js';
import type { SecretsProvider } from './secrets.js';

/**
 * API keys: `<id>.<secret>`, e.g. `ak_3kT9qv0cX1bYz8Lw.Q2h…` (43 characters of secret). The id finds
 * the record; the secret (256 random bits) is checked against the record's keyed hash. The key is
 * shown once, when created; the catalog keeps only the hash.
 *
 * A warm function reuses a record for `cacheTtlMs` (a revocation made in another container takes
 * effect within that time; in this one at once). Last use is recorded without a write per request:
 * at most once per key per LAST_USED_RESOLUTION_MS, with a conditional write that gives way to any
 * concurrent change (a revocation always wins).
 */
export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly hash: string;
  readonly groups: readonly string[];
  /** The user the key acts for (the key is then `in` that user for policies). */
  readonly user: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
  readonly lastUsedAt: string | null;
}

export type ApiKeyInfo = Omit<ApiKeyRecord, 'hash'>;

export const API_KEY_ID_PREFIX = 'ak_';
export const API_KEY = /^(ak_[A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/;
export const LAST_USED_RESOLUTION_MS = 60 * 60 * 1000;
/**
 * Key records remembered per container. Ids come from unauthenticated callers, so the cache is
 * bounded, and an id that names no key is remembered only briefly: enough to absorb a client's
 * retries, too short to let random ids pile up (they also cost a store GET each).
 */
export const API_KEY_CACHE_SIZE = 10_000;
export const UNKNOWN_KEY_CACHE_MS = 1_000;

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function nullableString(value: JsonValue | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

export function readApiKey(value: JsonValue, key: string): ApiKeyRecord {
  if (!isJsonObject(value)) throw new Error(`api key record ${key} is not an object`);
  const { id, name, hash, createdAt, createdBy } = value;
  if (typeof id !== 'string' || typeof name !== 'string' || typeof hash !== 'string' || typeof createdAt !== 'string' || typeof createdBy !== 'string') {
    throw new Error(`api key record ${key} is malformed`);
  }
  return {
    id,
    name,
    hash,
    groups: strings(value['groups']),
    user: nullableString(value['user']),
    createdAt,
    createdBy,
    expiresAt: nullableString(value['expiresAt']),
    revokedAt: nullableString(value['revokedAt']),
    revokedBy: nullableString(value['revokedBy']),
    lastUsedAt: nullableString(value['lastUsedAt']),
  };
}

function apiKeyJson(record: ApiKeyRecord): JsonValue {
  return { ...record, groups: [...record.groups] };
}

export function apiKeyInfo(record: ApiKeyRecord): ApiKeyInfo {
  const { hash: _hash, ...info } = record;
  return info;
}

interface CachedKey {
  readonly record: ApiKeyRecord | undefined;
  readonly etag: string | undefined;
}

export interface NewApiKey {
  readonly name: string;
  readonly groups?: readonly string[];
  readonly user?: string | null;
  readonly expiresAt?: string | null;
  /** Fixed id (the bootstrap key); otherwise random. */
  readonly id?: string;
}

export class ApiKeys {
  private readonly cache: LruCache<CachedKey>;
  /** Keys whose last use this container wrote, and when (ids of valid keys only: a hash matched). */
  private readonly lastUseWritten = new LruCache<number>(API_KEY_CACHE_SIZE);

  constructor(
    private readonly records: RecordStore,
    private readonly keys: AuthKeys,
    private readonly secrets: SecretsProvider,
    private readonly clock: Clock,
    cacheTtlMs: number,
  ) {
    // LruCache needs a positive age; a TTL of 0 (no reuse) becomes 1 ms.
    this.cache = new LruCache<CachedKey>(API_KEY_CACHE_SIZE, Math.max(cacheTtlMs, 1), () => clock.now());
  }

  /** How many key ids this container remembers (bounded by API_KEY_CACHE_SIZE). */
  get cachedIds(): number {
    return this.cache.size;
  }

  /** Creates a key; the returned `key` is the only time the secret exists outside the caller. */
  async create(spec: NewApiKey, by: string): Promise<{ key: string; record: ApiKeyRecord }> {
    const id = spec.id ?? `${API_KEY_ID_PREFIX}${randomBytes(12).toString('base64url')}`;
    const secret = randomBytes(32).toString('base64url');
    const { apiKeyHashKey } = await this.secrets.get();
    const record: ApiKeyRecord = {
      id,
      name: spec.name,
      hash: await apiKeyDigest(apiKeyHashKey, id, secret),
      groups: [...(spec.groups ?? [])],
      user: spec.user ?? null,
      createdAt: new Date(this.clock.now()).toISOString(),
      createdBy: by,
      expiresAt: spec.expiresAt ?? null,
      revokedAt: null,
      revokedBy: null,
      lastUsedAt: null,
    };
    const result = await this.records.create(this.keys.apiKey(id), apiKeyJson(record));
    if (!result.ok) throw new CommitStateUnknownError(`API key ${id} could not be stored (${result.reason})`);
    this.cache.delete(id);
    return { key: `${id}.${secret}`, record };
  }

  async list(): Promise<ApiKeyRecord[]> {
    const found: ApiKeyRecord[] = [];
    for await (const page of listAll(this.records.objects, { prefix: this.keys.apiKeysPrefix() })) {
      const read = await Promise.all(page.objects.map((o) => this.records.read(o.key, readApiKey)));
      found.push(...read.filter((r) => r !== undefined).map((r) => r.value));
    }
    return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    return (await this.records.read(this.keys.apiKey(id), readApiKey))?.value;
  }

  /** Marks the key revoked (kept for the record); undefined when there is no such key. */
  async revoke(id: string, by: string): Promise<ApiKeyRecord | undefined> {
    const key = this.keys.apiKey(id);
    for (;;) {
      const current = await this.records.read(key, readApiKey);
      if (current === undefined) return undefined;
      if (current.value.revokedAt !== null) return current.value;
      const revoked = { ...current.value, revokedAt: new Date(this.clock.now()).toISOString(), revokedBy: by };
      const result = await this.records.replace(key, apiKeyJson(revoked), current.etag);
      this.cache.delete(id);
      if (result.ok) return revoked;
      if (result.reason === 'unknown') throw new CommitStateUnknownError(`Revocation of API key ${id} may or may not have been stored`);
    }
  }

  /** Whether a bearer credential has the shape of an API key (rather than a JWT). */
  static looksLikeApiKey(credential: string): boolean {
    return API_KEY.test(credential);
  }

  /** The principal of a valid key; undefined for an unknown, wrong, revoked or expired one. */
  async verify(credential: string): Promise<Principal | undefined> {
    const match = API_KEY.exec(credential);
    if (match === null) return undefined;
    const [, id, secret] = match as unknown as [string, string, string];
    const cached = await this.cachedRecord(id);
    const record = cached.record;
    if (record === undefined) return undefined;
    const { apiKeyHashKey } = await this.secrets.get();
    if (!digestsEqual(await apiKeyDigest(apiKeyHashKey, id, secret), record.hash)) return undefined;
    const now = this.clock.now();
    if (record.revokedAt !== null) return undefined;
    if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now) return undefined;
    await this.noteUse(record, cached.etag, now);
    return { type: 'ApiKey', id: record.id, groups: record.groups, ...(record.user !== null ? { user: record.user } : {}), authMethod: 'api-key' };
  }

  private async cachedRecord(id: string): Promise<CachedKey> {
    const hit = this.cache.get(id);
    if (hit !== undefined) return hit;
    const read = await this.records.read(this.keys.apiKey(id), readApiKey);
    const entry: CachedKey = { record: read?.value, etag: read?.etag };
    if (read === undefined) this.cache.set(id, entry, UNKNOWN_KEY_CACHE_MS);
    else this.cache.set(id, entry);
    return entry;
  }

  private async noteUse(record: ApiKeyRecord, etag: string | undefined, now: number): Promise<void> {
    const last = Math.max(record.lastUsedAt === null ? 0 : Date.parse(record.lastUsedAt), this.lastUseWritten.get(record.id) ?? 0);
    if (etag === undefined || now - last < LAST_USED_RESOLUTION_MS) return;
    this.lastUseWritten.set(record.id, now);
    const updated = { ...record, lastUsedAt: new Date(now).toISOString() };
    let result: Awaited<ReturnType<RecordStore['replace']>>;
    try {
      result = await this.records.replace(this.keys.apiKey(record.id), apiKeyJson(updated), etag);
    } catch {
      return; // last use is bookkeeping: it never fails a request
    }
    // Lost to a concurrent change (another container's note, or a revocation): re-read next time.
    if (result.ok) this.cache.set(record.id, { record: updated, etag: result.etag });
    else this.cache.delete(record.id);
  }
}
