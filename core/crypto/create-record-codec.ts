import { JsonRecordCodec, type RecordCodec } from '../store/record-codec.js';
import { CachingKeyProvider, type DataKeyCacheLimits } from './caching-key-provider.js';
import { EnvelopeRecordCodec } from './envelope-record-codec.js';
import type { KeyProvider } from './key-provider.js';
import type { KmsConnection } from './kms-key-provider.js';
import type { LocalKeySettings } from './local-key-provider.js';

export type RecordKeySettings =
  | ({ readonly mode: 'kms' } & KmsConnection)
  | ({ readonly mode: 'local' } & LocalKeySettings)
  /** No encryption at all: tests and explicit opt-out only. */
  | { readonly mode: 'plaintext' };

export type RecordCodecSettings = RecordKeySettings & {
  /** The catalog (tenant) id bound to every record and named in the encryption context. */
  readonly tenant: string;
  /** The store's key prefix (`CATALOG_PREFIX`), so the warehouse of a key can be named in the context. */
  readonly keyPrefix?: string;
  /** Migration only: also read records stored as plain JSON. */
  readonly allowPlaintext?: boolean;
  readonly cache?: Partial<DataKeyCacheLimits>;
  /** Told once when the embedded mode creates its master key file. */
  readonly onMasterKeyFileCreated?: (path: string) => void;
};

/**
 * The record codec the settings name, built once per container. The KMS adapter (and with it the
 * AWS SDK) is loaded only in `kms` mode, so the embedded mode never loads it.
 */
export async function createRecordCodec(settings: RecordCodecSettings): Promise<RecordCodec> {
  if (settings.mode === 'plaintext') return new JsonRecordCodec();
  const keys = new CachingKeyProvider(await keyProvider(settings), settings.cache);
  return new EnvelopeRecordCodec({
    keys,
    tenant: settings.tenant,
    ...(settings.keyPrefix !== undefined ? { keyPrefix: settings.keyPrefix } : {}),
    ...(settings.allowPlaintext !== undefined ? { allowPlaintext: settings.allowPlaintext } : {}),
  });
}

async function keyProvider(settings: RecordCodecSettings & { readonly mode: 'kms' | 'local' }): Promise<KeyProvider> {
  if (settings.mode === 'kms') {
    const { KmsKeyProvider } = await import('./kms-key-provider.js');
    return KmsKeyProvider.connect(settings);
  }
  const { LocalKeyProvider } = await import('./local-key-provider.js');
  const { provider, createdKeyFile } = await LocalKeyProvider.open(settings);
  if (createdKeyFile !== undefined) settings.onMasterKeyFileCreated?.(createdKeyFile);
  return provider;
}
