import { hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { isJsonObject, type JsonValue } from '../json/lossless-json.js';
import type { RecordStore } from '../store/record-store.js';
import type { AuthKeys } from './auth-keys.js';

/**
 * The catalog's own secrets, one record created on first use (If-None-Match: whoever loses the
 * race reads the winner's): the key of the keyed hash that API key secrets are stored under, and
 * the key pair that signs the tokens `/v1/oauth/tokens` issues. Like every record it goes through
 * the RecordStore, so it is envelope-encrypted at rest once the codec is configured.
 */
export interface SigningKey {
  readonly kid: string;
  readonly alg: 'ES256';
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
  readonly createdAt: string;
}

export interface AuthSecrets {
  /** 32 bytes: BLAKE3's key length. */
  readonly apiKeyHashKey: Uint8Array;
  /** The first signs; all verify (room for rotation). */
  readonly signingKeys: readonly SigningKey[];
  /**
   * AES-256 key that seals page tokens (core/catalog/page-token.ts). Derived from the hash key with
   * HKDF under its own label, so existing secrets records need no new field and the two uses of
   * the one stored secret stay independent.
   */
  readonly pageTokenKey: Uint8Array;
}

const PAGE_TOKEN_KEY_INFO = 'iceberg-catalog page tokens v1';

export const TOKEN_SIGNING_ALGORITHM = 'ES256';

function readSecrets(value: JsonValue, key: string): AuthSecrets {
  if (!isJsonObject(value) || typeof value['apiKeyHashKey'] !== 'string' || !Array.isArray(value['signingKeys'])) throw new Error(`secrets record ${key} is malformed`);
  const signingKeys = value['signingKeys'].map((k) => {
    if (!isJsonObject(k) || typeof k['kid'] !== 'string' || !isJsonObject(k['privateJwk']) || !isJsonObject(k['publicJwk']) || typeof k['createdAt'] !== 'string') {
      throw new Error(`secrets record ${key} has a malformed signing key`);
    }
    return { kid: k['kid'], alg: TOKEN_SIGNING_ALGORITHM, privateJwk: k['privateJwk'] as JWK, publicJwk: k['publicJwk'] as JWK, createdAt: k['createdAt'] } as const;
  });
  const hashKey = Buffer.from(value['apiKeyHashKey'], 'base64url');
  if (hashKey.length !== 32 || signingKeys.length === 0) throw new Error(`secrets record ${key} is malformed`);
  const pageTokenKey = new Uint8Array(hkdfSync('sha256', hashKey, new Uint8Array(0), PAGE_TOKEN_KEY_INFO, 32));
  return { apiKeyHashKey: new Uint8Array(hashKey), signingKeys, pageTokenKey };
}

async function newSecrets(now: Date): Promise<JsonValue> {
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_SIGNING_ALGORITHM, { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: TOKEN_SIGNING_ALGORITHM, use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: TOKEN_SIGNING_ALGORITHM };
  return {
    apiKeyHashKey: randomBytes(32).toString('base64url'),
    signingKeys: [{ kid, alg: TOKEN_SIGNING_ALGORITHM, privateJwk, publicJwk, createdAt: now.toISOString() } as unknown as JsonValue],
  };
}

/** Loaded once per container; created by the first container that needs it. */
export class SecretsProvider {
  private loaded: Promise<AuthSecrets> | undefined;

  constructor(
    private readonly records: RecordStore,
    private readonly keys: AuthKeys,
    private readonly now: () => Date,
  ) {}

  get(): Promise<AuthSecrets> {
    this.loaded ??= this.load().catch((error: unknown) => {
      this.loaded = undefined;
      throw error;
    });
    return this.loaded;
  }

  private async load(): Promise<AuthSecrets> {
    const key = this.keys.secrets();
    const existing = await this.records.read(key, readSecrets);
    if (existing !== undefined) return existing.value;
    const created = await this.records.create(key, await newSecrets(this.now()));
    if (!created.ok && created.reason === 'unknown') throw new Error('the auth secrets record may or may not have been created');
    const stored = await this.records.read(key, readSecrets);
    if (stored === undefined) throw new Error('the auth secrets record vanished after it was created');
    return stored.value;
  }
}
