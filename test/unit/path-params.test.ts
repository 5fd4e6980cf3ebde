import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { matchRoute } from '../../core/http/route-matcher.js';
import { routeFor, type OperationId } from '../../core/http/routes.js';
import { API_ROUTES } from '../../infra/routes.js';

/**
 * What a deployed function reads from API Gateway's events (CATALOG_PATH_ENCODING=decoded, as
 * infra/environment.ts sets it): the un-prefixed twins and the literal overlap routes become the
 * prefixed request on the default warehouse. The local server (raw paths) is covered over HTTP by
 * test/integration/unprefixed-routes.test.ts.
 */
type PathParams = typeof import('../../functions/lib/path-params.js');
let paths: PathParams;

before(async () => {
  process.env['CATALOG_PATH_ENCODING'] = 'decoded';
  process.env['CATALOG_STORE'] = 'fs';
  process.env['CATALOG_DATA_DIR'] = join(tmpdir(), 'path-params-unused');
  process.env['CATALOG_WAREHOUSES'] = 'lake=s3://lake/warehouse,other=s3://other/warehouse';
  process.env['CATALOG_DEFAULT_WAREHOUSE'] = 'lake';
  paths = await import('../../functions/lib/path-params.js');
});

function anEvent(routeKey: string, rawPath: string, pathParameters?: Record<string, string>): APIGatewayProxyEventV2 {
  const method = routeKey.split(' ')[0]!;
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: {},
    ...(pathParameters !== undefined ? { pathParameters } : {}),
    requestContext: { http: { method, path: rawPath } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

test('a prefixed route keeps the warehouse its path names', () => {
  const event = anEvent('GET /v1/{prefix}/namespaces/{namespace}', '/v1/other/namespaces/a b', { prefix: 'other', namespace: 'a b' });
  assert.deepEqual(paths.pathParams(routeFor('loadNamespaceMetadata'), event), { prefix: 'other', namespace: 'a b' });
  assert.equal(paths.requestPath(routeFor('loadNamespaceMetadata'), event), '/v1/other/namespaces/a b');
});

test('an un-prefixed route is the default warehouse, and its request path the prefixed one', () => {
  const event = anEvent('POST /v1/namespaces/{namespace}/properties', '/v1/namespaces/sales/properties', { namespace: 'sales' });
  assert.deepEqual(paths.pathParams(routeFor('updateProperties'), event), { namespace: 'sales', prefix: 'lake' });
  assert.equal(paths.requestPath(routeFor('updateProperties'), event), '/v1/lake/namespaces/sales/properties');
  const rename = anEvent('POST /v1/tables/rename', '/v1/tables/rename');
  assert.deepEqual(paths.pathParams(routeFor('renameTable'), rename), { prefix: 'lake' });
});

test('a literal overlap route carries no pathParameters: they are read off the route key', () => {
  const event = anEvent('GET /v1/namespaces/namespaces', '/v1/namespaces/namespaces');
  assert.deepEqual(paths.pathParams(routeFor('loadNamespaceMetadata'), event), { namespace: 'namespaces', prefix: 'lake' });
  const table = anEvent('POST /v1/namespaces/namespaces/tables/properties', '/v1/namespaces/namespaces/tables/properties');
  assert.deepEqual(paths.pathParams(routeFor('updateTable'), table), { namespace: 'namespaces', table: 'properties', prefix: 'lake' });
});

test('every deployed route gives its function the parameters the local server\'s matcher gives, with the warehouse', () => {
  for (const api of API_ROUTES.filter((r) => r.routeKey.startsWith('GET /v1/') || r.routeKey.startsWith('POST /v1/') || r.routeKey.startsWith('DELETE /v1/') || r.routeKey.startsWith('HEAD /v1/'))) {
    const [method, template] = api.routeKey.split(' ') as [string, string];
    const path = template.replace('{prefix}', 'other').replace(/\{[a-z-]+\}/g, 'x');
    const match = matchRoute(method, path);
    assert.equal(match.kind, 'matched', api.routeKey);
    if (match.kind !== 'matched') continue;
    assert.equal(match.route.operationId, api.operationId, api.routeKey);
    const route = routeFor(api.operationId as OperationId);
    const expected = { ...match.params, ...(route.path.includes('{prefix}') ? { prefix: match.params['prefix'] ?? 'lake' } : {}) };
    const params = paths.pathParams(route, anEvent(api.routeKey, path, api.form === 'literal' ? undefined : match.params));
    assert.deepEqual(params, expected, api.routeKey);
  }
});
