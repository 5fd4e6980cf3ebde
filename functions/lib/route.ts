import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { Context } from 'aws-lambda';
import { authServices } from '../../core/auth/auth-services.js';
import { openedPageToken, sealNextPageToken, visibleEntries, type ListingBinding } from '../../core/auth/list-visibility.js';
import { ANONYMOUS, principalLabel } from '../../core/auth/principal.js';
import type { ResourceRef } from '../../core/auth/resources.js';
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
      const params = pathParams(definition, event);
      const session = requestState(event).access;
      let query = parseQuery(event.rawQueryString);
      const ctx = await catalogContext();
      // List routes: the caller's page token is sealed (see core/auth/list-visibility.ts); the
      // operation gets the catalog's own token inside it, and the answer's token is sealed again.
      const listing: { binding: ListingBinding; key: Uint8Array } | undefined =
        definition.list === undefined
          ? undefined
          : {
              binding: {
                kind: definition.list,
                warehouse: params['prefix'] ?? '',
                namespace: params['namespace'] ?? query.get('parent') ?? '',
                caller: principalLabel(requestState(event).principal ?? ANONYMOUS),
              },
              key: (await authServices(ctx).secrets.get()).pageTokenKey,
            };
      const pageToken = query.get('pageToken');
      if (listing !== undefined && pageToken !== undefined) query = new Map(query).set('pageToken', openedPageToken(listing.key, pageToken, listing.binding));
      const request: OperationRequest = {
        route: definition,
        requestId: requestState(event).requestId,
        pathParams: params,
        query,
        headers: Object.fromEntries(Object.entries(event.headers ?? {}).filter((e): e is [string, string] => e[1] !== undefined)),
        body: requestState(event).body,
        caller: requestState(event).principal,
        ...(session !== undefined ? { access: { allows: (action, resource) => session.decide(action, resource).allowed } } : {}),
      };
      const answer = await operation(request, ctx);
      const response = listing === undefined || answer.status < 200 || answer.status >= 300 ? answer : { ...answer, body: listAnswer(answer.body, listing, session) };
      const body = event.requestContext.http.method === 'HEAD' ? undefined : response.body;
      return jsonResult(response.status, body, { ...response.headers });
    });
}

function listAnswer(body: unknown, listing: { binding: ListingBinding; key: Uint8Array }, access: { canSee: (r: ResourceRef) => boolean } | undefined): Record<string, unknown> {
  const { binding } = listing;
  const visible = access === undefined ? (body as Record<string, unknown>) : visibleEntries(binding.kind, binding.warehouse, body, (r) => access.canSee(r));
  return sealNextPageToken(listing.key, visible, binding);
}
