import { authServices } from '../../auth/auth-services.js';
import { grantToken, invalidRequest, OAUTH_NO_STORE, oauthErrorHeaders } from '../../auth/oauth-token.js';
import { isJsonObject } from '../../json/lossless-json.js';
import type { Operation } from '../operation.js';

/**
 * `POST /v1/oauth/tokens`: the form fields arrive as a JSON object whose values are strings, or
 * arrays for a repeated field (see parseFormBody); RFC 6749 §3.1: "Request and response parameters
 * MUST NOT be included more than once", so a repeated one is `invalid_request`. Refusals raised
 * before this runs (content type, body size) get the same OAuthError model from mapErrors.
 */
export const getToken: Operation = async (request, ctx) => {
  const form = new Map<string, string>();
  const repeated: string[] = [];
  if (isJsonObject(request.body)) {
    for (const [k, v] of Object.entries(request.body)) {
      if (typeof v === 'string') form.set(k, v);
      else if (Array.isArray(v)) repeated.push(k);
    }
  }
  const result =
    repeated.length > 0
      ? invalidRequest(`Repeated parameter: ${repeated.map((r) => r.slice(0, 64)).join(', ')}`)
      : await grantToken(authServices(ctx), { maxSessionAgeSeconds: ctx.config.auth.maxSessionAgeSeconds, now: () => ctx.clock.now() }, form, request.headers['authorization']);
  if (result.ok) return { status: 200, body: result.body, headers: { ...OAUTH_NO_STORE } };
  return { status: result.status, body: result.body, headers: oauthErrorHeaders(result.status, request.headers['authorization'], result.retryAfterSeconds) };
};
