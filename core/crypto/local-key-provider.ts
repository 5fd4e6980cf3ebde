import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AES_KEY_BYTES, GCM_NONCE_BYTES, lengthPrefixed, openAesGcm, sealAesGcm } from './aes-gcm.js';
import { canonicalContext, DataKeyRejectedError, type DataKey, type EncryptionContext, type KeyProvider } from './key-provider.js';
import { DEFAULT_MASTER_KEY_FILE, loadOrCreateMasterKeyFile, parseMasterKeyring, readMasterKeyFile, type MasterKeyring } from './master-keyring.js';

/** Domain separation of the data-key wrapping AAD. */
const WRAP_LABEL = 'iceberg-catalog/local-data-key/v1';
/** A record naming an unknown master key re-reads the keyring file at most this often. */
export const KEYRING_RELOAD_INTERVAL_MS = 5_000;

export interface LocalKeySettings {
  readonly dataDir: string;
  /** A keyring value (e.g. from the environment); when set, no file is read or created. */
  readonly masterKeys?: string;
  /** Default `<dataDir>/master-keys.txt`. */
  readonly masterKeyFile?: string;
}

export interface LocalKeyProviderOptions {
  /** Re-reads the keyring when a record names a key id this process does not hold (a rotation by another process). */
  readonly reload?: () => Promise<MasterKeyring>;
  readonly now?: () => number;
}

/**
 * The embedded mode's key service: data keys are random and wrapped with AES-256-GCM under the
 * active master key, with the master key id and the encryption context as AAD. Wrapped key =
 * nonce (12) || ciphertext (32) || tag (16).
 */
export class LocalKeyProvider implements KeyProvider {
  private lastReload = Number.NEGATIVE_INFINITY;

  constructor(
    private keyring: MasterKeyring,
    private readonly options: LocalKeyProviderOptions = {},
  ) {}

  /** Master keys from the settings' value, else from the keyring file (created on first start). */
  static async open(settings: LocalKeySettings): Promise<{ provider: LocalKeyProvider; createdKeyFile?: string }> {
    if (settings.masterKeys !== undefined) {
      return { provider: new LocalKeyProvider(parseMasterKeyring(settings.masterKeys, 'master keys')) };
    }
    const file = settings.masterKeyFile ?? join(settings.dataDir, DEFAULT_MASTER_KEY_FILE);
    const { keyring, created } = await loadOrCreateMasterKeyFile(file);
    const provider = new LocalKeyProvider(keyring, { reload: () => readMasterKeyFile(file) });
    return created ? { provider, createdKeyFile: file } : { provider };
  }

  get activeKeyId(): string {
    return this.keyring.active.id;
  }

  async generateDataKey(context: EncryptionContext): Promise<DataKey> {
    const { id, key } = this.keyring.active;
    const plaintext = new Uint8Array(randomBytes(AES_KEY_BYTES));
    const nonce = randomBytes(GCM_NONCE_BYTES);
    const sealed = sealAesGcm(key, nonce, plaintext, wrapAad(id, context));
    return { keyId: id, plaintext, ciphertext: new Uint8Array(Buffer.concat([nonce, sealed])) };
  }

  async decryptDataKey(keyId: string, ciphertext: Uint8Array, context: EncryptionContext): Promise<Uint8Array> {
    const master = await this.masterKey(keyId);
    if (master === undefined) throw new DataKeyRejectedError(`unknown master key id '${keyId}'`);
    const plaintext = openAesGcm(master, ciphertext.subarray(0, GCM_NONCE_BYTES), ciphertext.subarray(GCM_NONCE_BYTES), wrapAad(keyId, context));
    if (plaintext === undefined || plaintext.length !== AES_KEY_BYTES) {
      throw new DataKeyRejectedError(`data key does not open under master key '${keyId}' and this encryption context`);
    }
    return new Uint8Array(plaintext);
  }

  private async masterKey(keyId: string): Promise<Uint8Array | undefined> {
    const known = this.keyring.keys.get(keyId);
    if (known !== undefined || this.options.reload === undefined) return known;
    const now = (this.options.now ?? Date.now)();
    if (now - this.lastReload < KEYRING_RELOAD_INTERVAL_MS) return undefined;
    this.lastReload = now;
    this.keyring = await this.options.reload();
    return this.keyring.keys.get(keyId);
  }
}

function wrapAad(keyId: string, context: EncryptionContext): Uint8Array {
  return lengthPrefixed(WRAP_LABEL, keyId, canonicalContext(context));
}
