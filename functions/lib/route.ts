import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { Context } from 'aws-lambda';
import { visibleOnly } from '../../core/auth/list-visibility.js';
import type { Operation, OperationRequest } from '../../core/http/operation.js';
import { routeFor, type OperationId } from '../../core/http/routes.js';
import { jsonResult, parseQuery, type HttpEvent, type HttpResult } from './api-gateway.js';
import { catalogContext } from './catalog-context.js';
import { authenticate } from './middleware/authenticate.js';
import { authorize } from './middleware/authorize.js';
import { idempotency } from './middleware/idempotency.js';
import { logRequest } from './middleware/log-request.js';
import { mapErrors } from './middleware/map-errors.js';
import { parseJsonBody } from './middleware/parse-json-body.js';
import { FORM_ENCODED_OPERATIONS, parseFormBody } from './middleware/parse-form-body.js';
import { pathParams } from './path-params.js';
import { requestState } from './request-state.js';

/**
 * A Lambda handler for one route: the shared middleware stack around one catalog operation.
 * Order matters: errors are mapped before the request line is logged, so the log has the status;
 * the caller is authenticated before its body is even parsed, and authorized (on the resources the
 * path and body name) before an idempotency receipt is touched.
 */
export function route(operationId: OperationId, operation: Operation) {
  const definition = routeFor(operationId);
  return middy<HttpEvent, HttpResult, Error, Context>()
    .use(logRequest(definition))
    .use(httpHeaderNormalizer() as middy.MiddlewareObj<HttpEvent, HttpResult, Error, Context>)
    .use(authenticate(definition))
    .use(FORM_ENCODED_OPERATIONS.has(operationId) ? parseFormBody() : parseJsonBody())
    .use(authorize(definition))
    .use(idempotency(definition))
    .use(mapErrors())
    .handler(async (event) => {
      const replay = requestState(event).idempotency;
      if (replay?.kind === 'replay') {
        return { statusCode: replay.response.status, headers: { ...replay.response.headers }, ...(replay.response.body !== undefined ? { body: replay.response.body } : {}) };
      }
      const request: OperationRequest = {
        route: definition,
        requestId: requestState(event).requestId,
        pathParams: pathParams(definition, event),
        query: parseQuery(event.rawQueryString),
        headers: Object.fromEntries(Object.entries(event.headers ?? {}).filter((e): e is [string, string] => e[1] !== undefined)),
        body: requestState(event).body,
        caller: requestState(event).principal,
      };
      const access = requestState(event).access;
      const answer = await operation(request, await catalogContext());
      const response = access === undefined ? answer : visibleOnly(operationId, request.pathParams['prefix'] ?? '', answer, (r) => access.canSee(r));
      const body = event.requestContext.http.method === 'HEAD' ? undefined : response.body;
      return jsonResult(response.status, body, { ...response.headers });
    });
}

