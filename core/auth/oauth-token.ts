import { timingSafeEqual } from 'node:crypto';
import type { AuthServices } from './auth-services.js';

/**
 * The token endpoint (`POST /v1/oauth/tokens`, deprecated in the spec but how Spark and PyIceberg
 * log in with `credential=<client id>:<secret>`). Grants:
 *
 * - `client_credentials`: a registered OAuth client (id and secret in the form, or HTTP Basic).
 * - token exchange (RFC 8693), which Java clients use to refresh: a valid token the catalog accepts
 *   (its own or the OIDC provider's) for a fresh catalog token for the same principal.
 *
 * Answers are the spec's OAuthTokenResponse, or OAuthError with the RFC 6749 codes; an unknown
 * client and a wrong secret are the same `invalid_client`.
 */
export type TokenGrantResult =
  | { readonly ok: true; readonly body: Record<string, string | number> }
  | { readonly ok: false; readonly status: 400 | 401; readonly body: { readonly error: OAuthErrorCode; readonly error_description: string } };

export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope';

export const CLIENT_CREDENTIALS = 'client_credentials';
export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const ACCEPTED_SUBJECT_TOKEN_TYPES = new Set([ACCESS_TOKEN_TYPE, 'urn:ietf:params:oauth:token-type:jwt', 'urn:ietf:params:oauth:token-type:id_token']);
/** The one scope this catalog grants; other requested scopes are ignored, as RFC 6749 allows. */
export const CATALOG_SCOPE = 'catalog';

const fail = (status: 400 | 401, error: OAuthErrorCode, description: string): TokenGrantResult => ({ ok: false, status, body: { error, error_description: description } });

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

export async function grantToken(auth: AuthServices, form: Readonly<Record<string, string>>, authorization: string | undefined): Promise<TokenGrantResult> {
  const grantType = form['grant_type'];
  if (grantType === undefined || grantType === '') return fail(400, 'invalid_request', 'grant_type is required');

  if (grantType === CLIENT_CREDENTIALS) {
    const basic = basicCredentials(authorization);
    const id = basic?.id ?? form['client_id'];
    const secret = basic?.secret ?? form['client_secret'];
    if (basic !== undefined && form['client_id'] !== undefined && !sameText(form['client_id'], basic.id)) return fail(400, 'invalid_request', 'client_id differs from the Basic credentials');
    if (id === undefined || id === '' || secret === undefined || secret === '') return fail(401, 'invalid_client', 'Client authentication failed');
    const client = await auth.oauthClients.verify(id, secret);
    if (client === undefined) return fail(401, 'invalid_client', 'Client authentication failed');
    const issued = await auth.tokens.issue({ subject: client.principal, groups: client.groups, clientId: client.id, scope: CATALOG_SCOPE });
    return { ok: true, body: tokenResponse(issued.token, issued.expiresIn) };
  }

  if (grantType === TOKEN_EXCHANGE) {
    const subject = form['subject_token'];
    const subjectType = form['subject_token_type'] ?? ACCESS_TOKEN_TYPE;
    if (subject === undefined || subject === '') return fail(400, 'invalid_request', 'subject_token is required');
    if (!ACCEPTED_SUBJECT_TOKEN_TYPES.has(subjectType)) return fail(400, 'invalid_request', 'subject_token_type is not supported');
    const principal = await auth.jwts.verify(subject);
    if (principal === undefined) return fail(400, 'invalid_grant', 'The subject token is invalid or expired');
    const issued = await auth.tokens.issue({ subject: principal.id, groups: principal.groups, clientId: 'token-exchange', scope: CATALOG_SCOPE });
    return { ok: true, body: tokenResponse(issued.token, issued.expiresIn) };
  }

  return fail(400, 'unsupported_grant_type', 'Supported grant types: client_credentials, token exchange');
}

function tokenResponse(token: string, expiresIn: number): Record<string, string | number> {
  return { access_token: token, token_type: 'bearer', expires_in: expiresIn, issued_token_type: ACCESS_TOKEN_TYPE, scope: CATALOG_SCOPE };
}
