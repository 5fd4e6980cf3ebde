import type { ListKind } from '../auth/list-visibility.js';

/**
 * The one list of routes. The local server, the Lambda wrapper, `GET /v1/config`'s `endpoints` and
 * the SST stack all read it, so a route exists everywhere or nowhere. Paths are the OpenAPI
 * templates, exactly as clients expect them in `endpoints`.
 */
export type HttpMethod = 'GET' | 'POST' | 'DELETE' | 'HEAD';

/** `live` routes are served and advertised; `planned` ones answer 501 and are not advertised. */
export type RouteStatus = 'live' | 'planned';

export interface RouteDefinition {
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly path: string;
  /** The Lambda entry, relative to the project root, without extension. */
  readonly handler: string;
  readonly status: RouteStatus;
  /** Routes that need no caller identity (the token endpoint issues it). */
  readonly public?: boolean;
  /** Routes that honour an Idempotency-Key (the spec's list, less planTableScan, which changes nothing, plus createView, which Java clients key too). */
  readonly idempotent?: boolean;
  /** List routes: what they list, so answers are filtered to what the caller may see and page tokens sealed. */
  readonly list?: ListKind;
}

const route = (
  operationId: string,
  method: HttpMethod,
  path: string,
  handler: string,
  status: RouteStatus,
  extra: Partial<Pick<RouteDefinition, 'public' | 'idempotent' | 'list'>> = {},
): RouteDefinition => ({ operationId, method, path, handler: `functions/${handler}`, status, ...extra });

const IDEMPOTENT = { idempotent: true } as const;
const P = '/v1/{prefix}';
const NS = `${P}/namespaces/{namespace}`;
const TABLE = `${NS}/tables/{table}`;
const VIEW = `${NS}/views/{view}`;
/** The catalog's own management API (keys, clients, role bindings, policies): not part of the Iceberg spec. */
export const MANAGEMENT_PREFIX = '/management/v1';
const MGMT = MANAGEMENT_PREFIX;

export const ROUTES = [
  route('getConfig', 'GET', '/v1/config', 'config/get-config', 'live'),
  route('getToken', 'POST', '/v1/oauth/tokens', 'oauth/get-token', 'live', { public: true }),

  route('listNamespaces', 'GET', `${P}/namespaces`, 'namespaces/list-namespaces', 'live', { list: 'namespaces' }),
  route('createNamespace', 'POST', `${P}/namespaces`, 'namespaces/create-namespace', 'live', IDEMPOTENT),
  route('loadNamespaceMetadata', 'GET', NS, 'namespaces/load-namespace-metadata', 'live'),
  route('namespaceExists', 'HEAD', NS, 'namespaces/namespace-exists', 'live'),
  route('dropNamespace', 'DELETE', NS, 'namespaces/drop-namespace', 'live', IDEMPOTENT),
  route('updateProperties', 'POST', `${NS}/properties`, 'namespaces/update-properties', 'live', IDEMPOTENT),

  route('listTables', 'GET', `${NS}/tables`, 'tables/list-tables', 'live', { list: 'tables' }),
  route('createTable', 'POST', `${NS}/tables`, 'tables/create-table', 'live', IDEMPOTENT),
  route('registerTable', 'POST', `${NS}/register`, 'tables/register-table', 'live', IDEMPOTENT),
  route('loadTable', 'GET', TABLE, 'tables/load-table', 'live'),
  route('updateTable', 'POST', TABLE, 'tables/update-table', 'live', IDEMPOTENT),
  route('dropTable', 'DELETE', TABLE, 'tables/drop-table', 'live', IDEMPOTENT),
  route('tableExists', 'HEAD', TABLE, 'tables/table-exists', 'live'),
  route('unregisterTable', 'POST', `${TABLE}/unregister`, 'tables/unregister-table', 'live', IDEMPOTENT),
  route('renameTable', 'POST', `${P}/tables/rename`, 'tables/rename-table', 'live', IDEMPOTENT),
  route('reportMetrics', 'POST', `${TABLE}/metrics`, 'tables/report-metrics', 'live'),
  route('loadCredentials', 'GET', `${TABLE}/credentials`, 'tables/load-credentials', 'live'),
  route('signRequest', 'POST', `${TABLE}/sign`, 'tables/sign-request', 'live'),

  route('commitTransaction', 'POST', `${P}/transactions/commit`, 'transactions/commit-transaction', 'live', IDEMPOTENT),

  // A plan changes nothing and answers at once: no Idempotency-Key receipt (a retry plans again; a
  // receipt would store the whole plan). The key, which the spec lets clients send, is ignored.
  route('planTableScan', 'POST', `${TABLE}/plan`, 'scan-planning/plan-table-scan', 'live'),
  route('fetchPlanningResult', 'GET', `${TABLE}/plan/{plan-id}`, 'scan-planning/fetch-planning-result', 'planned'),
  route('cancelPlanning', 'DELETE', `${TABLE}/plan/{plan-id}`, 'scan-planning/cancel-planning', 'planned', IDEMPOTENT),
  route('fetchScanTasks', 'POST', `${TABLE}/tasks`, 'scan-planning/fetch-scan-tasks', 'planned', IDEMPOTENT),

  route('listViews', 'GET', `${NS}/views`, 'views/list-views', 'live', { list: 'views' }),
  route('createView', 'POST', `${NS}/views`, 'views/create-view', 'live', IDEMPOTENT),
  route('loadView', 'GET', VIEW, 'views/load-view', 'live'),
  route('replaceView', 'POST', VIEW, 'views/replace-view', 'live', IDEMPOTENT),
  route('dropView', 'DELETE', VIEW, 'views/drop-view', 'live', IDEMPOTENT),
  route('viewExists', 'HEAD', VIEW, 'views/view-exists', 'live'),
  route('renameView', 'POST', `${P}/views/rename`, 'views/rename-view', 'live', IDEMPOTENT),
  route('registerView', 'POST', `${NS}/register-view`, 'views/register-view', 'live', IDEMPOTENT),

  route('listFunctions', 'GET', `${NS}/functions`, 'udfs/list-functions', 'planned'),
  route('loadFunction', 'GET', `${NS}/functions/{function}`, 'udfs/load-function', 'planned'),

  // Management API (issue 5), outside the Iceberg prefix: never advertised in GET /v1/config.
  route('createApiKey', 'POST', `${MGMT}/api-keys`, 'management/create-api-key', 'live'),
  route('listApiKeys', 'GET', `${MGMT}/api-keys`, 'management/list-api-keys', 'live'),
  route('revokeApiKey', 'DELETE', `${MGMT}/api-keys/{keyId}`, 'management/revoke-api-key', 'live'),
  route('createOAuthClient', 'POST', `${MGMT}/oauth-clients`, 'management/create-oauth-client', 'live'),
  route('listOAuthClients', 'GET', `${MGMT}/oauth-clients`, 'management/list-oauth-clients', 'live'),
  route('deleteOAuthClient', 'DELETE', `${MGMT}/oauth-clients/{clientId}`, 'management/delete-oauth-client', 'live'),
  route('createRoleBinding', 'POST', `${MGMT}/role-bindings`, 'management/create-role-binding', 'live'),
  route('listRoleBindings', 'GET', `${MGMT}/role-bindings`, 'management/list-role-bindings', 'live'),
  route('deleteRoleBinding', 'DELETE', `${MGMT}/role-bindings/{bindingId}`, 'management/delete-role-binding', 'live'),
  route('listPolicies', 'GET', `${MGMT}/policies`, 'management/list-policies', 'live'),
  route('putPolicy', 'POST', `${MGMT}/policies/{policyId}`, 'management/put-policy', 'live'),
  route('getPolicy', 'GET', `${MGMT}/policies/{policyId}`, 'management/get-policy', 'live'),
  route('deletePolicy', 'DELETE', `${MGMT}/policies/{policyId}`, 'management/delete-policy', 'live'),
  route('simulateAuthorization', 'POST', `${MGMT}/authorization/simulate`, 'management/simulate-authorization', 'live'),
  route('getEffectivePermissions', 'POST', `${MGMT}/authorization/effective-permissions`, 'management/get-effective-permissions', 'live'),
  // Table maintenance on demand (issue 12). The table is in the path, as in the Iceberg routes, so
  // its authorization, 404s and identifier decoding are theirs; `{prefix}` is the warehouse's name.
  route('maintainTable', 'POST', `${MGMT}/warehouses/{prefix}/namespaces/{namespace}/tables/{table}/maintenance`, 'management/maintain-table', 'live'),
] as const satisfies readonly RouteDefinition[];

export type OperationId = (typeof ROUTES)[number]['operationId'];

const BY_OPERATION = new Map<string, RouteDefinition>(ROUTES.map((r) => [r.operationId, r]));

export function routeFor(operationId: OperationId): RouteDefinition {
  const found = BY_OPERATION.get(operationId);
  if (found === undefined) throw new Error(`unknown operation ${operationId}`);
  return found;
}

/** The path parameter that names the warehouse in every Iceberg route under `/v1/{prefix}/`. */
export const PREFIX_PARAM = 'prefix';
const PREFIXED = `/v1/{${PREFIX_PARAM}}/`;

/**
 * A path template a route answers on. Every Iceberg route under `/v1/{prefix}/` also answers on its
 * un-prefixed twin (`/v1/namespaces`, `/v1/tables/rename`, ...), which means the default warehouse:
 * clients that never call `GET /v1/config` (curl, iceberg-js without a warehouse) reach the catalog
 * too. The twins are derived here, from ROUTES, so there is still one list of routes; `endpoints`
 * keeps advertising the prefixed templates only.
 */
export interface RouteTemplate {
  readonly route: RouteDefinition;
  readonly path: string;
  /** `true`: the un-prefixed twin; the warehouse is the configured default one. */
  readonly unprefixed: boolean;
}

/** `/v1/{prefix}/namespaces/{namespace}` → `/v1/namespaces/{namespace}`; undefined for routes outside the prefix. */
export function unprefixedPath(path: string): string | undefined {
  return path.startsWith(PREFIXED) ? `/v1/${path.slice(PREFIXED.length)}` : undefined;
}

export const ROUTE_TEMPLATES: readonly RouteTemplate[] = ROUTES.flatMap((route): RouteTemplate[] => {
  const twin = unprefixedPath(route.path);
  return [{ route, path: route.path, unprefixed: false }, ...(twin === undefined ? [] : [{ route, path: twin, unprefixed: true }])];
});

/**
 * The literal words that follow `/v1/` in routes without a prefix (`namespaces`, `tables`, `views`,
 * `transactions`, `config`, `oauth`). No warehouse may be named after one (core/config.ts refuses it
 * at start), so a path whose segment after `/v1/` is one of them is un-prefixed, never a warehouse:
 * `/v1/namespaces/namespaces` loads the namespace `namespaces` of the default warehouse.
 */
export const RESERVED_WAREHOUSE_NAMES: ReadonlySet<string> = new Set(
  ROUTE_TEMPLATES.map((t) => t.path.split('/')).flatMap((segments) => (segments[1] === 'v1' && segments[2] !== undefined && !segments[2].startsWith('{') ? [segments[2]] : [])),
);

/**
 * The prefixed form of a request path that matched an un-prefixed template (`/v1/namespaces/a` →
 * `/v1/<warehouse>/namespaces/a`): idempotency receipts and audit records name the request by it, so
 * both forms of one request share one Idempotency-Key space and read alike in the audit log.
 */
export function prefixedRequestPath(template: RouteTemplate, requestPath: string, warehouse: string): string {
  if (!template.unprefixed || !requestPath.startsWith('/v1/')) return requestPath;
  return `/v1/${encodeURIComponent(warehouse)}/${requestPath.slice('/v1/'.length)}`;
}

/** `"<VERB> <path template>"`, the form `GET /v1/config` advertises in `endpoints`. */
export function endpointString(r: RouteDefinition): string {
  return `${r.method} ${r.path}`;
}

/** Routes of the Iceberg REST spec (the management API is the catalog's own). */
export function isIcebergRoute(r: RouteDefinition): boolean {
  return !r.path.startsWith(`${MANAGEMENT_PREFIX}/`);
}

export function advertisedEndpoints(): string[] {
  return ROUTES.filter((r) => r.status === 'live' && r.path !== '/v1/config' && isIcebergRoute(r)).map(endpointString);
}
