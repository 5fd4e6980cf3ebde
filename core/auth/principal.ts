/**
 * Who is calling, once authenticated. `User` comes from a JWT (an OIDC issuer's or the catalog's
 * own, issued to an OAuth client); `ApiKey` from an API key. Groups come from the token's groups
 * claim or from the API key record; an API key may also act for a user (it is then `in` that user).
 */
export type PrincipalType = 'User' | 'ApiKey';

export type AuthMethod = 'api-key' | 'oidc' | 'catalog-token' | 'anonymous';

export interface Principal {
  readonly type: PrincipalType;
  readonly id: string;
  readonly groups: readonly string[];
  /** For an API key that acts for a user. */
  readonly user?: string;
  readonly authMethod: AuthMethod;
}

/** `CATALOG_AUTH=disabled`: every request runs as this principal and nothing is authorized. */
export const ANONYMOUS: Principal = { type: 'User', id: 'anonymous', groups: [], authMethod: 'anonymous' };

/** Stable text for logs, audit records and idempotency scopes: `User::alice`, `ApiKey::ak_...`. */
export function principalLabel(principal: Pick<Principal, 'type' | 'id'>): string {
  return `${principal.type}::${principal.id}`;
}

/** Everything a decision depends on about the principal: its id, the user it acts for and its groups. */
export function principalCacheKey(principal: Principal): string {
  return JSON.stringify([principal.type, principal.id, principal.user ?? null, [...principal.groups].sort()]);
}
