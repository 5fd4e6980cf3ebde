import { DecryptCommand, GenerateDataKeyCommand, KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
import { DATA_KEY_BYTES, DataKeyRejectedError, type DataKey, type EncryptionContext, type KeyProvider } from './key-provider.js';

/** What KmsKeyProvider needs of a KMS client: the SDK's `KMSClient`, or a fake in tests. */
export interface KmsClient {
  send(command: GenerateDataKeyCommand | DecryptCommand): Promise<KmsOutput>;
}

export interface KmsOutput {
  readonly KeyId?: string | undefined;
  readonly Plaintext?: Uint8Array | undefined;
  readonly CiphertextBlob?: Uint8Array | undefined;
}

export interface KmsConnection {
  /** Key id, key ARN, alias name or alias ARN of the symmetric KMS key that wraps data keys. */
  readonly kmsKeyId: string;
  readonly region: string;
  /** A KMS-compatible endpoint (e.g. LocalStack); AWS when absent. */
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * KMS answers that mean "this wrapped key does not open here": tampered or foreign ciphertext, another
 * encryption context, a key that is not the one named, a disabled, deleted or forbidden key.
 */
const REJECTIONS = new Set([
  'InvalidCiphertextException',
  'IncorrectKeyException',
  'AccessDeniedException',
  'NotFoundException',
  'DisabledException',
  'KMSInvalidStateException',
  'InvalidKeyUsageException',
]);

/**
 * Data keys from AWS KMS: `GenerateDataKey` (AES_256) to make one, `Decrypt` to unwrap one, both
 * with the encryption context, so the key policy can restrict a role to its catalog or warehouse and
 * CloudTrail records which one each call was for. The header keeps the key ARN KMS answers with,
 * so records written before `kmsKeyId` changed still name the key that unwraps them.
 */
export class KmsKeyProvider implements KeyProvider {
  constructor(
    private readonly client: KmsClient,
    private readonly kmsKeyId: string,
  ) {}

  static connect(connection: KmsConnection): KmsKeyProvider {
    const config: KMSClientConfig = {
      region: connection.region,
      ...(connection.endpoint !== undefined ? { endpoint: connection.endpoint } : {}),
      ...(connection.credentials !== undefined ? { credentials: { ...connection.credentials } } : {}),
    };
    return new KmsKeyProvider(new KMSClient(config), connection.kmsKeyId);
  }

  async generateDataKey(context: EncryptionContext): Promise<DataKey> {
    const out = await this.client.send(new GenerateDataKeyCommand({ KeyId: this.kmsKeyId, KeySpec: 'AES_256', EncryptionContext: { ...context } }));
    if (out.Plaintext?.length !== DATA_KEY_BYTES || out.CiphertextBlob === undefined || out.CiphertextBlob.length === 0) {
      throw new Error(`KMS GenerateDataKey with key '${this.kmsKeyId}' returned no ${DATA_KEY_BYTES}-byte data key`);
    }
    return { keyId: out.KeyId ?? this.kmsKeyId, plaintext: out.Plaintext, ciphertext: out.CiphertextBlob };
  }

  async decryptDataKey(keyId: string, ciphertext: Uint8Array, context: EncryptionContext): Promise<Uint8Array> {
    let out: KmsOutput;
    try {
      out = await this.client.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: ciphertext, EncryptionContext: { ...context } }));
    } catch (error) {
      if (error instanceof Error && REJECTIONS.has(error.name)) {
        throw new DataKeyRejectedError(`KMS refused to decrypt the data key with key '${keyId}' (${error.name})`, { cause: error });
      }
      throw error;
    }
    if (out.Plaintext?.length !== DATA_KEY_BYTES) throw new DataKeyRejectedError(`KMS key '${keyId}' did not return a ${DATA_KEY_BYTES}-byte data key`);
    return out.Plaintext;
  }
}
