import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractParams, matchRoute, type RouteMatch } from './route-matcher.js';
import { advertisedEndpoints, prefixedRequestPath, RESERVED_WAREHOUSE_NAMES, ROUTE_TEMPLATES, ROUTES, unprefixedPath } from './routes.js';

function matched(match: RouteMatch): Extract<RouteMatch, { kind: 'matched' }> {
  assert.equal(match.kind, 'matched');
  return match as Extract<RouteMatch, { kind: 'matched' }>;
}

test('a prefixed path matches its route with the warehouse in {prefix}', () => {
  const match = matched(matchRoute('GET', '/v1/default/namespaces/a%1Fb/tables/t'));
  assert.equal(match.route.operationId, 'loadTable');
  assert.equal(match.template.unprefixed, false);
  assert.deepEqual(match.params, { prefix: 'default', namespace: 'a%1Fb', table: 't' });
});

test('every Iceberg route under /v1/{prefix}/ answers on its un-prefixed twin, with the same operation and no {prefix}', () => {
  const prefixed = ROUTES.filter((r) => r.path.startsWith('/v1/{prefix}/'));
  for (const route of prefixed) {
    const path = unprefixedPath(route.path)!.replace(/\{namespace\}/g, 'ns').replace(/\{[a-z-]+\}/g, 'x');
    const match = matched(matchRoute(route.method, path));
    assert.equal(match.route.operationId, route.operationId, path);
    assert.equal(match.template.unprefixed, true, path);
    assert.equal(match.params['prefix'], undefined, path);
  }
  assert.equal(ROUTE_TEMPLATES.filter((t) => t.unprefixed).length, prefixed.length);
});

test('routes outside the prefix have no twin: config, the token endpoint, the management API', () => {
  for (const path of ['/v1/config', '/v1/oauth/tokens', '/management/v1/api-keys']) assert.equal(unprefixedPath(path), undefined, path);
  assert.equal(matched(matchRoute('GET', '/v1/config')).route.operationId, 'getConfig');
  assert.equal(matchRoute('GET', '/v1/api-keys').kind, 'not-found');
});

test('the un-prefixed twins are not advertised: endpoints stay the prefixed templates', () => {
  const advertised = new Set(advertisedEndpoints());
  for (const t of ROUTE_TEMPLATES.filter((t) => t.unprefixed)) assert.ok(!advertised.has(`${t.route.method} ${t.path}`), t.path);
  assert.ok(advertised.has('GET /v1/{prefix}/namespaces'));
});

test('the reserved warehouse names are exactly the words that follow /v1/ in routes without a prefix', () => {
  assert.deepEqual([...RESERVED_WAREHOUSE_NAMES].sort(), ['config', 'namespaces', 'oauth', 'tables', 'transactions', 'views']);
});

test('ambiguity: a reserved word after /v1/ is never a warehouse, so /v1/namespaces/namespaces loads the namespace "namespaces"', () => {
  const load = matched(matchRoute('GET', '/v1/namespaces/namespaces'));
  assert.equal(load.route.operationId, 'loadNamespaceMetadata');
  assert.deepEqual(load.params, { namespace: 'namespaces' });
  const tables = matched(matchRoute('GET', '/v1/namespaces/namespaces/tables'));
  assert.equal(tables.route.operationId, 'listTables');
  assert.deepEqual(tables.params, { namespace: 'namespaces' });
  const table = matched(matchRoute('POST', '/v1/namespaces/namespaces/tables/properties'));
  assert.equal(table.route.operationId, 'updateTable', 'not updateProperties of namespace "tables" in a warehouse "namespaces"');
  assert.deepEqual(table.params, { namespace: 'namespaces', table: 'properties' });
  // A warehouse named after another reserved word is no route at all.
  assert.equal(matchRoute('GET', '/v1/tables/namespaces').kind, 'not-found');
  assert.equal(matchRoute('GET', '/v1/config/namespaces').kind, 'not-found');
});

test('ambiguity never depends on the order of the list: no path matches a prefixed and an un-prefixed template at once', () => {
  for (const word of RESERVED_WAREHOUSE_NAMES) {
    for (const t of ROUTE_TEMPLATES.filter((t) => !t.unprefixed && t.path.startsWith('/v1/{prefix}/'))) {
      assert.equal(extractParams(t, t.path.replace('{prefix}', word).replace(/\{[a-z-]+\}/g, 'namespaces')), undefined, `${t.path} with prefix ${word}`);
    }
  }
  // Names that merely resemble a reserved word stay warehouses.
  assert.equal(matched(matchRoute('GET', '/v1/Namespaces/namespaces')).params['prefix'], 'Namespaces');
  assert.equal(matched(matchRoute('GET', '/v1/namespaces2/namespaces')).route.operationId, 'listNamespaces');
});

test('one trailing slash is forgiven on both forms; an empty segment is not a name', () => {
  assert.equal(matched(matchRoute('GET', '/v1/namespaces/')).route.operationId, 'listNamespaces');
  assert.equal(matched(matchRoute('GET', '/v1/default/namespaces/')).route.operationId, 'listNamespaces');
  assert.equal(matched(matchRoute('HEAD', '/v1/namespaces/a/tables/t/')).route.operationId, 'tableExists');
  assert.equal(matchRoute('GET', '/v1/namespaces//tables').kind, 'not-found');
  assert.equal(matchRoute('GET', '/v1/namespaces//').kind, 'not-found');
});

test('a known un-prefixed path with the wrong method: 405 with the allowed methods', () => {
  const wrong = matchRoute('PUT', '/v1/namespaces/a');
  assert.equal(wrong.kind, 'method-not-allowed');
  if (wrong.kind === 'method-not-allowed') assert.deepEqual([...wrong.allowed].sort(), ['DELETE', 'GET', 'HEAD']);
  const rename = matchRoute('GET', '/v1/tables/rename');
  assert.equal(rename.kind, 'method-not-allowed');
});

test('literal segments still beat parameters on the un-prefixed form: /v1/tables/rename is the rename', () => {
  assert.equal(matched(matchRoute('POST', '/v1/tables/rename')).route.operationId, 'renameTable');
  assert.equal(matched(matchRoute('POST', '/v1/views/rename')).route.operationId, 'renameView');
  assert.equal(matched(matchRoute('POST', '/v1/transactions/commit')).route.operationId, 'commitTransaction');
});

test('the prefixed form of an un-prefixed request names the warehouse; a prefixed request keeps its path', () => {
  const twin = ROUTE_TEMPLATES.find((t) => t.unprefixed && t.route.operationId === 'createNamespace')!;
  const own = ROUTE_TEMPLATES.find((t) => !t.unprefixed && t.route.operationId === 'createNamespace')!;
  assert.equal(prefixedRequestPath(twin, '/v1/namespaces', 'default'), '/v1/default/namespaces');
  assert.equal(prefixedRequestPath(twin, '/v1/namespaces/a%1Fb/properties', 'wh.1'), '/v1/wh.1/namespaces/a%1Fb/properties');
  assert.equal(prefixedRequestPath(own, '/v1/default/namespaces', 'other'), '/v1/default/namespaces');
});
