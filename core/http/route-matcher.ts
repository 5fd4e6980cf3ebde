import { PREFIX_PARAM, RESERVED_WAREHOUSE_NAMES, ROUTE_TEMPLATES, type HttpMethod, type RouteDefinition, type RouteTemplate } from './routes.js';

/**
 * Matches a request path against the route templates, prefixed and un-prefixed (routes.ts). Works on
 * the raw (still percent-encoded) path, so `%2F` inside a name stays inside its segment; parameters
 * come back raw and are decoded once, by the code that knows what they mean (see identifiers.ts).
 *
 * `{prefix}` never matches a reserved word (RESERVED_WAREHOUSE_NAMES, which no warehouse may be
 * named): `/v1/namespaces/namespaces` is loadNamespaceMetadata of `namespaces` in the default
 * warehouse, not listNamespaces of a warehouse `namespaces`. With that rule no path matches both a
 * prefixed and an un-prefixed template, so the choice never depends on the order of the list.
 */
export type RouteMatch =
  | {
      readonly kind: 'matched';
      readonly route: RouteDefinition;
      /** The template that matched: the route's own, or its un-prefixed twin. */
      readonly template: RouteTemplate;
      readonly params: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: 'not-found' };

type Segment = { readonly literal: string } | { readonly param: string };

interface CompiledTemplate {
  readonly template: RouteTemplate;
  readonly segments: readonly Segment[];
}

function segmentsOf(path: string): Segment[] {
  return path
    .split('/')
    .slice(1)
    .map((s) => (s.startsWith('{') && s.endsWith('}') ? { param: s.slice(1, -1) } : { literal: s }));
}

const COMPILED: readonly CompiledTemplate[] = ROUTE_TEMPLATES.map((template) => ({ template, segments: segmentsOf(template.path) }));

function matchSegments(template: readonly Segment[], segments: readonly string[]): Record<string, string> | undefined {
  if (template.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const want = template[i]!;
    const got = segments[i]!;
    if ('literal' in want) {
      if (want.literal !== got) return undefined;
    } else {
      if (got.length === 0) return undefined;
      if (want.param === PREFIX_PARAM && RESERVED_WAREHOUSE_NAMES.has(got)) return undefined;
      params[want.param] = got;
    }
  }
  return params;
}

/** One trailing slash is forgiven (`/v1/namespaces/` is `/v1/namespaces`). */
function pathSegments(rawPath: string): string[] {
  const path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
  return path.split('/').slice(1);
}

/** Literal segments beat parameters, so `/tables/rename` never matches `{namespace}`-style templates. */
function specificity(template: CompiledTemplate): number {
  return template.segments.filter((s) => 'literal' in s).length;
}

export function matchRoute(method: string, rawPath: string): RouteMatch {
  const segments = pathSegments(rawPath);
  const candidates = COMPILED.map((t) => ({ t, params: matchSegments(t.segments, segments) }))
    .filter((c): c is { t: CompiledTemplate; params: Record<string, string> } => c.params !== undefined)
    .sort((a, b) => specificity(b.t) - specificity(a.t));
  if (candidates.length === 0) return { kind: 'not-found' };
  const best = specificity(candidates[0]!.t);
  const top = candidates.filter((c) => specificity(c.t) === best);
  const hit = top.find((c) => c.t.template.route.method === method.toUpperCase());
  if (hit !== undefined) return { kind: 'matched', route: hit.t.template.route, template: hit.t.template, params: hit.params };
  return { kind: 'method-not-allowed', allowed: [...new Set(top.map((c) => c.t.template.route.method))] };
}

/**
 * Parameters of one known template (a route's own path or its un-prefixed twin), for the Lambda
 * entry that already knows its operation; undefined when the path does not fit it.
 */
export function extractParams(template: Pick<RouteTemplate, 'path'>, rawPath: string): Record<string, string> | undefined {
  return matchSegments(segmentsOf(template.path), pathSegments(rawPath));
}
