import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { beginIdempotent, finishIdempotent } from '../../../core/catalog/idempotency/idempotency.js';
import { BadRequestError } from '../../../core/errors.js';
import { PREFIX_PARAM, type RouteDefinition } from '../../../core/http/routes.js';
import { bodyText, type HttpEvent, type HttpResult } from '../api-gateway.js';
import { catalogContext, config } from '../catalog-context.js';
import { log } from '../logger.js';
import { pathParams, requestPath } from '../path-params.js';
import { requestState } from '../request-state.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function warehouseOf(route: RouteDefinition, event: HttpEvent): string | undefined {
  const prefix = pathParams(route, event)[PREFIX_PARAM];
  return config.warehouses.some((w) => w.name === prefix) ? prefix : undefined;
}

/**
 * `Idempotency-Key` on the routes that declare it: the first final answer is stored as a receipt
 * and replayed to retries with the same key (the handler returns it instead of acting again);
 * 5xx answers release the key. Runs after body parsing and before error mapping, so it stores the
 * answer exactly as the client got it.
 */
export function idempotency(route: RouteDefinition): MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  const finish = async (request: { event: HttpEvent; response: HttpResult | null | undefined }) => {
    const start = requestState(request.event).idempotency;
    if (start?.kind !== 'execute' || !request.response) return;
    const { statusCode, headers, body } = request.response;
    try {
      await finishIdempotent(await catalogContext(), start, {
        status: statusCode ?? 200,
        headers: Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, String(v)])),
        ...(typeof body === 'string' ? { body } : {}),
      });
    } catch (error) {
      // The answer still goes out; a retry finds the key in progress and runs again after its timeout.
      log('error', 'idempotency receipt not stored', { requestId: requestState(request.event).requestId, detail: String(error) });
    }
  };
  return {
    name: 'idempotency',
    before: async (request) => {
      const key = request.event.headers?.['idempotency-key'];
      if (!route.idempotent || key === undefined) return;
      if (!UUID.test(key)) throw new BadRequestError('Invalid Idempotency-Key: expected a UUID');
      const warehouse = warehouseOf(route, request.event);
      if (warehouse === undefined) return;
      const state = requestState(request.event);
      state.idempotency = await beginIdempotent(
        await catalogContext(),
        {
          warehouse,
          caller: state.caller ?? 'anonymous',
          method: request.event.requestContext.http.method,
          // The prefixed form: /v1/namespaces and /v1/<default>/namespaces share one key space.
          path: requestPath(route, request.event),
          key: key.toLowerCase(),
          body: bodyText(request.event) ?? '',
        },
        config.idempotencyLifetime.ms,
      );
    },
    after: finish,
    onError: finish,
  };
}
