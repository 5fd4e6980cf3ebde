import { ROUTES, type HttpMethod, type RouteDefinition } from './routes.js';

/**
 * Matches a request path against the route templates. Works on the raw (still percent-encoded) path,
 * so `%2F` inside a name stays inside its segment; parameters come back raw and are decoded once,
 * by the code that knows what they mean (see identifiers.ts).
 */
export type RouteMatch =
  | { readonly kind: 'matched'; readonly route: RouteDefinition; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: 'not-found' };

interface CompiledTemplate {
  readonly route: RouteDefinition;
  readonly segments: readonly ({ literal: string } | { param: string })[];
}

function compile(route: RouteDefinition): CompiledTemplate {
  const segments = route.path
    .split('/')
    .slice(1)
    .map((s) => (s.startsWith('{') && s.endsWith('}') ? { param: s.slice(1, -1) } : { literal: s }));
  return { route, segments };
}

const COMPILED = ROUTES.map(compile);

function matchSegments(template: CompiledTemplate, segments: readonly string[]): Record<string, string> | undefined {
  if (template.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const want = template.segments[i]!;
    const got = segments[i]!;
    if ('literal' in want) {
      if (want.literal !== got) return undefined;
    } else {
      if (got.length === 0) return undefined;
      params[want.param] = got;
    }
  }
  return params;
}

/** Literal segments beat parameters, so `/tables/rename` never matches `{namespace}`-style templates. */
function specificity(template: CompiledTemplate): number {
  return template.segments.filter((s) => 'literal' in s).length;
}

export function matchRoute(method: string, rawPath: string, templates: readonly CompiledTemplate[] = COMPILED): RouteMatch {
  const path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
  const segments = path.split('/').slice(1);
  const candidates = templates
    .map((t) => ({ t, params: matchSegments(t, segments) }))
    .filter((c): c is { t: CompiledTemplate; params: Record<string, string> } => c.params !== undefined)
    .sort((a, b) => specificity(b.t) - specificity(a.t));
  if (candidates.length === 0) return { kind: 'not-found' };
  const best = specificity(candidates[0]!.t);
  const top = candidates.filter((c) => specificity(c.t) === best);
  const hit = top.find((c) => c.t.route.method === method.toUpperCase());
  if (hit !== undefined) return { kind: 'matched', route: hit.t.route, params: hit.params };
  return { kind: 'method-not-allowed', allowed: top.map((c) => c.t.route.method) };
}

/** Parameters of one known route, for the Lambda entry that already knows its operation. */
export function extractParams(route: RouteDefinition, rawPath: string): Record<string, string> | undefined {
  const path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
  return matchSegments(compile(route), path.split('/').slice(1));
}
