import { NotAuthorizedError } from '../errors.js';
import { ApiKeys } from './api-keys.js';
import type { JwtVerifier } from './jwt-verifier.js';
import type { Principal } from './principal.js';

/**
 * `Authorization: Bearer <credential>` → the principal. A credential of the form `<id>.<secret>` is
 * an API key; anything else must be a JWT. Every failure is the same 401 with the same message,
 * so a caller learns nothing about why (expired, wrong signature, unknown key, revoked…).
 */
export const MISSING_CREDENTIALS = 'Authentication required: send Authorization: Bearer <token or API key>';
export const INVALID_CREDENTIALS = 'Authentication failed: the credentials are invalid or expired';

/** Bearer values longer than this are refused before any parsing. */
const MAX_CREDENTIAL_LENGTH = 16 * 1024;

export class Authenticator {
  constructor(
    private readonly apiKeys: ApiKeys,
    private readonly jwts: JwtVerifier,
  ) {}

  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (authorization === undefined || authorization.trim() === '') throw new NotAuthorizedError(MISSING_CREDENTIALS);
    const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(authorization);
    if (match === null || match[1]!.length > MAX_CREDENTIAL_LENGTH) throw new NotAuthorizedError(INVALID_CREDENTIALS);
    const credential = match[1]!;
    const principal = ApiKeys.looksLikeApiKey(credential) ? await this.apiKeys.verify(credential) : await this.jwts.verify(credential);
    if (principal === undefined) throw new NotAuthorizedError(INVALID_CREDENTIALS);
    return principal;
  }
}
