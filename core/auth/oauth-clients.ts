import { randomBytes } from 'node:crypto';
import type { Clock } from '../catalog/context.js';
import { AlreadyExistsError, CommitStateUnknownError } from '../errors.js';
import { isJsonObject, type JsonValue } from '../json/lossless-json.js';
import { listAll } from '../store/object-store.js';
import type { RecordStore } from '../store/record-store.js';
import type { AuthKeys } from './auth-keys.js';
import { hashClientSecret, verifyClientSecret } from './secret-hashing.js';

/**
 * OAuth clients for the client-credentials grant at `/v1/oauth/tokens` (how Spark and PyIceberg log
 * in with `credential=<id>:<secret>`). The secret may be chosen by a person, so it is stored as an
 * Argon2id hash. A client's tokens name `principal` (the client id unless given) and `groups`.
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

export class OAuthClients {
  constructor(
    private readonly records: RecordStore,
    private readonly keys: AuthKeys,
    private readonly clock: Clock,
  ) {}

  async create(spec: { name: string; principal?: string; groups?: readonly string[]; secret?: string; id?: string }, by: string): Promise<{ secret: string; record: OAuthClientRecord }> {
    const id = spec.id ?? `${OAUTH_CLIENT_ID_PREFIX}${randomBytes(12).toString('base64url')}`;
    const secret = spec.secret ?? randomBytes(32).toString('base64url');
    const record: OAuthClientRecord = {
      id,
      name: spec.name,
      secretHash: await hashClientSecret(secret),
      principal: spec.principal ?? id,
      groups: [...(spec.groups ?? [])],
      createdAt: new Date(this.clock.now()).toISOString(),
      createdBy: by,
    };
    const result = await this.records.create(this.keys.oauthClient(id), { ...record, groups: [...record.groups] });
    if (!result.ok && result.reason === 'precondition-failed') throw new AlreadyExistsError(`OAuth client already exists: ${id}`);
    if (!result.ok) throw new CommitStateUnknownError(`OAuth client ${id} may or may not have been stored`);
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
    return true;
  }

  /** The client when the secret is right; undefined otherwise (unknown id and wrong secret alike). */
  async verify(id: string, secret: string): Promise<OAuthClientRecord | undefined> {
    if (id.length > 256 || secret.length > 1024) return undefined;
    const found = await this.records.read(this.keys.oauthClient(id), readOAuthClient);
    if (found === undefined) return undefined;
    return (await verifyClientSecret(secret, found.value.secretHash)) ? found.value : undefined;
  }
}
