import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { authServices } from '../../../core/auth/auth-services.js';
import { ANONYMOUS, principalLabel } from '../../../core/auth/principal.js';
import { NotAuthorizedError } from '../../../core/errors.js';
import type { RouteDefinition } from '../../../core/http/routes.js';
import type { HttpEvent, HttpResult } from '../api-gateway.js';
import { catalogContext, config } from '../catalog-context.js';
import { log } from '../logger.js';
import { requestState } from '../request-state.js';

if (!config.auth.enabled) {
  log('warn', 'authentication is disabled (CATALOG_AUTH=disabled): every caller is anonymous and may do anything; for local experiments only');
}

/** RFC 6750 §3: a 401 names the scheme it wants. */
const CHALLENGE = 'Bearer realm="iceberg-catalog"';

/**
 * Who is calling: `Authorization: Bearer <JWT or API key>` → the request's principal, or 401 in the
 * spec's error model. Public routes (the token endpoint) skip it. Failures are logged (a warn line
 * with the request id, never the credential) rather than written to the audit store, so anonymous
 * traffic cannot make the catalog write objects.
 */
export function authenticate(route: RouteDefinition): MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  return {
    name: 'authenticate',
    before: async (request) => {
      const state = requestState(request.event);
      if (!config.auth.enabled) {
        state.principal = ANONYMOUS;
        return;
      }
      if (route.public) return;
      try {
        state.principal = await authServices(await catalogContext()).authenticator.authenticate(request.event.headers?.['authorization']);
      } catch (error) {
        if (error instanceof NotAuthorizedError) {
          log('warn', 'authentication failed', { requestId: state.requestId, operationId: route.operationId, sourceIp: request.event.requestContext?.http?.sourceIp });
        }
        throw error;
      }
      state.caller = principalLabel(state.principal);
    },
    onError: (request) => {
      if (request.response?.statusCode === 401) request.response.headers = { ...request.response.headers, 'www-authenticate': CHALLENGE };
    },
  };
}
