import { randomBytes, timingSafeEqual } from 'node:crypto';
import { argon2id, argon2Verify, blake3 } from 'hash-wasm';

/**
 * How secrets are stored. API key secrets are 256 random bits: guessing is hopeless, so a fast keyed
 * hash (BLAKE3 keyed with a catalog secret) is right, and it is what a warm request can afford.
 * Secrets a person may choose (OAuth client secrets) get Argon2id, which makes guessing expensive.
 */

/** Hex BLAKE3 of `<id>.<secret>` keyed with the catalog's 32-byte hash key: binds the secret to its id. */
export function apiKeyDigest(hashKey: Uint8Array, id: string, secret: string): Promise<string> {
  return blake3(`${id}.${secret}`, 256, hashKey);
}

export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** OWASP's minimum Argon2id settings: 19 MiB, 2 passes, 1 lane. */
export const ARGON2ID_SETTINGS = { memorySize: 19 * 1024, iterations: 2, parallelism: 1, hashLength: 32 } as const;

export function hashClientSecret(secret: string): Promise<string> {
  return argon2id({ password: secret, salt: randomBytes(16), ...ARGON2ID_SETTINGS, outputType: 'encoded' });
}

export async function verifyClientSecret(secret: string, encoded: string): Promise<boolean> {
  try {
    return await argon2Verify({ password: secret, hash: encoded });
  } catch {
    return false;
  }
}

/**
 * Client secrets the catalog generates: a recognisable prefix and 256 random bits. Guessing them is
 * as hopeless as guessing an API key, so they are stored like API keys (keyed BLAKE3, microseconds
 * to check) and never cost an Argon2 computation. The shape is decided by the presented secret, not
 * by the stored record, so a check costs the same whether or not the client id exists.
 */
export const GENERATED_CLIENT_SECRET_PREFIX = 'ocs_';
export const GENERATED_CLIENT_SECRET = /^ocs_[A-Za-z0-9_-]{43}$/;
const BLAKE3_HASH_PREFIX = 'blake3$';

export function generateClientSecret(): string {
  return `${GENERATED_CLIENT_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export async function hashGeneratedClientSecret(hashKey: Uint8Array, id: string, secret: string): Promise<string> {
  return `${BLAKE3_HASH_PREFIX}${await apiKeyDigest(hashKey, id, secret)}`;
}

export function isGeneratedSecretHash(stored: string): boolean {
  return stored.startsWith(BLAKE3_HASH_PREFIX);
}

export async function verifyGeneratedClientSecret(hashKey: Uint8Array, id: string, secret: string, stored: string): Promise<boolean> {
  const digest = await apiKeyDigest(hashKey, id, secret);
  return isGeneratedSecretHash(stored) && digestsEqual(digest, stored.slice(BLAKE3_HASH_PREFIX.length));
}
