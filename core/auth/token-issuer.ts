import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import type { Clock } from '../catalog/context.js';
import { TOKEN_SIGNING_ALGORITHM, type SecretsProvider } from './secrets.js';

/**
 * Short-lived access tokens signed by the catalog (ES256), for OAuth clients. Issuer and audience
 * are both CATALOG_TOKEN_ISSUER, so another catalog's tokens (another issuer) are refused.
 */
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

  async issue(claims: { subject: string; groups: readonly string[]; clientId: string; scope: string }): Promise<IssuedToken> {
    this.signingKey ??= this.secrets.get().then(async (s) => {
      const current = s.signingKeys[0]!;
      return { kid: current.kid, key: await importJWK(current.privateJwk, TOKEN_SIGNING_ALGORITHM) };
    });
    const { kid, key } = await this.signingKey;
    const now = Math.floor(this.clock.now() / 1000);
    const token = await new SignJWT({ groups: [...claims.groups], client_id: claims.clientId, scope: claims.scope })
      .setProtectedHeader({ alg: TOKEN_SIGNING_ALGORITHM, kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.issuer)
      .setSubject(claims.subject)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + this.lifetimeSeconds)
      .setJti(randomUUID())
      .sign(key);
    return { token, expiresIn: this.lifetimeSeconds };
  }
}
