import { timingSafeEqual } from 'node:crypto';
import type { AuthServices } from './auth-services.js';
import { ClientCheckThrottled } from './oauth-clients.js';

/**
 * The token endpoint (`POST /v1/oauth/tokens`, deprecated in the spec but how Spark and PyIceberg
 * log in with `credential=<client id>:<secret>`). Grants:
 *
 * - `client_credentials`: a registered OAuth client (id and secret in the form, or HTTP Basic).
 * - token exchange (RFC 8693), which Java clients use to refresh: a valid token the catalog accepts
 *   (its own or the OIDC provider's) for a fresh catalog token for the same principal. A refresh
 *   is not a new login: the new token keeps the subject's `client_id` and `auth_time`, is refused
 *   once that client is deleted, and ends at the latest `maxSessionAgeSeconds` after `auth_time`
 *   (so neither a deleted client nor a user disabled at the IdP keeps access by refreshing).
 *
 * Answers are the spec's OAuthTokenResponse, or OAuthError with the RFC 6749 codes; an unknown
 * client and a wrong secret are the same `invalid_client`.
 */
export type TokenGrantResult =
  | { readonly ok: true; readonly body: Record<string, string | number> }
  | { readonly ok: false; readonly status: 400 | 401 | 429; readonly body: { readonly error: OAuthErrorCode; readonly error_description: string } };

/** `temporarily_unavailable` is RFC 6749's code for "try again later" (§4.1.2.1). */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope' | 'temporarily_unavailable';

export const CLIENT_CREDENTIALS = 'client_credentials';
export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const ACCEPTED_SUBJECT_TOKEN_TYPES = new Set([ACCESS_TOKEN_TYPE, 'urn:ietf:params:oauth:token-type:jwt', 'urn:ietf:params:oauth:token-type:id_token']);
/** The one scope this catalog grants; other requested scopes are ignored, as RFC 6749 allows. */
export const CATALOG_SCOPE = 'catalog';

const fail = (status: 400 | 401 | 429, error: OAuthErrorCode, description: string): TokenGrantResult => ({ ok: false, status, body: { error, error_description: description } });

export const invalidRequest = (description: string): TokenGrantResult => fail(400, 'invalid_request', description);

function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (match === null) return undefined;
  const text = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  try {
    // RFC 6749 §2.3.1: both parts are form-encoded before they are joined.
    const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
    return { id: decode(text.slice(0, colon)), secret: decode(text.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface GrantSettings {
  /** A session (from `auth_time`) is never renewed beyond this (CATALOG_AUTH_MAX_SESSION_AGE). */
  readonly maxSessionAgeSeconds: number;
  readonly now: () => number;
}

export async function grantToken(auth: AuthServices, settings: GrantSettings, form: ReadonlyMap<string, string>, authorization: string | undefined): Promise<TokenGrantResult> {
  const grantType = form.get('grant_type');
  if (grantType === undefined || grantType === '') return fail(400, 'invalid_request', 'grant_type is required');
  const nowSeconds = Math.floor(settings.now() / 1000);

  if (grantType === CLIENT_CREDENTIALS) {
    const basic = basicCredentials(authorization);
    const formId = form.get('client_id');
    const id = basic?.id ?? formId;
    const secret = basic?.secret ?? form.get('client_secret');
    if (basic !== undefined && formId !== undefined && !sameText(formId, basic.id)) return fail(400, 'invalid_request', 'client_id differs from the Basic credentials');
    if (id === undefined || id === '' || secret === undefined || secret === '') return fail(401, 'invalid_client', 'Client authentication failed');
    let client: Awaited<ReturnType<typeof auth.oauthClients.verify>>;
    try {
      client = await auth.oauthClients.verify(id, secret);
    } catch (error) {
      if (error instanceof ClientCheckThrottled) return fail(429, 'temporarily_unavailable', 'Too many failed client authentications; try again later');
      throw error;
    }
    if (client === undefined) return fail(401, 'invalid_client', 'Client authentication failed');
    const issued = await auth.tokens.issue({
      subject: client.principal,
      groups: client.groups,
      clientId: client.id,
      scope: CATALOG_SCOPE,
      authTime: nowSeconds,
      sessionEndsAt: nowSeconds + settings.maxSessionAgeSeconds,
    });
    return { ok: true, body: tokenResponse(issued.token, issued.expiresIn) };
  }

  if (grantType === TOKEN_EXCHANGE) {
    const subject = form.get('subject_token');
    const subjectType = form.get('subject_token_type') ?? ACCESS_TOKEN_TYPE;
    if (subject === undefined || subject === '') return fail(400, 'invalid_request', 'subject_token is required');
    if (!ACCEPTED_SUBJECT_TOKEN_TYPES.has(subjectType)) return fail(400, 'invalid_request', 'subject_token_type is not supported');
    const invalidGrant = fail(400, 'invalid_grant', 'The subject token is invalid or expired');
    // verifyToken also refuses a catalog token whose client was deleted.
    const verified = await auth.jwts.verifyToken(subject);
    if (verified === undefined || verified.authTime === undefined) return invalidGrant;
    const sessionEndsAt = verified.authTime + settings.maxSessionAgeSeconds;
    // Less than a minute left: a token that short is of no use, and refusing says "log in again".
    if (sessionEndsAt - nowSeconds < 60) return invalidGrant;
    const issued = await auth.tokens.issue({
      subject: verified.principal.id,
      groups: verified.principal.groups,
      ...(verified.clientId !== undefined ? { clientId: verified.clientId } : {}),
      scope: CATALOG_SCOPE,
      authTime: verified.authTime,
      sessionEndsAt,
    });
    return { ok: true, body: tokenResponse(issued.token, issued.expiresIn) };
  }

  return fail(400, 'unsupported_grant_type', 'Supported grant types: client_credentials, token exchange');
}

function tokenResponse(token: string, expiresIn: number): Record<string, string | number> {
  return { access_token: token, token_type: 'bearer', expires_in: expiresIn, issued_token_type: ACCESS_TOKEN_TYPE, scope: CATALOG_SCOPE };
}
