import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { ACTIONS, isActionId } from '../../../core/auth/actions.js';
import { authServices } from '../../../core/auth/auth-services.js';
import { accessDeniedError } from '../../../core/auth/authorizer.js';
import { principalLabel } from '../../../core/auth/principal.js';
import { requestChecks } from '../../../core/auth/request-resources.js';
import { requestTarget } from '../../../core/http/request-target.js';
import type { RouteDefinition } from '../../../core/http/routes.js';
import { parseQuery, type HttpEvent, type HttpResult } from '../api-gateway.js';
import { catalogContext, config } from '../catalog-context.js';
import { log } from '../logger.js';
import { pathParams, requestPath } from '../path-params.js';
import { requestState } from '../request-state.js';

/**
 * The Cedar decision for the route's action on the resources the request names (see
 * core/auth/request-resources.ts). Denied: 404 when the caller may not see the resource (the same
 * answer as a missing one), else 403. Allowed: the request's access session stays in the request
 * state, so list routes can drop what the caller may not see.
 *
 * Audit: a denial is recorded before it is answered (rationed per principal, see core/auth/audit.ts;
 * a denial past the ration is a log line); an allowed mutation is recorded before it runs, and a
 * failed audit write stops it (503).
 */
export function authorize(route: RouteDefinition): MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  const operationId = route.operationId;
  if (!route.public && !isActionId(operationId)) throw new Error(`route ${operationId} has no Cedar action (core/auth/actions.ts): refusing to serve it unauthorized`);
  return {
    name: 'authorize',
    before: async (request) => {
      if (!config.auth.enabled || route.public || !isActionId(operationId)) return;
      const state = requestState(request.event);
      const principal = state.principal;
      if (principal === undefined) throw new Error(`authorize ran without a principal for ${route.operationId}`);
      const auth = authServices(await catalogContext());
      const raw = { pathParams: pathParams(route, request.event), query: parseQuery(request.event.rawQueryString), body: state.body };
      const checks = requestChecks(operationId, requestTarget(operationId, raw, config));
      const session = await auth.authorizer.session(principal);
      const outcome = session.check(checks);
      // The path in its prefixed form: a request reads the same in the audit log whichever form it used.
      const event = { requestId: state.requestId, operation: route.operationId, method: request.event.requestContext.http.method, path: requestPath(route, request.event), principal, checks };
      if (!outcome.allowed) {
        const error = accessDeniedError(outcome.check, outcome.visible);
        try {
          const written = await auth.audit.recordDenial({ ...event, status: error.status, policies: outcome.policies });
          if (written === 'suppressed') log('warn', 'denial not written to the audit log (rationed per principal)', { requestId: state.requestId, principal: principalLabel(principal), operationId: route.operationId, status: error.status });
        } catch (auditError) {
          log('error', 'audit record of a denial not written', { requestId: state.requestId, detail: String(auditError) });
        }
        throw error;
      }
      state.access = session;
      if (ACTIONS[operationId].mutates) await auth.audit.record({ ...event, decision: 'allow', policies: outcome.policies });
    },
  };
}
