import { authServices } from '../../auth/auth-services.js';
import { grantToken } from '../../auth/oauth-token.js';
import { isJsonObject } from '../../json/lossless-json.js';
import type { Operation } from '../operation.js';

/** RFC 6749 §5.1: token answers are never cached. */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** `POST /v1/oauth/tokens`: the form fields arrive as a JSON object of strings (see parseFormBody). */
export const getToken: Operation = async (request, ctx) => {
  const form: Record<string, string> = {};
  if (isJsonObject(request.body)) for (const [k, v] of Object.entries(request.body)) if (typeof v === 'string') form[k] = v;
  const result = await grantToken(authServices(ctx), form, request.headers['authorization']);
  return { status: result.ok ? 200 : result.status, body: result.body, headers: NO_STORE };
};
