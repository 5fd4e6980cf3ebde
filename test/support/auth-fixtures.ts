import assert from 'node:assert/strict';
import { AuthKeys } from '../../core/auth/auth-keys.js';
import type { AuthServices } from '../../core/auth/auth-services.js';
import { requestChecks } from '../../core/auth/request-resources.js';
import type { CatalogConfig } from '../../core/config.js';
import { requestTarget } from '../../core/http/request-target.js';
import type { JsonValue } from '../../core/json/lossless-json.js';
import { listAll } from '../../core/store/object-store.js';
import type { CatalogResponse, TestCatalog } from './catalog-harness.js';

/**
 * What the authenticate and authorize middlewares do for `GET .../tables/<table>` (loadTable),
 * called directly on a running catalog's services: the per-request cost the tests and the bench time.
 */
export async function authorizeLoadTable(auth: AuthServices, config: CatalogConfig, authorization: string, at: { warehouse: string; namespace: string; table: string }): Promise<boolean> {
  const principal = await auth.authenticator.authenticate(authorization);
  const raw = { pathParams: { prefix: at.warehouse, namespace: at.namespace, table: at.table }, query: new Map<string, string>(), body: undefined };
  const checks = requestChecks('loadTable', requestTarget('loadTable', raw, config));
  const session = await auth.authorizer.session(principal);
  return session.check(checks).allowed;
}

/** Management-API helpers for the security tests (run as the bootstrap admin unless told otherwise). */
export type Scope =
  | { type: 'Catalog' }
  | { type: 'Warehouse'; warehouse: string }
  | { type: 'Namespace'; warehouse: string; namespace: string[] };

export type Role = 'TableReader' | 'TableWriter' | 'NamespaceOwner' | 'CatalogAdmin';

function ok(response: CatalogResponse, what: string): Record<string, unknown> {
  assert.equal(response.status, 200, `${what}: ${response.status} ${response.text}`);
  return response.body as Record<string, unknown>;
}

export async function createApiKey(catalog: TestCatalog, spec: { name: string; groups?: string[]; user?: string; expiresAt?: string }): Promise<{ key: string; id: string }> {
  const body = ok(await catalog.request('POST', '/management/v1/api-keys', { body: spec }), 'create API key');
  return { key: body['key'] as string, id: (body['api-key'] as { id: string }).id };
}

export async function bindRole(catalog: TestCatalog, principal: { type: 'User' | 'ApiKey' | 'Group'; id: string }, role: Role, scope: Scope): Promise<string> {
  const body = ok(await catalog.request('POST', '/management/v1/role-bindings', { body: { role, principal, scope } }), 'create role binding');
  return body['id'] as string;
}

/** An API key holding one role on one scope (or none). */
export async function keyWithRole(catalog: TestCatalog, name: string, role?: Role, scope?: Scope): Promise<string> {
  const { key, id } = await createApiKey(catalog, { name });
  if (role !== undefined && scope !== undefined) await bindRole(catalog, { type: 'ApiKey', id }, role, scope);
  return key;
}

/** The middle value, for timing samples. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Every audit record the catalog has written so far, decrypted, in key order. */
export async function auditRecords(catalog: TestCatalog): Promise<Record<string, JsonValue>[]> {
  const ctx = await catalog.context();
  const out: Record<string, JsonValue>[] = [];
  for await (const page of listAll(ctx.records.objects, { prefix: new AuthKeys(ctx.config.keyPrefix).auditPrefix() })) {
    for (const o of page.objects) out.push((await ctx.records.read(o.key, (v) => v as Record<string, JsonValue>))!.value);
  }
  return out;
}
