/** Why a stored record could not be turned back into JSON. */
export type RecordDecryptionFailure =
  /** The bytes are not an encrypted record and plaintext records are not allowed. */
  | 'not-encrypted'
  /** The header is cut short or its lengths do not add up. */
  | 'malformed-header'
  /** A format version this code does not know. */
  | 'unsupported-format'
  /** The key provider would not unwrap the data key: tampered header, another tenant, unknown or revoked key. */
  | 'data-key-rejected'
  /** The key provider could not be asked (network, throttling); the record may be fine. */
  | 'key-unavailable'
  /** The authentication tag does not match: tampered, or copied from another key or tenant. */
  | 'authentication-failed'
  /** The content decrypted (or was plaintext) but is not JSON. */
  | 'malformed-content';

const EXPLANATIONS: Record<RecordDecryptionFailure, string> = {
  'not-encrypted': 'it is not encrypted and plaintext records are not allowed',
  'malformed-header': 'its encryption header is malformed',
  'unsupported-format': 'its encryption format version is not supported',
  'data-key-rejected': 'its data key was rejected (tampered, from another tenant, or under an unknown or revoked key)',
  'key-unavailable': 'the key service could not be reached',
  'authentication-failed': 'authentication failed (tampered, or copied from another key or tenant)',
  'malformed-content': 'its content is not valid JSON',
};

/**
 * A catalog record that cannot be read back. The message names the object key and the reason,
 * never any content. Not a CatalogError on purpose: the HTTP layer answers 500 with an error id
 * and logs this message and its cause.
 */
export class RecordDecryptionError extends Error {
  constructor(
    readonly key: string,
    readonly reason: RecordDecryptionFailure,
    options?: { cause?: unknown },
  ) {
    super(`Catalog record '${key}' could not be decrypted: ${EXPLANATIONS[reason]}`, options);
    this.name = 'RecordDecryptionError';
  }
}

/** A catalog record that could not be encrypted (no data key from the key service). */
export class RecordEncryptionError extends Error {
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`Catalog record '${key}' could not be encrypted: no data key from the key service`, options);
    this.name = 'RecordEncryptionError';
  }
}
