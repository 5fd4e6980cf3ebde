import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CatalogContext } from '../catalog/context.js';
import { isJsonObject } from '../json/lossless-json.js';
import { API_KEY_ID_PREFIX } from './api-keys.js';
import { authServices } from './auth-services.js';

/**
 * The embedded mode starts secured. On the first start of a catalog (no bootstrap marker in the
 * store) it creates an API key bound to CatalogAdmin on the whole catalog, writes it to
 * CATALOG_BOOTSTRAP_KEY_FILE (mode 600) and hands it to the caller to print. Later starts find the
 * marker and create nothing.
 *
 * The marker is claimed first, with If-None-Match, so two processes starting at once create one
 * key. If the process dies between the marker and the key, delete `sys/auth/bootstrap` and start
 * again.
 */
export const BOOTSTRAP_BINDING_ID = 'bootstrap-admin';

export type BootstrapResult =
  | { readonly created: true; readonly key: string; readonly keyId: string; readonly file: string }
  | { readonly created: false; readonly keyId: string | undefined; readonly file: string };

export async function bootstrapAdminKey(ctx: CatalogContext): Promise<BootstrapResult> {
  const auth = authServices(ctx);
  const file = ctx.config.auth.bootstrapKeyFile;
  const markerKey = auth.keys.bootstrap();
  const keyId = `${API_KEY_ID_PREFIX}${randomBytes(12).toString('base64url')}`;
  const at = new Date(ctx.clock.now()).toISOString();
  const claimed = await ctx.records.create(markerKey, { keyId, at });
  if (!claimed.ok) {
    const marker = await ctx.records.read(markerKey, (value) => value);
    const existing = marker !== undefined && isJsonObject(marker.value) && typeof marker.value['keyId'] === 'string' ? marker.value['keyId'] : undefined;
    return { created: false, keyId: existing, file };
  }
  const { key } = await auth.apiKeys.create({ id: keyId, name: 'bootstrap admin (embedded mode)' }, 'bootstrap');
  await auth.policies.createBinding({
    id: BOOTSTRAP_BINDING_ID,
    role: 'CatalogAdmin',
    principal: { type: 'ApiKey', id: keyId },
    scope: { type: 'Catalog' },
    createdAt: at,
    createdBy: 'bootstrap',
  });
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return { created: true, key, keyId, file };
}
