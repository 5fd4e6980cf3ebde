import { createCipheriv, createDecipheriv } from 'node:crypto';

/** AES-256-GCM with a 96-bit nonce and a 128-bit tag, the parameters NIST SP 800-38D recommends. */
export const AES_KEY_BYTES = 32;
export const GCM_NONCE_BYTES = 12;
export const GCM_TAG_BYTES = 16;

/** Encrypts and authenticates; returns ciphertext followed by the tag. */
export function sealAesGcm(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_BYTES });
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** Verifies and decrypts ciphertext-then-tag; `undefined` when the tag does not match (a wrong key, nonce, AAD or any flipped bit). */
export function openAesGcm(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array | undefined {
  if (key.length !== AES_KEY_BYTES || nonce.length !== GCM_NONCE_BYTES || sealed.length < GCM_TAG_BYTES) return undefined;
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - GCM_TAG_BYTES));
  const body = decipher.update(sealed.subarray(0, sealed.length - GCM_TAG_BYTES));
  try {
    return Buffer.concat([body, decipher.final()]);
  } catch {
    return undefined;
  }
}

/** `u32 length || bytes` for each part, so no two different lists of parts give the same AAD. */
export function lengthPrefixed(...parts: readonly (Uint8Array | string)[]): Uint8Array {
  const buffers = parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part.buffer, part.byteOffset, part.byteLength)));
  const out = Buffer.alloc(buffers.reduce((sum, b) => sum + 4 + b.length, 0));
  let offset = 0;
  for (const b of buffers) {
    offset = out.writeUInt32BE(b.length, offset);
    offset += b.copy(out, offset);
  }
  return out;
}
