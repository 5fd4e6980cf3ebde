import { matchRoute } from '../core/http/route-matcher.js';
import { ROUTE_TEMPLATES, type HttpMethod, type RouteTemplate } from '../core/http/routes.js';
import { functionName } from './functions.js';

/**
 * The HTTP API's routes: one per template of the route table (each route's own path and, for the
 * Iceberg routes under `/v1/{prefix}/`, its un-prefixed twin), each integrated with its operation's
 * function, plus the literal routes that settle where two templates overlap (below).
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
  /**
   * `own`: the route table's template; `unprefixed`: its twin without `{prefix}` (the default
   * warehouse); `literal`: a path two templates both match, pinned to the operation the catalog's
   * own matcher chooses (core/http/route-matcher.ts).
   */
  readonly form: 'own' | 'unprefixed' | 'literal';
}

/** API Gateway's default quota of routes per HTTP API (adjustable, but a deploy should not need it). */
export const HTTP_API_ROUTE_QUOTA = 300;

function spec(template: RouteTemplate, routeKey: string, form: ApiRouteSpec['form']): ApiRouteSpec {
  const { route } = template;
  return { routeKey, operationId: route.operationId, functionName: functionName(route.operationId), authentication: route.public === true ? 'none' : 'caller', form };
}

const isParam = (segment: string) => segment.startsWith('{') && segment.endsWith('}');

/**
 * The paths both templates match, as a template (a literal wherever either has one), or undefined
 * when they share none: `/v1/{prefix}/namespaces` ∩ `/v1/namespaces/{namespace}` = `/v1/namespaces/namespaces`.
 */
export function overlapOf(a: string, b: string): string | undefined {
  const sa = a.split('/');
  const sb = b.split('/');
  if (sa.length !== sb.length) return undefined;
  const out: string[] = [];
  for (let i = 0; i < sa.length; i++) {
    const x = sa[i]!;
    const y = sb[i]!;
    if (isParam(x)) out.push(y);
    else if (isParam(y) || x === y) out.push(x);
    else return undefined;
  }
  return out.join('/');
}

/**
 * Where two templates of one method overlap, API Gateway's choice is documented only when one of
 * them is fully literal ("full match" of a static route wins over one with path variables); between
 * two templates with variables in different places (`/v1/{prefix}/namespaces` and
 * `/v1/namespaces/{namespace}` for `GET /v1/namespaces/namespaces`) it is not. So every such
 * overlap gets its own literal route, integrated with the function the catalog's matcher picks for
 * that path: the deployment answers exactly as the local server does. Overlaps are all literal here
 * (the un-prefixed twins shift literals and variables by one segment); one that is not fails the build.
 */
function literalRoutes(templated: readonly ApiRouteSpec[]): ApiRouteSpec[] {
  const byKey = new Map(templated.map((r) => [r.routeKey, r]));
  const literal = new Map<string, ApiRouteSpec>();
  for (let i = 0; i < templated.length; i++) {
    for (let j = i + 1; j < templated.length; j++) {
      const [methodA, pathA] = templated[i]!.routeKey.split(' ') as [HttpMethod, string];
      const [methodB, pathB] = templated[j]!.routeKey.split(' ') as [HttpMethod, string];
      if (methodA !== methodB || !pathA.includes('{') || !pathB.includes('{')) continue;
      const overlap = overlapOf(pathA, pathB);
      if (overlap === undefined) continue;
      const routeKey = `${methodA} ${overlap}`;
      if (overlap.includes('{')) throw new Error(`${pathA} and ${pathB} overlap on ${overlap}, which no literal route can pin`);
      if (byKey.has(routeKey) || literal.has(routeKey)) continue;
      const match = matchRoute(methodA, overlap);
      if (match.kind !== 'matched') throw new Error(`${routeKey}: matched by ${pathA} and ${pathB} in API Gateway, by no route in the catalog`);
      literal.set(routeKey, spec(match.template, routeKey, 'literal'));
    }
  }
  return [...literal.values()];
}

const TEMPLATED: readonly ApiRouteSpec[] = ROUTE_TEMPLATES.map((t) => spec(t, `${t.route.method} ${t.path}`, t.unprefixed ? 'unprefixed' : 'own'));

export const API_ROUTES: readonly ApiRouteSpec[] = [...TEMPLATED, ...literalRoutes(TEMPLATED)];
