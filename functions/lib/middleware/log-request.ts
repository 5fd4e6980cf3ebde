import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { RouteDefinition } from '../../../core/http/routes.js';
import type { HttpEvent, HttpResult } from '../api-gateway.js';
import { log } from '../logger.js';
import { requestState, setRequestState } from '../request-state.js';

/** What a commit reports about its own retries (update-table.ts): server-side retries and append rebases. */
function commitCounters(headers: Record<string, unknown> | undefined): { commitRetries?: number; commitRebases?: number } {
  const retries = headers?.['x-catalog-commit-retries'];
  const rebases = headers?.['x-catalog-commit-rebases'];
  return {
    ...(retries !== undefined ? { commitRetries: Number(retries) } : {}),
    ...(rebases !== undefined ? { commitRebases: Number(rebases) } : {}),
  };
}

/** Opens the request's state (id, route, start time) and writes one structured line when it ends. */
export function logRequest(route: RouteDefinition): MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  const finish = (request: { event: HttpEvent; response: HttpResult | null | undefined }) => {
    const state = requestState(request.event);
    const status = request.response?.statusCode ?? 500;
    // 501 is a known answer (a route not built yet), not a fault worth an alarm.
    log(status >= 500 && status !== 501 ? 'error' : 'info', 'request', {
      requestId: state.requestId,
      operationId: route.operationId,
      method: request.event.requestContext.http.method,
      path: request.event.rawPath,
      status,
      durationMs: Math.round((performance.now() - state.startedAt) * 100) / 100,
      ...(state.errorType !== undefined ? { errorType: state.errorType } : {}),
      ...(state.errorId !== undefined ? { errorId: state.errorId } : {}),
      ...commitCounters(request.response?.headers),
    });
  };
  return {
    name: 'logRequest',
    before: (request) => {
      const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
      setRequestState(request.event, { route, requestId, startedAt: performance.now() });
    },
    after: finish,
    onError: finish,
  };
}
