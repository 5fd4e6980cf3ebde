import { randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { GCM_NONCE_BYTES, lengthPrefixed, openAesGcm, sealAesGcm } from '../aes-gcm.js';
import { canonicalContext } from '../key-provider.js';
import type { KmsClient, KmsOutput } from '../kms-key-provider.js';

/**
 * An in-memory KMS that behaves like the real one where the tests look: data keys are wrapped under a
 * per-key secret with the encryption context as AAD, `Decrypt` under another context or of altered
 * ciphertext fails with `InvalidCiphertextException`, and every call is counted.
 */
export class FakeKmsClient implements KmsClient {
  readonly calls = { generateDataKey: 0, decrypt: 0 };
  readonly contexts: Record<string, string>[] = [];
  private readonly secrets = new Map<string, Uint8Array>();

  constructor(keyArns: readonly string[] = ['arn:aws:kms:eu-west-1:111122223333:key/fake-key-a']) {
    for (const arn of keyArns) this.secrets.set(arn, new Uint8Array(randomBytes(32)));
  }

  get total(): number {
    return this.calls.generateDataKey + this.calls.decrypt;
  }

  async send(command: GenerateDataKeyCommand | DecryptCommand): Promise<KmsOutput> {
    if (command instanceof GenerateDataKeyCommand) {
      this.calls.generateDataKey += 1;
      const { KeyId, EncryptionContext = {} } = command.input;
      const arn = this.resolve(KeyId);
      this.contexts.push({ ...EncryptionContext });
      const plaintext = new Uint8Array(randomBytes(32));
      const nonce = randomBytes(GCM_NONCE_BYTES);
      const sealed = sealAesGcm(this.secrets.get(arn)!, nonce, plaintext, this.aad(arn, EncryptionContext));
      // The real blob embeds the key; here a prefix byte names the key's index.
      const index = [...this.secrets.keys()].indexOf(arn);
      return { KeyId: arn, Plaintext: plaintext, CiphertextBlob: new Uint8Array(Buffer.concat([Buffer.of(index), nonce, sealed])) };
    }
    this.calls.decrypt += 1;
    const { KeyId, CiphertextBlob = new Uint8Array(), EncryptionContext = {} } = command.input;
    this.contexts.push({ ...EncryptionContext });
    const arn = [...this.secrets.keys()][CiphertextBlob[0] ?? -1];
    if (arn === undefined) throw kmsError('InvalidCiphertextException');
    if (KeyId !== undefined && this.resolve(KeyId) !== arn) throw kmsError('IncorrectKeyException');
    const plaintext = openAesGcm(this.secrets.get(arn)!, CiphertextBlob.subarray(1, 1 + GCM_NONCE_BYTES), CiphertextBlob.subarray(1 + GCM_NONCE_BYTES), this.aad(arn, EncryptionContext));
    if (plaintext === undefined) throw kmsError('InvalidCiphertextException');
    return { KeyId: arn, Plaintext: new Uint8Array(plaintext) };
  }

  private resolve(keyId: string | undefined): string {
    const arn = [...this.secrets.keys()].find((candidate) => candidate === keyId || candidate.endsWith(`/${keyId}`));
    if (arn === undefined) throw kmsError('NotFoundException');
    return arn;
  }

  private aad(arn: string, context: Record<string, string>): Uint8Array {
    return lengthPrefixed(arn, canonicalContext(context));
  }
}

function kmsError(name: string): Error {
  const error = new Error(`fake KMS: ${name}`);
  error.name = name;
  return error;
}
