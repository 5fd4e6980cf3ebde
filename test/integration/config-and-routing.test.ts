import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isIcebergRoute, ROUTES } from '../../core/http/routes.js';
import { startTestCatalog, type TestCatalog } from '../support/catalog-harness.js';
import { assertError, assertStatus } from '../support/assertions.js';

let catalog: TestCatalog;
before(async () => {
  catalog = await startTestCatalog();
});
after(async () => catalog.close());

test('GET /v1/config: defaults, overrides with the prefix, and the live endpoints', async () => {
  const response = await catalog.request('GET', '/v1/config');
  assertStatus(response, 200);
  const body = response.body as { defaults: object; overrides: Record<string, string>; endpoints: string[] };
  assert.deepEqual(body.defaults, {});
  assert.equal(body.overrides['prefix'], catalog.warehouse);
  const live = ROUTES.filter((r) => r.status === 'live' && r.operationId !== 'getConfig' && isIcebergRoute(r)).map((r) => `${r.method} ${r.path}`);
  assert.deepEqual([...body.endpoints].sort(), [...live].sort());
  assert.ok(body.endpoints.includes('HEAD /v1/{prefix}/namespaces/{namespace}'));
  for (const endpoint of body.endpoints) assert.match(endpoint, /^(GET|POST|DELETE|HEAD) \/v1\/\S+$/);
  assert.equal((body as Record<string, unknown>)['idempotency-key-lifetime'], 'PT30M');
});

test('GET /v1/config?warehouse= by name and by location; unknown: 404 NoSuchWarehouseException', async () => {
  const byName = await catalog.request('GET', `/v1/config?warehouse=${catalog.warehouse}`);
  assertStatus(byName, 200);
  const location = (byName.body as { overrides: Record<string, string> }).overrides['warehouse']!;
  const byLocation = await catalog.request('GET', `/v1/config?warehouse=${encodeURIComponent(location)}`);
  assert.equal((byLocation.body as { overrides: Record<string, string> }).overrides['prefix'], catalog.warehouse);
  assertError(await catalog.request('GET', '/v1/config?warehouse=nope'), 404, 'NoSuchWarehouseException', 'nope');
});

test('routes not built yet answer 501 in the error model', async () => {
  const planned = ROUTES.filter((r) => r.status === 'planned' && r.method !== 'HEAD');
  assert.ok(planned.length > 0);
  for (const r of planned) {
    const path = r.path
      .replace('{prefix}', catalog.warehouse)
      .replace('{namespace}', 'ns')
      .replace(/\{[a-z-]+\}/g, 'x');
    const response = await catalog.request(r.method, path, r.method === 'POST' ? { body: {} } : {});
    assertError(response, 501, 'NotImplementedException', r.operationId);
  }
});

test('an unknown path: 404; a known path with the wrong method: 405 with Allow', async () => {
  assertError(await catalog.request('GET', '/v2/nothing'), 404);
  const wrong = await catalog.request('PUT', `/v1/${catalog.warehouse}/namespaces`);
  assertError(wrong, 405);
  assert.match(wrong.headers.get('allow') ?? '', /GET/);
});

test('every answer is JSON with code equal to the status, and logs carry no stack to the client', async () => {
  const response = await catalog.request('POST', `/v1/${catalog.warehouse}/namespaces`, { rawBody: '{' });
  assertError(response, 400);
  assert.ok(!/\n\s+at |\.ts:\d+/.test(response.text), 'stack trace leaked');
});
