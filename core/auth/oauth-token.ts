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
 * Answers are the spec's OAuthTokenResponse, or OAuthError with the RFC 6749 §5.2 codes and only
 * the statuses the spec lists for getToken (400, 401; 5XX for faults). An unknown client and a
 * wrong secret are the same `invalid_client`; so is a check the secret-hashing throttle refused
 * (with `retryAfterSeconds`): client authentication did not succeed, and no other code or status
 * the spec allows means "not now" (see docs/security.md).
 */
export type TokenGrantResult = { readonly ok: true; readonly body: Record<string, string | number> } | TokenGrantRefusal;

export interface TokenGrantRefusal {
  readonly ok: false;
  readonly status: OAuthErrorStatus;
  readonly body: OAuthErrorBody;
  /** Set when the refusal is a throttle: when asking again can succeed. */
  readonly retryAfterSeconds?: number;
}

/** The spec's OAuthError (rest-catalog-open-api.yaml): exactly RFC 6749 §5.2's codes, none other. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope';
export interface OAuthErrorBody {
  readonly error: OAuthErrorCode;
  readonly error_description?: string;
  readonly error_uri?: string;
}
/** The refusals getToken documents; a server fault keeps its 5xx (core/http/error-response.ts). */
export type OAuthErrorStatus = 400 | 401;

/** RFC 6749 §5.1/§5.2: token answers, refusals included, are never cached. */
export const OAUTH_NO_STORE: Readonly<Record<string, string>> = { 'cache-control': 'no-store', pragma: 'no-cache' };

const REALM = 'iceberg-catalog';

/**
 * The `WWW-Authenticate` challenge of a 401 from the token endpoint. RFC 6749 §5.2: a client that
 * authenticated with the Authorization header gets a challenge in the scheme it used; HTTP (RFC
 * 9110 §11.6.1) wants one on every 401, so a client that sent its credentials in the form, or no
 * credentials, is offered Basic, the header scheme this endpoint accepts.
 */
export function tokenEndpointChallenge(authorization: string | undefined): string {
  return /^\s*Bearer(\s|$)/i.test(authorization ?? '') ? `Bearer realm="${REALM}"` : `Basic realm="${REALM}", charset="UTF-8"`;
}

/** The headers of an OAuthError answer: no-store, the challenge on a 401, Retry-After on a throttle. */
export function oauthErrorHeaders(status: number, authorization: string | undefined, retryAfterSeconds?: number): Record<string, string> {
  return {
    ...OAUTH_NO_STORE,
    ...(status === 401 ? { 'www-authenticate': tokenEndpointChallenge(authorization) } : {}),
    ...(retryAfterSeconds !== undefined ? { 'retry-after': String(retryAfterSeconds) } : {}),
  };
}

export const CLIENT_CREDENTIALS = 'client_credentials';
export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const ACCEPTED_SUBJECT_TOKEN_TYPES = new Set([ACCESS_TOKEN_TYPE, 'urn:ietf:params:oauth:token-type:jwt', 'urn:ietf:params:oauth:token-type:id_token']);
/** The one scope this catalog grants; other requested scopes are ignored, as RFC 6749 allows. */
export const CATALOG_SCOPE = 'catalog';

const fail = (status: OAuthErrorStatus, error: OAuthErrorCode, description: string, retryAfterSeconds?: number): TokenGrantRefusal => ({
  ok: false,
  status,
  body: { error, error_description: description },
  ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
});

/** The description of a throttled check; a wrong secret's says only that authentication failed. */
export const THROTTLED = 'Too many failed client authentications; try again later';
export const CLIENT_AUTHENTICATION_FAILED = 'Client authentication failed';

export const invalidRequest = (description: string): TokenGrantRefusal => fail(400, 'invalid_request', description);

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

/** What a grant needs from the auth services (a narrow view, so unit tests build only these). */
export type GrantServices = Pick<AuthServices, 'oauthClients' | 'tokens' | 'jwts'>;

export async function grantToken(auth: GrantServices, settings: GrantSettings, form: ReadonlyMap<string, string>, authorization: string | undefined): Promise<TokenGrantResult> {
  const grantType = form.get('grant_type');
  if (grantType === undefined || grantType === '') return fail(400, 'invalid_request', 'grant_type is required');
  const nowSeconds = Math.floor(settings.now() / 1000);

  if (grantType === CLIENT_CREDENTIALS) {
    const basic = basicCredentials(authorization);
    const formId = form.get('client_id');
    const id = basic?.id ?? formId;
    const secret = basic?.secret ?? form.get('client_secret');
    if (basic !== undefined && formId !== undefined && !sameText(formId, basic.id)) return fail(400, 'invalid_request', 'client_id differs from the Basic credentials');
    if (id === undefined || id === '' || secret === undefined || secret === '') return fail(401, 'invalid_client', CLIENT_AUTHENTICATION_FAILED);
    let client: Awaited<ReturnType<typeof auth.oauthClients.verify>>;
    try {
      client = await auth.oauthClients.verify(id, secret);
    } catch (error) {
      // Refused before any hashing. 401 invalid_client, not 429: the spec lists only 400 and 401.
      if (error instanceof ClientCheckThrottled) return fail(401, 'invalid_client', THROTTLED, Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
      throw error;
    }
    if (client === undefined) return fail(401, 'invalid_client', CLIENT_AUTHENTICATION_FAILED);
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
