import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROUTES, advertisedEndpoints, isIcebergRoute, MANAGEMENT_PREFIX } from '../../core/http/routes.js';
import { matchRoute } from '../../core/http/route-matcher.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SPEC = join(ROOT, '..', 'shared', 'iceberg', 'rest-catalog-open-api.yaml');
/** The spec's routes; the rest of the table is the catalog's own management API. */
const ICEBERG = ROUTES.filter(isIcebergRoute);

test('the route table lists the 35 operations of the spec, each once', () => {
  assert.equal(ICEBERG.length, 35);
  assert.equal(new Set(ICEBERG.map((r) => r.operationId)).size, 35);
  assert.equal(new Set(ICEBERG.map((r) => `${r.method} ${r.path}`)).size, 35);
});

test('every other route is the management API, under its own prefix, and no operationId or path repeats', () => {
  for (const r of ROUTES.filter((r) => !isIcebergRoute(r))) assert.ok(r.path.startsWith(`${MANAGEMENT_PREFIX}/`), r.path);
  assert.equal(new Set(ROUTES.map((r) => r.operationId)).size, ROUTES.length);
  assert.equal(new Set(ROUTES.map((r) => `${r.method} ${r.path}`)).size, ROUTES.length);
});

test('every operationId and path template matches the OpenAPI spec when it is available', (t) => {
  const specPath = process.env['ICEBERG_OPENAPI_SPEC'] ?? SPEC;
  if (!existsSync(specPath)) return t.skip(`spec not found at ${specPath}`);
  const spec = readFileSync(specPath, 'utf8');
  const specOps = [...spec.matchAll(/operationId:\s*(\w+)/g)].map((m) => m[1]);
  assert.deepEqual([...specOps].sort(), ICEBERG.map((r) => r.operationId).sort());
  for (const r of ICEBERG) {
    assert.ok(spec.includes(`\n  ${r.path}:`), `path ${r.path} not in spec`);
  }
});

test('every route has a handler module that wires its own operation', () => {
  for (const r of ROUTES) {
    const file = join(ROOT, `${r.handler}.ts`);
    assert.ok(existsSync(file), `missing ${r.handler}.ts`);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes(`route('${r.operationId}',`), `${r.handler}.ts does not wire ${r.operationId}`);
    if (r.status === 'planned') assert.ok(text.includes('notImplemented'), `${r.handler}.ts is planned but wires an operation`);
    else assert.ok(!text.includes('notImplemented'), `${r.handler}.ts is live but not implemented`);
    assert.ok(text.split('\n').filter((l) => l.trim() !== '').length <= 10, `${r.handler}.ts is more than wiring`);
  }
});

test('only live routes are advertised, in the "<VERB> <template>" form', () => {
  const advertised = advertisedEndpoints();
  assert.ok(advertised.includes('GET /v1/{prefix}/namespaces'));
  for (const r of ROUTES.filter((r) => r.status === 'planned')) assert.ok(!advertised.includes(`${r.method} ${r.path}`), `${r.operationId} is planned but advertised`);
  assert.ok(!advertised.some((e) => e.includes(MANAGEMENT_PREFIX)), 'the management API is not part of the Iceberg spec');
  for (const e of advertised) assert.equal(e.split(' ').length, 2);
});

test('the matcher prefers literal segments and keeps encoded characters inside one segment', () => {
  const rename = matchRoute('POST', '/v1/wh/tables/rename');
  assert.equal(rename.kind === 'matched' && rename.route.operationId, 'renameTable');
  const ns = matchRoute('GET', '/v1/wh/namespaces/a%2Fb%1Fc');
  assert.equal(ns.kind, 'matched');
  if (ns.kind === 'matched') assert.deepEqual(ns.params, { prefix: 'wh', namespace: 'a%2Fb%1Fc' });
  assert.equal(matchRoute('PATCH', '/v1/wh/namespaces').kind, 'method-not-allowed');
  assert.equal(matchRoute('GET', '/v1/wh/unknown').kind, 'not-found');
  const plan = matchRoute('DELETE', '/v1/wh/namespaces/n/tables/t/plan/p1');
  assert.equal(plan.kind === 'matched' && plan.route.operationId, 'cancelPlanning');
});
