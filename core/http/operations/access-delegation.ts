import { delegateAccess, NO_DELEGATION, type DelegatedAccess, type DelegatedTable, type DelegationDeps } from '../../access/access-delegation.js';
import { ACCESS_DELEGATION_HEADER, parseAccessDelegation, type AccessDelegationMechanism } from '../../access/delegation-header.js';
import type { AccessLevel } from '../../access/session-policy.js';
import { credentialVendorFor } from '../../access/vendor-runtime.js';
import { ANONYMOUS, principalLabel } from '../../auth/principal.js';
import type { CatalogContext } from '../../catalog/context.js';
import { callerMay, type OperationRequest } from '../operation.js';
import { routeFor } from '../routes.js';

/**
 * The HTTP side of access delegation for the table operations (loadTable, createTable,
 * registerTable, loadCredentials): the header, the caller's access level as Cedar decides it, and
 * which endpoints are live. core/access decides the rest.
 */

/** Parsed first, before the table is read: a malformed header is a 400 whatever the table. */
export function requestedDelegation(request: OperationRequest): ReadonlySet<AccessDelegationMechanism> {
  return parseAccessDelegation(request.headers[ACCESS_DELEGATION_HEADER]);
}

/**
 * Read-write for a caller that may also update the table, read-only otherwise. A caller that may
 * not even read it never gets here: the route's own authorization refused it (403/404).
 */
export function accessLevelOf(request: OperationRequest, table: Pick<DelegatedTable, 'warehouse' | 'namespace' | 'name'>): AccessLevel {
  return callerMay(request, 'updateTable', { type: 'Table', warehouse: table.warehouse, namespace: table.namespace, name: table.name }) ? 'read-write' : 'read-only';
}

export async function delegationDeps(ctx: CatalogContext): Promise<DelegationDeps> {
  return {
    access: ctx.config.access,
    s3: ctx.config.s3,
    vendor: await credentialVendorFor(ctx.config),
    signingLive: routeFor('signRequest').status === 'live',
    refreshLive: routeFor('loadCredentials').status === 'live',
  };
}

export async function delegatedAccessFor(request: OperationRequest, ctx: CatalogContext, requested: ReadonlySet<AccessDelegationMechanism>, table: DelegatedTable): Promise<DelegatedAccess> {
  if (requested.size === 0) return NO_DELEGATION;
  const caller = { label: principalLabel(request.caller ?? ANONYMOUS), level: accessLevelOf(request, table) };
  return delegateAccess(requested, table, caller, await delegationDeps(ctx));
}

/**
 * Credentials are for this caller only: no shared or browser cache may keep the answer. A 304 on
 * a later If-None-Match carries none, so a client keeps what it has and refreshes through
 * loadCredentials (client.refresh-credentials-endpoint).
 */
export function delegationHeaders(access: DelegatedAccess): Record<string, string> {
  return access.carriesCredentials ? { 'cache-control': 'private, no-store' } : {};
}

/** A LoadTableResult object with the delegation added: config merged, the two optional fields set. */
export function withDelegation(result: Readonly<Record<string, unknown>>, access: DelegatedAccess): Record<string, unknown> {
  if (access === NO_DELEGATION) return { ...result };
  const config = (result['config'] ?? {}) as Record<string, string>;
  return {
    ...result,
    config: { ...config, ...access.config },
    ...(access.storageCredentials !== undefined ? { 'storage-credentials': access.storageCredentials } : {}),
    ...(access.remoteSigningConfig !== undefined ? { 'remote-signing-config': access.remoteSigningConfig } : {}),
  };
}
