import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../clock.js';
import { ServiceUnavailableError } from '../errors.js';
import { LruCache } from '../lru-cache.js';
import type { OidcConfig } from './auth-config.js';
import type { Principal } from './principal.js';
import { TOKEN_SIGNING_ALGORITHM, type SecretsProvider } from './secrets.js';

/**
 * Bearer JWTs from two issuers: an OIDC provider (keys from its JWKS, fetched and cached, fetched
 * again when a token names an unknown `kid`; or static keys from configuration) and the catalog
 * itself (tokens from `/v1/oauth/tokens`, signed with its ES256 key).
 *
 * Checked: signature with an allowed asymmetric algorithm (jose refuses `none` and a symmetric
 * algorithm with a public key), `iss`, `aud`, `exp` (required) and `nbf`, with a small clock skew;
 * `iat`, when present, not in the future beyond the skew; `exp` at most MAX_TOKEN_HORIZON_SECONDS
 * ahead (a token valid for a century is a mistake or a forgery's convenience, not a session).
 * A catalog token issued to an OAuth client works only while that client exists.
 * Any failure is `undefined`: the caller answers one generic 401, whatever the reason.
 */
export interface JwtVerifierOptions {
  readonly oidc?: OidcConfig;
  readonly tokenIssuer: string;
  readonly clockSkewSeconds: number;
  readonly clock: Clock;
  readonly secrets: SecretsProvider;
  /** How soon an unknown `kid` may fetch the JWKS again (jose's cooldown). */
  readonly jwksCooldownMs?: number;
  readonly fetch?: typeof fetch;
  /** Whether an OAuth client still exists (cached by the caller); a catalog token naming a deleted one is refused. */
  readonly clientExists?: (clientId: string) => Promise<boolean>;
}

export const JWKS_COOLDOWN_MS = 30_000;
const JWKS_TIMEOUT_MS = 5_000;
/** Verified tokens remembered per container (until they expire), so a warm request does no signature check. */
export const VERIFIED_TOKEN_CACHE_SIZE = 1_000;
/** A principal id or group name from a token longer than this is refused. */
const MAX_CLAIM_LENGTH = 512;
/** The latest `exp` accepted, from now: the longest lifetime the catalog itself may be configured to issue. */
export const MAX_TOKEN_HORIZON_SECONDS = 24 * 3600;

export interface VerifiedToken {
  readonly principal: Principal;
  readonly exp: number;
  /** When the caller authenticated (`auth_time`, else `iat`), in seconds; undefined when the token says neither. */
  readonly authTime: number | undefined;
  /** The OAuth client a catalog token was issued to. */
  readonly clientId: string | undefined;
}

class IdentityProviderUnavailable extends Error {}

export class JwtVerifier {
  private oidcKeys: Promise<JWTVerifyGetKey> | undefined;
  private catalogKeys: Promise<JWTVerifyGetKey> | undefined;
  /** Keyed by the token itself; bounded, since tokens are caller input (verified ones only). */
  private readonly verified = new LruCache<VerifiedToken>(VERIFIED_TOKEN_CACHE_SIZE);

  constructor(private readonly options: JwtVerifierOptions) {}

  async verify(token: string): Promise<Principal | undefined> {
    return (await this.verifyToken(token))?.principal;
  }

  /** The token's principal and what its renewal depends on (see TokenIssuer). */
  async verifyToken(token: string): Promise<VerifiedToken | undefined> {
    const verified = await this.verifySignedToken(token);
    if (verified === undefined) return undefined;
    if (verified.clientId !== undefined && this.options.clientExists !== undefined && !(await this.options.clientExists(verified.clientId))) return undefined;
    return verified;
  }

  private async verifySignedToken(token: string): Promise<VerifiedToken | undefined> {
    const nowSeconds = this.options.clock.now() / 1000;
    const hit = this.verified.get(token);
    if (hit !== undefined) {
      if (nowSeconds < hit.exp + this.options.clockSkewSeconds) return hit;
      this.verified.delete(token);
    }
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      return undefined;
    }
    try {
      const result =
        issuer === this.options.tokenIssuer
          ? await this.verifyCatalogToken(token)
          : this.options.oidc !== undefined && issuer === this.options.oidc.issuer
            ? await this.verifyOidcToken(token, this.options.oidc)
            : undefined;
      if (result === undefined || !this.plausibleTimes(result, nowSeconds)) return undefined;
      this.verified.set(token, result);
      return result;
    } catch (error) {
      if (error instanceof IdentityProviderUnavailable || error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
        throw new ServiceUnavailableError('The identity provider is unavailable; try again later', { cause: error });
      }
      if (error instanceof errors.JOSEError) return undefined;
      if (error instanceof TypeError) throw new ServiceUnavailableError('The identity provider is unavailable; try again later', { cause: error });
      throw error;
    }
  }

  /** jose checks `iat` only with maxTokenAge, which would make `iat` required; these are the bounds docs/security.md states. */
  private plausibleTimes(result: VerifiedToken & { iat: number | undefined }, nowSeconds: number): boolean {
    const skew = this.options.clockSkewSeconds;
    if (result.iat !== undefined && result.iat > nowSeconds + skew) return false;
    if (result.authTime !== undefined && result.authTime > nowSeconds + skew) return false;
    return result.exp <= nowSeconds + MAX_TOKEN_HORIZON_SECONDS + skew;
  }

  private verifyOptions(issuer: string, audience: string | string[], algorithms: string[]) {
    return {
      issuer,
      audience,
      algorithms,
      clockTolerance: this.options.clockSkewSeconds,
      currentDate: new Date(this.options.clock.now()),
      requiredClaims: ['exp'],
    };
  }

  private async verifyCatalogToken(token: string): Promise<(VerifiedToken & { iat: number | undefined }) | undefined> {
    this.catalogKeys ??= this.options.secrets.get().then((s) => createLocalJWKSet({ keys: s.signingKeys.map((k) => k.publicJwk) } as JSONWebKeySet));
    const issuer = this.options.tokenIssuer;
    const { payload } = await jwtVerify(token, await this.catalogKeys, this.verifyOptions(issuer, issuer, [TOKEN_SIGNING_ALGORITHM]));
    const principal = principalFrom(payload, 'sub', 'groups', 'catalog-token');
    const clientId = payload['client_id'];
    // 'token-exchange' is what tokens exchanged before client ids were carried said: no client to check.
    return principal === undefined ? undefined : { ...times(payload), principal, clientId: typeof clientId === 'string' && clientId !== 'token-exchange' ? clientId : undefined };
  }

  private async verifyOidcToken(token: string, oidc: OidcConfig): Promise<(VerifiedToken & { iat: number | undefined }) | undefined> {
    const keys = await this.oidcKeySet(oidc);
    const { payload } = await jwtVerify(token, keys, this.verifyOptions(oidc.issuer, [...oidc.audiences], [...oidc.algorithms]));
    const principal = principalFrom(payload, oidc.principalClaim, oidc.groupsClaim, 'oidc');
    return principal === undefined ? undefined : { ...times(payload), principal, clientId: undefined };
  }

  private oidcKeySet(oidc: OidcConfig): Promise<JWTVerifyGetKey> {
    this.oidcKeys ??= this.createOidcKeySet(oidc).catch((error: unknown) => {
      this.oidcKeys = undefined;
      throw error;
    });
    return this.oidcKeys;
  }

  private async createOidcKeySet(oidc: OidcConfig): Promise<JWTVerifyGetKey> {
    if (oidc.staticKeys !== undefined) return createLocalJWKSet(oidc.staticKeys as JSONWebKeySet);
    const jwksUri = oidc.jwksUri ?? (await this.discoverJwksUri(oidc.issuer));
    return createRemoteJWKSet(new URL(jwksUri), {
      timeoutDuration: JWKS_TIMEOUT_MS,
      cooldownDuration: this.options.jwksCooldownMs ?? JWKS_COOLDOWN_MS,
    });
  }

  /** OpenID Connect Discovery: the issuer's metadata names its JWKS, and must name the same issuer. */
  private async discoverJwksUri(issuer: string): Promise<string> {
    const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    let metadata: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const response = await (this.options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(JWKS_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      metadata = (await response.json()) as typeof metadata;
    } catch (error) {
      throw new IdentityProviderUnavailable(`OIDC discovery at ${url} failed`, { cause: error });
    }
    if (metadata.issuer !== issuer || typeof metadata.jwks_uri !== 'string') throw new IdentityProviderUnavailable(`OIDC discovery at ${url} names another issuer or no jwks_uri`);
    return metadata.jwks_uri;
  }
}

function times(payload: JWTPayload): { exp: number; iat: number | undefined; authTime: number | undefined } {
  const authTime = payload['auth_time'];
  const iat = typeof payload.iat === 'number' ? payload.iat : undefined;
  return { exp: payload.exp ?? 0, iat, authTime: typeof authTime === 'number' && Number.isFinite(authTime) ? authTime : iat };
}

function claimGroups(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  const groups = typeof value === 'string' ? value.split(/[\s,]+/).filter((g) => g !== '') : value;
  if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string' && g.length > 0 && g.length <= MAX_CLAIM_LENGTH)) return undefined;
  return groups as string[];
}

/** Maps claims to a principal by configuration; a token without a usable principal claim is refused. */
export function principalFrom(payload: JWTPayload, principalClaim: string, groupsClaim: string, authMethod: Principal['authMethod']): Principal | undefined {
  const id = payload[principalClaim];
  if (typeof id !== 'string' || id === '' || id.length > MAX_CLAIM_LENGTH) return undefined;
  const groups = claimGroups(payload[groupsClaim]);
  if (groups === undefined) return undefined;
  return { type: 'User', id, groups, authMethod };
}
