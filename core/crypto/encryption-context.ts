import type { EncryptionContext } from './key-provider.js';

/** Names of the encryption context entries (what a KMS key policy conditions on). */
export const CONTEXT_CATALOG = 'catalog';
export const CONTEXT_WAREHOUSE = 'warehouse';

const WAREHOUSE_FOLDER = 'wh/';

/**
 * The encryption context of the record at `key`: the catalog (tenant) id, and the warehouse when the
 * key lies under `<keyPrefix>/wh/<warehouse>/` (see core/catalog/catalog-keys.ts). System records
 * (`<keyPrefix>/sys/...`) name the catalog only. Each warehouse thus gets its own data keys, and an
 * IAM policy can confine a role to one warehouse with `kms:EncryptionContext:warehouse`.
 */
export function recordEncryptionContext(tenant: string, keyPrefix: string, key: string): EncryptionContext {
  const prefix = keyPrefix.replace(/^\/+|\/+$/g, '');
  const relative = prefix === '' ? key : key.startsWith(`${prefix}/`) ? key.slice(prefix.length + 1) : undefined;
  if (relative?.startsWith(WAREHOUSE_FOLDER)) {
    const end = relative.indexOf('/', WAREHOUSE_FOLDER.length);
    if (end > WAREHOUSE_FOLDER.length) {
      return { [CONTEXT_CATALOG]: tenant, [CONTEXT_WAREHOUSE]: unescape(relative.slice(WAREHOUSE_FOLDER.length, end)) };
    }
  }
  return { [CONTEXT_CATALOG]: tenant };
}

function unescape(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
