import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonObject } from '../../json/lossless-json.js';
import { CatalogKeys } from '../../catalog/catalog-keys.js';
import { CachingKeyProvider } from '../caching-key-provider.js';
import { EnvelopeRecordCodec, type EnvelopeRecordCodecOptions } from '../envelope-record-codec.js';
import type { KeyProvider } from '../key-provider.js';
import { LocalKeyProvider } from '../local-key-provider.js';
import { newMasterKey, type MasterKey, type MasterKeyring } from '../master-keyring.js';

export const TENANT = 'acme-catalog';
export const KEY_PREFIX = 'prod';
export const catalogKeys = new CatalogKeys(KEY_PREFIX);

/** A keyring whose first key is active. */
export function aKeyring(...keys: MasterKey[]): MasterKeyring {
  const all = keys.length === 0 ? [newMasterKey()] : keys;
  return { active: all[0]!, keys: new Map(all.map((k) => [k.id, k.key])) };
}

export function aLocalProvider(...keys: MasterKey[]): LocalKeyProvider {
  return new LocalKeyProvider(aKeyring(...keys));
}

export function aCodec(options: Partial<EnvelopeRecordCodecOptions> & { keys?: KeyProvider } = {}): EnvelopeRecordCodec {
  return new EnvelopeRecordCodec({ keys: new CachingKeyProvider(aLocalProvider()), tenant: TENANT, keyPrefix: KEY_PREFIX, ...options });
}

export function aNamespaceKey(warehouse = 'sales', namespace: string[] = ['finance']): string {
  return catalogKeys.namespaceRecord(warehouse, namespace);
}

export function aTablePointerKey(warehouse = 'sales', table = 'orders'): string {
  return catalogKeys.tablePointer(warehouse, ['finance'], table);
}

/** A record whose field values are distinctive enough to search for in the stored bytes. */
export function aNamespaceRecord(overrides: JsonObject = {}): JsonObject {
  return {
    properties: { owner: 'alice-the-owner', comment: 'quarterly-revenue-secret', location: 's3://acme-lake/finance' },
    state: 'active',
    'snapshot-id': 9223372036854775807n,
    ...overrides,
  };
}

export function aTablePointer(version = 1): JsonObject {
  return { uuid: 'b5a0a0c4-1b1e-4c3e-9f6a-8d7e6f5a4b3c', 'metadata-location': `s3://acme-lake/finance/orders/metadata/0000${version}-x.metadata.json`, version };
}

const tempDirs: string[] = [];
process.once('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder, removed when the test process exits. */
export async function aTempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'catalog-crypto-'));
  tempDirs.push(dir);
  return dir;
}
