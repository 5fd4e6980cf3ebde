import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { parseJson, stringifyJson, type JsonValue } from '../json/lossless-json.js';
import type { RecordCodec } from '../store/record-codec.js';
import { GCM_NONCE_BYTES, GCM_TAG_BYTES, lengthPrefixed, openAesGcm, sealAesGcm } from './aes-gcm.js';
import { recordEncryptionContext } from './encryption-context.js';
import { canonicalContext, DataKeyRejectedError, type EncryptionContext, type KeyProvider } from './key-provider.js';
import { RecordDecryptionError, RecordEncryptionError, type RecordDecryptionFailure } from './record-crypto-errors.js';

/**
 * An encrypted record, format version 1 (integers big-endian):
 *
 *   magic        4   0x89 'I' 'C' 'E'   (never the start of JSON text, so plaintext is told apart)
 *   version      1   0x01
 *   key id       2 + n   u16 length, UTF-8 (KMS key ARN or local master key id)
 *   data key     2 + m   u16 length, the data key wrapped by the key provider
 *   nonce        12  random per record
 *   ciphertext   rest    AES-256-GCM of the lossless JSON, 16-byte tag last
 *
 * AAD = len-prefixed(label, whole header, canonical encryption context, object key): the header
 * cannot be altered, and a record copied under another key or to another tenant (catalog or
 * warehouse) does not authenticate. The data key is additionally bound to the context by the key
 * provider (KMS encryption context, or the local wrapping AAD).
 */
export const RECORD_MAGIC = Uint8Array.of(0x89, 0x49, 0x43, 0x45);
export const RECORD_FORMAT_VERSION = 1;
const AAD_LABEL = 'iceberg-catalog/record/v1';
const MAX_FIELD_BYTES = 0xffff;

export interface EnvelopeRecordCodecOptions {
  readonly keys: KeyProvider;
  /** The catalog (tenant) id bound to every record; must stay the same for the life of the data. */
  readonly tenant: string;
  /** The store's key prefix, to find the warehouse in a key. Default: none. */
  readonly keyPrefix?: string;
  /** Migration only: decode records stored as plain JSON (they are encrypted when next written). */
  readonly allowPlaintext?: boolean;
}

interface ParsedRecord {
  readonly header: Uint8Array;
  readonly keyId: string;
  readonly wrappedKey: Uint8Array;
  readonly nonce: Uint8Array;
  readonly sealed: Uint8Array;
}

export class EnvelopeRecordCodec implements RecordCodec {
  private readonly keys: KeyProvider;
  private readonly tenant: string;
  private readonly keyPrefix: string;
  private readonly allowPlaintext: boolean;

  constructor(options: EnvelopeRecordCodecOptions) {
    if (options.tenant === '') throw new RangeError('EnvelopeRecordCodec needs a non-empty tenant id');
    this.keys = options.keys;
    this.tenant = options.tenant;
    this.keyPrefix = options.keyPrefix ?? '';
    this.allowPlaintext = options.allowPlaintext ?? false;
  }

  async encode(key: string, value: JsonValue): Promise<Uint8Array> {
    const context = this.contextOf(key);
    let dataKey;
    try {
      dataKey = await this.keys.generateDataKey(context);
    } catch (error) {
      throw new RecordEncryptionError(key, { cause: error });
    }
    const header = writeHeader(dataKey.keyId, dataKey.ciphertext, randomBytes(GCM_NONCE_BYTES));
    const nonce = header.subarray(header.length - GCM_NONCE_BYTES);
    const plaintext = new TextEncoder().encode(stringifyJson(value));
    const sealed = sealAesGcm(dataKey.plaintext, nonce, plaintext, this.aad(header, context, key));
    return new Uint8Array(Buffer.concat([header, sealed]));
  }

  async decode(key: string, bytes: Uint8Array): Promise<JsonValue> {
    if (!startsWithMagic(bytes)) {
      if (!this.allowPlaintext) throw new RecordDecryptionError(key, 'not-encrypted');
      return parseContent(key, bytes);
    }
    const record = readHeader(bytes);
    if (typeof record === 'string') throw new RecordDecryptionError(key, record);
    const context = this.contextOf(key);
    let dataKey: Uint8Array;
    try {
      dataKey = await this.keys.decryptDataKey(record.keyId, record.wrappedKey, context);
    } catch (error) {
      throw new RecordDecryptionError(key, error instanceof DataKeyRejectedError ? 'data-key-rejected' : 'key-unavailable', { cause: error });
    }
    const plaintext = openAesGcm(dataKey, record.nonce, record.sealed, this.aad(record.header, context, key));
    if (plaintext === undefined) throw new RecordDecryptionError(key, 'authentication-failed');
    return parseContent(key, plaintext);
  }

  private contextOf(key: string): EncryptionContext {
    return recordEncryptionContext(this.tenant, this.keyPrefix, key);
  }

  private aad(header: Uint8Array, context: EncryptionContext, key: string): Uint8Array {
    return lengthPrefixed(AAD_LABEL, header, canonicalContext(context), key);
  }
}

function startsWithMagic(bytes: Uint8Array): boolean {
  return bytes.length >= RECORD_MAGIC.length && RECORD_MAGIC.every((b, i) => bytes[i] === b);
}

function writeHeader(keyId: string, wrappedKey: Uint8Array, nonce: Uint8Array): Uint8Array {
  const id = Buffer.from(keyId, 'utf8');
  if (id.length === 0 || id.length > MAX_FIELD_BYTES || wrappedKey.length === 0 || wrappedKey.length > MAX_FIELD_BYTES) {
    throw new RangeError('data key id or wrapped key does not fit the record header');
  }
  const header = Buffer.alloc(RECORD_MAGIC.length + 1 + 2 + id.length + 2 + wrappedKey.length + GCM_NONCE_BYTES);
  header.set(RECORD_MAGIC, 0);
  let offset = header.writeUInt8(RECORD_FORMAT_VERSION, RECORD_MAGIC.length);
  offset = header.writeUInt16BE(id.length, offset);
  offset += id.copy(header, offset);
  offset = header.writeUInt16BE(wrappedKey.length, offset);
  header.set(wrappedKey, offset);
  offset += wrappedKey.length;
  header.set(nonce, offset);
  return header;
}

/** Parses the header, checking every length against the bytes; a failure reason otherwise. */
function readHeader(bytes: Uint8Array): ParsedRecord | RecordDecryptionFailure {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = RECORD_MAGIC.length;
  if (view.length < offset + 1) return 'malformed-header';
  const version = view.readUInt8(offset);
  offset += 1;
  if (version !== RECORD_FORMAT_VERSION) return 'unsupported-format';
  if (view.length < offset + 2) return 'malformed-header';
  const idLength = view.readUInt16BE(offset);
  offset += 2;
  if (idLength === 0 || view.length < offset + idLength + 2) return 'malformed-header';
  const keyId = new TextDecoder('utf-8', { fatal: false }).decode(view.subarray(offset, offset + idLength));
  offset += idLength;
  const wrappedLength = view.readUInt16BE(offset);
  offset += 2;
  if (wrappedLength === 0 || view.length < offset + wrappedLength + GCM_NONCE_BYTES + GCM_TAG_BYTES) return 'malformed-header';
  const wrappedKey = view.subarray(offset, offset + wrappedLength);
  offset += wrappedLength;
  const nonce = view.subarray(offset, offset + GCM_NONCE_BYTES);
  offset += GCM_NONCE_BYTES;
  return { header: view.subarray(0, offset), keyId, wrappedKey, nonce, sealed: view.subarray(offset) };
}

function parseContent(key: string, bytes: Uint8Array): JsonValue {
  // Checked before decoding, not by catching a fatal decoder's TypeError: that pattern crashed V8's
  // Maglev tier under the route fuzzer (docs/security.md).
  if (!isUtf8(bytes)) throw new RecordDecryptionError(key, 'malformed-content');
  try {
    return parseJson(new TextDecoder().decode(bytes));
  } catch {
    // No cause: JSON.parse's message quotes the text, which must not reach a log.
    throw new RecordDecryptionError(key, 'malformed-content');
  }
}
