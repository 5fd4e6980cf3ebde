import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { AlreadyExistsError, BadRequestError, CommitStateUnknownError } from '../errors.js';
import { isJsonObject, type JsonValue } from '../json/lossless-json.js';
import { LruCache } from '../lru-cache.js';
import { listAll } from '../store/object-store.js';
import type { RecordStore } from '../store/record-store.js';
import type { AuthKeys } from './auth-keys.js';
import { FailureBudget, Serial, TokenBucket } from './failure-budget.js';
import {
  GENERATED_CLIENT_SECRET,
  generateClientSecret,
  hashClientSecret,
  hashGeneratedClientSecret,
  isGeneratedSecretHash,
  verifyClientSecret,
  verifyGeneratedClientSecret,
} from './secret-hashing.js';
import type { SecretsProvider } from './secrets.js';


/**
 * OAuth clients for the client-credentials grant at `/v1/oauth/tokens` (how Spark and PyIceberg log
 * in with `credential=<id>:<secret>`). A client's tokens name `principal` (the client id unless
 * given) and `groups`.
 *
 * Secrets: one the catalog generates (`ocs_` + 256 random bits) is stored as a keyed BLAKE3 hash,
 * like an API key; one a person chose is stored with scrypt (memory-hard, computed off the event
 * loop; older records: Argon2id), which makes guessing expensive, and its checks run one at a time
 * and are rationed (see failure-budget.ts), so unauthenticated requests cannot keep the CPU busy
 * with them. An unknown id costs the same as a known one with a wrong secret (a check against a
 * dummy hash of the same kind), so timing does not tell ids apart.
 */
export interface OAuthClientRecord {
  readonly id: string;
  readonly name: string;
  readonly secretHash: string;
  readonly principal: string;
  readonly groups: readonly string[];
  readonly createdAt: string;
  readonly createdBy: string;
}

export type OAuthClientInfo = Omit<OAuthClientRecord, 'secretHash'>;

export const OAUTH_CLIENT_ID_PREFIX = 'oc_';
/** A secret chosen by a person must be at least this long. */
export const MIN_CLIENT_SECRET_LENGTH = 16;

export function readOAuthClient(value: JsonValue, key: string): OAuthClientRecord {
  if (!isJsonObject(value)) throw new Error(`oauth client record ${key} is not an object`);
  const { id, name, secretHash, principal, createdAt, createdBy, groups } = value;
  if (typeof id !== 'string' || typeof name !== 'string' || typeof secretHash !== 'string' || typeof principal !== 'string' || typeof createdAt !== 'string' || typeof createdBy !== 'string') {
    throw new Error(`oauth client record ${key} is malformed`);
  }
  return { id, name, secretHash, principal, groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [], createdAt, createdBy };
}

export function oauthClientInfo(record: OAuthClientRecord): OAuthClientInfo {
  const { secretHash: _secretHash, ...info } = record;
  return info;
}

/** Wrong secrets per client id before it is locked out, and for how long. */
export const CLIENT_FAILURES_BEFORE_LOCKOUT = 10;
export const CLIENT_LOCKOUT_WINDOW_MS = 5 * 60_000;
/** Chosen-secret checks per container: a burst of this many, then this many per second (~20% of a core). */
export const ARGON2_BURST = 4;
export const ARGON2_PER_SECOND = 2;
/**
 * Chosen-secret checks waiting or running per container. On a slow or busy machine a check takes
 * longer than the rate assumes; past this many, requests are refused rather than left to wait.
 */
export const MAX_QUEUED_CHECKS = 4;

/** Retry-After for a check refused because the queue is full: a queued check takes ~100 ms, so the queue drains within a second. */
const QUEUE_FULL_RETRY_MS = 1000;

/**
 * The check was refused without hashing anything; the token endpoint answers 401 `invalid_client`
 * with `Retry-After` (see docs/security.md). `retryAfterMs` is when asking again can succeed.
 */
export class ClientCheckThrottled extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'ClientCheckThrottled';
  }
}

export class OAuthClients {
  private readonly failures: FailureBudget;
  private readonly argon2Budget: TokenBucket;
  private readonly argon2Queue = new Serial();
  private dummyArgon2Hash: Promise<string> | undefined;
  private chosenChecks = 0;
  /** Whether a client exists, per id, for checks of its tokens on every request. */
  private readonly existence: LruCache<boolean>;

  constructor(
    private readonly records: RecordStore,
    private readonly keys: AuthKeys,
    private readonly secrets: SecretsProvider,
    private readonly clock: Clock,
    /** How long a warm container trusts what it read about a client (CATALOG_AUTH_CACHE_TTL). */
    cacheTtlMs: number,
    /** The chosen-secret check (scrypt, or Argon2id for older records); a seam for tests that count checks rather than time them. */
    private readonly argon2Verify: (secret: string, encoded: string) => Promise<boolean> = verifyClientSecret,
  ) {
    this.failures = new FailureBudget(CLIENT_FAILURES_BEFORE_LOCKOUT, CLIENT_LOCKOUT_WINDOW_MS, clock);
    this.argon2Budget = new TokenBucket(ARGON2_BURST, ARGON2_PER_SECOND, clock);
    this.existence = new LruCache<boolean>(10_000, Math.max(cacheTtlMs, 1), () => clock.now());
  }

  async create(spec: { name: string; principal?: string; groups?: readonly string[]; secret?: string; id?: string }, by: string): Promise<{ secret: string; record: OAuthClientRecord }> {
    const id = spec.id ?? `${OAUTH_CLIENT_ID_PREFIX}${randomBytes(12).toString('base64url')}`;
    // A chosen secret of the generated shape would be checked as a generated one and never match.
    if (spec.secret !== undefined && GENERATED_CLIENT_SECRET.test(spec.secret)) throw new BadRequestError('Invalid secret: omit it to have one generated');
    const secret = spec.secret ?? generateClientSecret();
    const secretHash = spec.secret === undefined ? await hashGeneratedClientSecret((await this.secrets.get()).apiKeyHashKey, id, secret) : await hashClientSecret(secret);
    const record: OAuthClientRecord = {
      id,
      name: spec.name,
      secretHash,
      principal: spec.principal ?? id,
      groups: [...(spec.groups ?? [])],
      createdAt: new Date(this.clock.now()).toISOString(),
      createdBy: by,
    };
    const result = await this.records.create(this.keys.oauthClient(id), { ...record, groups: [...record.groups] });
    if (!result.ok && result.reason === 'precondition-failed') throw new AlreadyExistsError(`OAuth client already exists: ${id}`);
    if (!result.ok) throw new CommitStateUnknownError(`OAuth client ${id} may or may not have been stored`);
    this.existence.delete(id);
    return { secret, record };
  }

  async list(): Promise<OAuthClientRecord[]> {
    const found: OAuthClientRecord[] = [];
    for await (const page of listAll(this.records.objects, { prefix: this.keys.oauthClientsPrefix() })) {
      const read = await Promise.all(page.objects.map((o) => this.records.read(o.key, readOAuthClient)));
      found.push(...read.filter((r) => r !== undefined).map((r) => r.value));
    }
    return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async delete(id: string): Promise<boolean> {
    const key = this.keys.oauthClient(id);
    if ((await this.records.objects.get(key)) === undefined) return false;
    await this.records.delete(key);
    this.existence.delete(id);
    return true;
  }

  /**
   * Whether the client still exists: its tokens (and the tokens exchanged for them) stop working
   * once it is deleted, in this container at once, in others within the cache TTL.
   */
  /**
   * Chosen-secret checks (scrypt or Argon2id) this container has run: the expensive work the
   * rationing bounds. Tests assert on it instead of on time.
   */
  get chosenSecretChecks(): number {
    return this.chosenChecks;
  }

  async exists(id: string): Promise<boolean> {
    const hit = this.existence.get(id);
    if (hit !== undefined) return hit;
    const found = (await this.records.read(this.keys.oauthClient(id), readOAuthClient)) !== undefined;
    this.existence.set(id, found);
    return found;
  }

  /**
   * The client when the secret is right; undefined otherwise (unknown id and wrong secret alike).
   * Throws ClientCheckThrottled when the id is locked out or Argon2 checks are rationed.
   */
  async verify(id: string, secret: string): Promise<OAuthClientRecord | undefined> {
    if (id.length > 256 || secret.length > 1024) return undefined;
    const lockout = this.failures.lockoutRemainingMs(id);
    if (lockout > 0) throw new ClientCheckThrottled(`client id locked out after ${CLIENT_FAILURES_BEFORE_LOCKOUT} failures`, lockout);
    const found = (await this.records.read(this.keys.oauthClient(id), readOAuthClient))?.value;
    const ok = GENERATED_CLIENT_SECRET.test(secret) ? await this.verifyGenerated(id, secret, found) : await this.verifyChosen(secret, found);
    if (!ok) this.failures.fail(id);
    return ok ? found : undefined;
  }

  private async verifyGenerated(id: string, secret: string, found: OAuthClientRecord | undefined): Promise<boolean> {
    const { apiKeyHashKey } = await this.secrets.get();
    // The digest is computed for an unknown id too, so both take the same time.
    const right = await verifyGeneratedClientSecret(apiKeyHashKey, id, secret, found?.secretHash ?? '');
    return right && found !== undefined;
  }

  private async verifyChosen(secret: string, found: OAuthClientRecord | undefined): Promise<boolean> {
    if (this.argon2Queue.pending >= MAX_QUEUED_CHECKS) throw new ClientCheckThrottled('chosen-secret check queue is full', QUEUE_FULL_RETRY_MS);
    if (!this.argon2Budget.tryTake()) throw new ClientCheckThrottled('chosen-secret checks are rationed', this.argon2Budget.waitMs());
    const stored = found !== undefined && !isGeneratedSecretHash(found.secretHash) ? found.secretHash : await this.dummyHash();
    const right = await this.argon2Queue.run(() => {
      this.chosenChecks++;
      return this.argon2Verify(secret, stored);
    });
    if (right && found !== undefined && stored === found.secretHash) {
      this.argon2Budget.giveBack();
      return true;
    }
    return false;
  }

  /** An Argon2id hash of a random secret, with the same settings: an unknown id costs a real check. */
  private dummyHash(): Promise<string> {
    this.dummyArgon2Hash ??= hashClientSecret(randomBytes(32).toString('base64url'));
    return this.dummyArgon2Hash;
  }
}
