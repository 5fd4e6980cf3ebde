import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { AlreadyExistsError, CommitStateUnknownError, ConcurrentModificationError } from '../errors.js';
import { isJsonObject, type JsonValue } from '../json/lossless-json.js';
import { listAll } from '../store/object-store.js';
import type { RecordStore } from '../store/record-store.js';
import type { AuthKeys } from './auth-keys.js';
import { readRoleBinding, roleBindingJson, type RoleBinding } from './role-binding.js';

/**
 * Role bindings and custom policies in the store, and a per-container snapshot of them.
 *
 * - A binding is one immutable record (`sys/authz/bindings/<id>`): created with If-None-Match,
 *   deleted outright (nothing to compare-and-swap, so Ceph's ignored If-Match on DELETE is harmless).
 * - A custom policy is one record holding its whole history (`sys/authz/policies/<id>`): every
 *   put or delete appends a version with If-Match, so the history and the current text change in
 *   one conditional write. A deleted policy keeps its record (and history) with no current text.
 *
 * The snapshot is re-read at most once per `ttlMs` (two listings; only records whose ETag moved
 * are read again); this container's own writes refresh it at once. Another container sees a change
 * within `ttlMs` (CATALOG_AUTH_CACHE_TTL).
 */
export interface PolicyVersion {
  readonly version: number;
  /** null: the policy was deleted in this version. */
  readonly policy: string | null;
  readonly description: string;
  readonly at: string;
  readonly by: string;
}

export interface PolicyRecord {
  readonly id: string;
  readonly versions: readonly PolicyVersion[];
}

export interface CustomPolicy {
  readonly id: string;
  readonly version: number;
  readonly policy: string;
  readonly description: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export interface AuthorizationSnapshot {
  /** Changes whenever any binding or policy record changes. */
  readonly revision: string;
  readonly bindings: readonly RoleBinding[];
  readonly policies: readonly CustomPolicy[];
}

/** Conditional writes of one policy record retried this many times against concurrent writers. */
const MAX_POLICY_WRITE_ATTEMPTS = 5;

function readPolicyRecord(value: JsonValue, key: string): PolicyRecord {
  if (!isJsonObject(value) || typeof value['id'] !== 'string' || !Array.isArray(value['versions'])) throw new Error(`policy record ${key} is malformed`);
  const versions = value['versions'].map((v) => {
    if (!isJsonObject(v)) throw new Error(`policy record ${key} has a malformed version`);
    const { version, policy, description, at, by } = v;
    if (typeof version !== 'number' || (policy !== null && typeof policy !== 'string') || typeof description !== 'string' || typeof at !== 'string' || typeof by !== 'string') {
      throw new Error(`policy record ${key} has a malformed version`);
    }
    return { version, policy, description, at, by };
  });
  return { id: value['id'], versions };
}

function policyRecordJson(record: PolicyRecord): JsonValue {
  return { id: record.id, versions: record.versions.map((v) => ({ ...v })) };
}

export function currentPolicy(record: PolicyRecord): CustomPolicy | undefined {
  const last = record.versions.at(-1);
  if (last === undefined || last.policy === null) return undefined;
  return { id: record.id, version: last.version, policy: last.policy, description: last.description, updatedAt: last.at, updatedBy: last.by };
}

interface Cached<T> {
  readonly etag: string;
  readonly value: T;
}

export class AuthorizationStore {
  private snapshotPromise: Promise<AuthorizationSnapshot> | undefined;
  private loadedAt = Number.NEGATIVE_INFINITY;
  private readonly bindingCache = new Map<string, Cached<RoleBinding>>();
  private readonly policyCache = new Map<string, Cached<PolicyRecord>>();

  constructor(
    private readonly records: RecordStore,
    private readonly keys: AuthKeys,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  /** The current bindings and policies, at most `ttlMs` old. */
  snapshot(): Promise<AuthorizationSnapshot> {
    const now = this.clock.now();
    if (this.snapshotPromise === undefined || now - this.loadedAt >= this.ttlMs) {
      this.loadedAt = now;
      this.snapshotPromise = this.load().catch((error: unknown) => {
        this.snapshotPromise = undefined;
        throw error;
      });
    }
    return this.snapshotPromise;
  }

  /** Reads everything again on the next snapshot (after this container changed something). */
  invalidate(): void {
    this.snapshotPromise = undefined;
  }

  private async listed(prefix: string): Promise<{ key: string; etag: string }[]> {
    const out: { key: string; etag: string }[] = [];
    for await (const page of listAll(this.records.objects, { prefix })) out.push(...page.objects.map((o) => ({ key: o.key, etag: o.etag })));
    return out;
  }

  private async refreshed<T>(listing: { key: string; etag: string }[], cache: Map<string, Cached<T>>, reader: (value: JsonValue, key: string) => T): Promise<T[]> {
    const present = new Set(listing.map((o) => o.key));
    for (const key of cache.keys()) if (!present.has(key)) cache.delete(key);
    const values = await Promise.all(
      listing.map(async ({ key, etag }) => {
        const hit = cache.get(key);
        if (hit !== undefined && hit.etag === etag) return hit.value;
        const read = await this.records.read(key, reader);
        if (read === undefined) return undefined;
        cache.set(key, { etag: read.etag, value: read.value });
        return read.value;
      }),
    );
    return values.filter((v): v is Awaited<T> => v !== undefined) as T[];
  }

  private async load(): Promise<AuthorizationSnapshot> {
    const [bindingObjects, policyObjects] = await Promise.all([this.listed(this.keys.bindingsPrefix()), this.listed(this.keys.policiesPrefix())]);
    const [bindings, records] = await Promise.all([
      this.refreshed(bindingObjects, this.bindingCache, readRoleBinding),
      this.refreshed(policyObjects, this.policyCache, readPolicyRecord),
    ]);
    const revision = createHash('sha256')
      .update([...bindingObjects, ...policyObjects].map((o) => `${o.key}\u0000${o.etag}`).sort().join('\n'))
      .digest('base64url');
    return {
      revision,
      bindings: [...bindings].sort((a, b) => a.id.localeCompare(b.id)),
      policies: records.map(currentPolicy).filter((p): p is CustomPolicy => p !== undefined).sort((a, b) => a.id.localeCompare(b.id)),
    };
  }

  async createBinding(binding: RoleBinding): Promise<void> {
    const result = await this.records.create(this.keys.binding(binding.id), roleBindingJson(binding));
    this.invalidate();
    if (!result.ok && result.reason === 'precondition-failed') throw new AlreadyExistsError(`Role binding already exists: ${binding.id}`);
    if (!result.ok) throw new CommitStateUnknownError(`Role binding ${binding.id} may or may not have been stored`);
  }

  async getBinding(id: string): Promise<RoleBinding | undefined> {
    return (await this.records.read(this.keys.binding(id), readRoleBinding))?.value;
  }

  async deleteBinding(id: string): Promise<boolean> {
    const key = this.keys.binding(id);
    const existing = await this.records.objects.get(key);
    if (existing === undefined) return false;
    await this.records.delete(key);
    this.invalidate();
    return true;
  }

  async getPolicy(id: string): Promise<PolicyRecord | undefined> {
    return (await this.records.read(this.keys.policy(id), readPolicyRecord))?.value;
  }

  /**
   * Appends a version (new text, or null to delete) with a conditional write. `expectedVersion`
   * (optional) makes the change conditional on the version the caller last saw.
   */
  async appendPolicyVersion(
    id: string,
    change: { policy: string | null; description: string; by: string; at: string; expectedVersion?: number },
  ): Promise<PolicyRecord | undefined> {
    const key = this.keys.policy(id);
    for (let attempt = 0; attempt < MAX_POLICY_WRITE_ATTEMPTS; attempt++) {
      const current = await this.records.read(key, readPolicyRecord);
      const versions = current?.value.versions ?? [];
      const last = versions.at(-1);
      const currentVersion = last !== undefined && last.policy !== null ? last.version : 0;
      if (change.expectedVersion !== undefined && change.expectedVersion !== currentVersion) {
        throw new ConcurrentModificationError(`Policy ${id} is at version ${currentVersion}, not ${change.expectedVersion}`);
      }
      if (change.policy === null && (last === undefined || last.policy === null)) return undefined;
      const next: PolicyRecord = {
        id,
        versions: [...versions, { version: (last?.version ?? 0) + 1, policy: change.policy, description: change.description, at: change.at, by: change.by }],
      };
      const result = current === undefined ? await this.records.create(key, policyRecordJson(next)) : await this.records.replace(key, policyRecordJson(next), current.etag);
      this.invalidate();
      if (result.ok) return next;
      if (result.reason === 'unknown') throw new CommitStateUnknownError(`Policy ${id} may or may not have been changed`);
    }
    throw new ConcurrentModificationError(`Policy ${id} is being changed concurrently; retry`);
  }
}
