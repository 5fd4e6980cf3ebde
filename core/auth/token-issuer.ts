import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import type { Clock } from '../clock.js';
import { TOKEN_SIGNING_ALGORITHM, type SecretsProvider } from './secrets.js';

/**
 * Short-lived access tokens signed by the catalog (ES256), for OAuth clients. Issuer and audience
 * are both CATALOG_TOKEN_ISSUER, so another catalog's tokens (another issuer) are refused.
 *
 * Besides `sub` and `groups` a token carries what its renewal depends on: `client_id` (the OAuth
 * client it was issued to, absent for a token exchanged from an OIDC token) and `auth_time` (when
 * the caller last proved who it is: the client-credentials grant, or the IdP's login). A token never
 * ends later than `sessionEndsAt`, so exchanging tokens cannot stretch a session.
 */
export interface TokenClaims {
  readonly subject: string;
  readonly groups: readonly string[];
  readonly clientId?: string;
  readonly scope: string;
  /** Seconds since the epoch. */
  readonly authTime: number;
  /** Seconds since the epoch: the token's `exp` is at most this. */
  readonly sessionEndsAt: number;
}

export interface IssuedToken {
  readonly token: string;
  readonly expiresIn: number;
}

export class TokenIssuer {
  private signingKey: Promise<{ kid: string; key: Awaited<ReturnType<typeof importJWK>> }> | undefined;

  constructor(
    private readonly secrets: SecretsProvider,
    private readonly issuer: string,
    private readonly lifetimeSeconds: number,
    private readonly clock: Clock,
  ) {}

  async issue(claims: TokenClaims): Promise<IssuedToken> {
    this.signingKey ??= this.secrets.get().then(async (s) => {
      const current = s.signingKeys[0]!;
      return { kid: current.kid, key: await importJWK(current.privateJwk, TOKEN_SIGNING_ALGORITHM) };
    });
    const { kid, key } = await this.signingKey;
    const now = Math.floor(this.clock.now() / 1000);
    const expiresAt = Math.min(now + this.lifetimeSeconds, Math.floor(claims.sessionEndsAt));
    const token = await new SignJWT({
      groups: [...claims.groups],
      ...(claims.clientId !== undefined ? { client_id: claims.clientId } : {}),
      scope: claims.scope,
      auth_time: Math.floor(claims.authTime),
    })
      .setProtectedHeader({ alg: TOKEN_SIGNING_ALGORITHM, kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.issuer)
      .setSubject(claims.subject)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(key);
    return { token, expiresIn: expiresAt - now };
  }
}
