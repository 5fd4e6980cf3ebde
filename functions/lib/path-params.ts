import { BadRequestError } from '../../core/errors.js';
import { extractParams } from '../../core/http/route-matcher.js';
import { PREFIX_PARAM, prefixedRequestPath, ROUTE_TEMPLATES, type RouteDefinition, type RouteTemplate } from '../../core/http/routes.js';
import type { HttpEvent } from './api-gateway.js';
import { config } from './catalog-context.js';

/**
 * The template an event came in on, from its routeKey (API Gateway and the local server both name
 * it): the route's own path, its un-prefixed twin, or one of the literal routes infra/routes.ts adds
 * where two templates overlap (`GET /v1/namespaces/namespaces`). A literal route carries no
 * `pathParameters`: its parameters are the words of the route key itself, read off the template.
 */
interface EventTemplate {
  readonly template: RouteTemplate;
  readonly fromRouteKey: Readonly<Record<string, string>>;
}

const TEMPLATES_BY_OPERATION = new Map<string, RouteTemplate[]>();
for (const t of ROUTE_TEMPLATES) TEMPLATES_BY_OPERATION.set(t.route.operationId, [...(TEMPLATES_BY_OPERATION.get(t.route.operationId) ?? []), t]);

/** Read once per event: authorize, idempotency and the handler all ask (the event is unique per invocation). */
const resolved = new WeakMap<HttpEvent, EventTemplate>();

function eventTemplate(route: RouteDefinition, event: HttpEvent): EventTemplate {
  let found = resolved.get(event);
  if (found === undefined) {
    found = resolveTemplate(route, event);
    resolved.set(event, found);
  }
  return found;
}

function resolveTemplate(route: RouteDefinition, event: HttpEvent): EventTemplate {
  const templates = TEMPLATES_BY_OPERATION.get(route.operationId) ?? [];
  const own = templates.find((t) => !t.unprefixed)!;
  const routeKey = event.routeKey ?? '';
  const keyPath = routeKey.startsWith(`${route.method} `) ? routeKey.slice(route.method.length + 1) : undefined;
  if (keyPath === undefined) return { template: own, fromRouteKey: {} };
  const exact = templates.find((t) => t.path === keyPath);
  if (exact !== undefined) return { template: exact, fromRouteKey: {} };
  for (const template of templates) {
    const fromRouteKey = extractParams(template, keyPath);
    if (fromRouteKey !== undefined) return { template, fromRouteKey };
  }
  return { template: own, fromRouteKey: {} };
}

/**
 * The route's path parameters, still encoded when the path was (see CATALOG_PATH_ENCODING). On an
 * un-prefixed template, `prefix` is the default warehouse: from here on (authorization, idempotency,
 * page tokens, the operation) the request is exactly its prefixed twin.
 */
export function pathParams(route: RouteDefinition, event: HttpEvent): Record<string, string> {
  const { template, fromRouteKey } = eventTemplate(route, event);
  let params: Record<string, string> | undefined;
  if (config.pathEncoding === 'decoded') params = { ...fromRouteKey, ...(event.pathParameters as Record<string, string> | undefined) };
  else params = extractParams(template, event.rawPath);
  if (params === undefined) throw new BadRequestError(`Path ${event.rawPath} does not match ${template.path}`);
  return template.unprefixed ? { ...params, [PREFIX_PARAM]: config.defaultWarehouse } : params;
}

/** The request's path in its prefixed form: what idempotency receipts and audit records name it by. */
export function requestPath(route: RouteDefinition, event: HttpEvent): string {
  return prefixedRequestPath(eventTemplate(route, event).template, event.rawPath, config.defaultWarehouse);
}
