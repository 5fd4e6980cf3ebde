/**
 * The port behind envelope encryption: who makes data keys and who unwraps them. A data key is a
 * fresh AES-256 key that encrypts records; the provider returns it both in the clear (used in memory
 * only) and wrapped under a key the provider guards (stored in each record's header).
 */

/**
 * Names what a data key may be used for (catalog and warehouse). The provider binds it to the wrapped
 * key: unwrapping under any other context fails. AWS KMS calls this the encryption context and can
 * condition key policies on it (`kms:EncryptionContext:warehouse`).
 */
export type EncryptionContext = Readonly<Record<string, string>>;

export interface DataKey {
  /** The provider key that wrapped it (a KMS key ARN, a local master key id); stored in the header. */
  readonly keyId: string;
  /** The 32-byte AES-256 key. Never stored, never logged. */
  readonly plaintext: Uint8Array;
  /** The wrapped key, stored in each record's header. */
  readonly ciphertext: Uint8Array;
}

export interface KeyProvider {
  generateDataKey(context: EncryptionContext): Promise<DataKey>;
  /**
   * Unwraps a data key. Throws DataKeyRejectedError when the wrapped key is not valid for this key id
   * and context (tampered, copied from another tenant, unknown key id); any other error means the
   * provider could not be asked (network, throttling) and says nothing about the record.
   */
  decryptDataKey(keyId: string, ciphertext: Uint8Array, context: EncryptionContext): Promise<Uint8Array>;
}

/** Size of a data key: AES-256. */
export const DATA_KEY_BYTES = 32;

/** The wrapped data key does not open under the given key id and context. */
export class DataKeyRejectedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DataKeyRejectedError';
  }
}

/** One stable text per context, whatever the order of its entries: for cache keys and for AAD. */
export function canonicalContext(context: EncryptionContext): string {
  return JSON.stringify(Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
