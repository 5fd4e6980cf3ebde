import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { argon2id, argon2Verify, blake3 } from 'hash-wasm';

/**
 * How secrets are stored. API key secrets and generated client secrets are 256 random bits:
 * guessing is hopeless, so a fast keyed hash (BLAKE3 keyed with a catalog secret) is right, and it
 * is what a warm request can afford. Client secrets a person chose get a memory-hard hash, which
 * makes guessing expensive: scrypt (OWASP's N=2^15, r=8, p=3: 32 MiB), computed by Node in libuv's
 * thread pool, so a check never blocks the event loop that serves every other request. Records
 * written before that hold Argon2id hashes (hash-wasm, synchronous WebAssembly on the event loop);
 * they still verify, rationed like every chosen-secret check (see oauth-clients.ts).
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

/** OWASP's minimum Argon2id settings: 19 MiB, 2 passes, 1 lane (records from before scrypt; and tests). */
export const ARGON2ID_SETTINGS = { memorySize: 19 * 1024, iterations: 2, parallelism: 1, hashLength: 32 } as const;

/** One of OWASP's scrypt settings of equal strength: N=2^15, r=8, p=3 (32 MiB per check). */
export const SCRYPT_SETTINGS = { N: 2 ** 15, r: 8, p: 3 } as const;
const SCRYPT_KEY_BYTES = 32;
const SCRYPT_PREFIX = 'scrypt$';

function scryptAsync(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  // maxmem above 128·N·r·p (the default 32 MiB is exactly the need, and Node wants headroom).
  return new Promise((resolve, reject) => scrypt(secret, salt, SCRYPT_KEY_BYTES, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key))));
}

/** `scrypt$<N>$<r>$<p>$<salt>$<hash>` (base64url), for a secret a person chose. */
export async function hashClientSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = SCRYPT_SETTINGS;
  const key = await scryptAsync(secret, salt, { N, r, p });
  return `${SCRYPT_PREFIX}${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** An Argon2id hash, as records from before scrypt hold. */
export function hashClientSecretArgon2id(secret: string): Promise<string> {
  return argon2id({ password: secret, salt: randomBytes(16), ...ARGON2ID_SETTINGS, outputType: 'encoded' });
}

export async function verifyClientSecret(secret: string, encoded: string): Promise<boolean> {
  try {
    if (encoded.startsWith(SCRYPT_PREFIX)) {
      const [n, r, p, salt, hash] = encoded.slice(SCRYPT_PREFIX.length).split('$');
      const expected = Buffer.from(hash ?? '', 'base64url');
      // Parameters come from our own records, but bound them anyway: a corrupt record must not cost gigabytes.
      const N = Number(n);
      if (!(N >= 2 && N <= 2 ** 17) || !(Number(r) >= 1 && Number(r) <= 16) || !(Number(p) >= 1 && Number(p) <= 16) || expected.length !== SCRYPT_KEY_BYTES) return false;
      const key = await scryptAsync(secret, Buffer.from(salt ?? '', 'base64url'), { N, r: Number(r), p: Number(p) });
      return timingSafeEqual(key, expected);
    }
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
