import { BadRequestError } from '../../core/errors.js';
import { extractParams } from '../../core/http/route-matcher.js';
import type { RouteDefinition } from '../../core/http/routes.js';
import type { HttpEvent } from './api-gateway.js';
import { config } from './catalog-context.js';

/** The route's path parameters, still encoded when the path was (see CATALOG_PATH_ENCODING). */
export function pathParams(route: RouteDefinition, event: HttpEvent): Record<string, string> {
  if (config.pathEncoding === 'decoded') return { ...(event.pathParameters as Record<string, string> | undefined) };
  const params = extractParams(route, event.rawPath);
  if (params === undefined) throw new BadRequestError(`Path ${event.rawPath} does not match ${route.path}`);
  return params;
}
