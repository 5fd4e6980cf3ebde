import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { oauthErrorHeaders } from '../../../core/auth/oauth-token.js';
import { mapErrorFor, mapOAuthError } from '../../../core/http/error-response.js';
import type { OperationId } from '../../../core/http/routes.js';
import { jsonResult, type HttpEvent, type HttpResult } from '../api-gateway.js';
import { log } from '../logger.js';
import { requestState } from '../request-state.js';

/** Operations whose errors are the spec's OAuthError (RFC 6749 §5.2), not its Iceberg error model. */
const OAUTH_ERROR_OPERATIONS: ReadonlySet<OperationId> = new Set<OperationId>(['getToken']);

/** Every failure leaves as the spec's error model; unexpected ones are logged with their cause chain. */
export function mapErrors(): MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  return {
    name: 'mapErrors',
    onError: (request) => {
      const state = requestState(request.event);
      const oauth = OAUTH_ERROR_OPERATIONS.has(state.route.operationId);
      const mapped = oauth ? mapOAuthError(request.error) : mapErrorFor(state.route.operationId, request.error);
      state.errorType = typeof mapped.body.error === 'string' ? mapped.body.error : mapped.body.error.type;
      if (mapped.internal !== undefined) {
        state.errorId = mapped.internal.errorId;
        log('error', 'unexpected error', { requestId: state.requestId, errorId: mapped.internal.errorId, detail: mapped.internal.detail });
      }
      const isHead = request.event.requestContext.http.method === 'HEAD';
      // OAuth errors carry no-store and, on a 401, a challenge (RFC 6749 §5.2).
      const headers = oauth ? oauthErrorHeaders(mapped.status, request.event.headers?.['authorization']) : {};
      request.response = jsonResult(mapped.status, isHead ? undefined : mapped.body, headers);
    },
  };
}
