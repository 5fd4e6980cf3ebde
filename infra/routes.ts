import { ROUTES, type RouteDefinition } from '../core/http/routes.js';
import { functionName } from './functions.js';

/**
 * The HTTP API's routes: one per entry of the route table, each integrated with its own function.
 *
 * The route key is the OpenAPI template itself: HTTP APIs match `{name}` segments the same way and
 * hand the decoded values to the function as `pathParameters` (hence CATALOG_PATH_ENCODING=decoded).
 *
 * Callers are authenticated by the function (functions/lib/route.ts: API keys, OIDC and catalog
 * tokens, then a Cedar decision), not by the gateway: both would need the Authorization header.
 * Only routes the route table marks public (the token endpoint) skip it.
 */
export interface ApiRouteSpec {
  /** `"<METHOD> <path template>"`, as API Gateway and SST take it. */
  readonly routeKey: string;
  readonly operationId: string;
  readonly functionName: string;
  /** `caller`: the function refuses requests without valid credentials (401). */
  readonly authentication: 'caller' | 'none';
}

export const API_ROUTES: readonly ApiRouteSpec[] = ROUTES.map((route: RouteDefinition) => ({
  routeKey: `${route.method} ${route.path}`,
  operationId: route.operationId,
  functionName: functionName(route.operationId),
  authentication: route.public === true ? 'none' : 'caller',
}));
