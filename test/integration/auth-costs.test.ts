import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { authServices, type AuthServices } from '../../core/auth/auth-services.js';
import type { CatalogConfig } from '../../core/config.js';
import { assertStatus } from '../support/assertions.js';
import { authorizeLoadTable, keyWithRole, median } from '../support/auth-fixtures.js';
import { startTestCatalog, type TestCatalog } from '../support/catalog-harness.js';
import { createTableBody } from '../support/table-requests.js';

/**
 * Measured costs on a warm function: the services the middlewares use, in the running catalog, after
 * the first requests warmed them (records cached, policies compiled, Cedar loaded). Printed as
 * `# ...` lines (npm run bench measures the same in docs/benchmarks.md). No time is asserted: the
 * tests check that every timed call gave the right answer, and that a warm container answers from
 * its caches without reading the store.
 */
let catalog: TestCatalog;
let auth: AuthServices;
let config: CatalogConfig;
let readerKey: string;
const ROUNDS = 1_000;

before(async () => {
  catalog = await startTestCatalog({ auth: true, env: { CATALOG_LOG_LEVEL: 'error' } });
  assertStatus(await catalog.request('POST', '/v1/default/namespaces', { body: { namespace: ['sales'] } }), 200);
  assertStatus(await catalog.request('POST', '/v1/default/namespaces/sales/tables', { body: createTableBody('orders') }), 200);
  // A realistic policy store: 200 other principals' bindings and a custom forbid.
  for (let i = 0; i < 200; i++) {
    await catalog.request('POST', '/management/v1/role-bindings', { body: { role: 'TableReader', principal: { type: 'Group', id: `team-${i}` }, scope: { type: 'Namespace', warehouse: 'default', namespace: [`ns${i}`] } } });
  }
  await catalog.request('POST', '/management/v1/policies/guard', { body: { policy: 'forbid(principal, action == Action::"dropTable", resource is Table) when { resource.name like "prod_*" };' } });
  readerKey = await keyWithRole(catalog, 'bench-reader', 'TableReader', { type: 'Namespace', warehouse: 'default', namespace: ['sales'] });
  const ctx = await catalog.context();
  auth = authServices(ctx);
  config = ctx.config;
  for (let i = 0; i < 20; i++) assertStatus(await catalog.request('GET', '/v1/default/namespaces/sales/tables/orders', { token: readerKey }), 200);
});
after(async () => catalog.close());

/** Counts the catalog store's reads from now until stop() (instrumentation around the real store). */
async function countStoreReads(): Promise<{ stop: () => number }> {
  const objects = (await catalog.context()).records.objects;
  const original = objects.get;
  let count = 0;
  objects.get = (...args) => {
    count++;
    return original.apply(objects, args);
  };
  return {
    stop: () => {
      objects.get = original;
      return count;
    },
  };
}

function stats(samplesMs: number[]): { median: number; p99: number } {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { median: median(samplesMs) * 1000, p99: sorted[Math.floor(sorted.length * 0.99)]! * 1000 };
}

const fmt = (s: { median: number; p99: number }) => `median ${s.median.toFixed(1)} µs, p99 ${s.p99.toFixed(1)} µs`;

/** What authenticate + authorize do for `GET .../tables/<table>`, timed per request. */
async function authCost(authorization: string, table: (i: number) => string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    const allowed = await authorizeLoadTable(auth, config, authorization, { warehouse: 'default', namespace: 'sales', table: table(i) });
    samples.push(performance.now() - start);
    assert.equal(allowed, true);
  }
  return samples;
}

test('measured: authentication + authorization per request on a warm function', async (t) => {
  const reads = await countStoreReads();
  const apiKeyWarm = stats(await authCost(`Bearer ${readerKey}`, () => 'orders'));
  assert.equal(reads.stop(), 0, 'a warm container authenticates and authorizes from its caches');
  const apiKeyNewTables = stats(await authCost(`Bearer ${readerKey}`, (i) => `t${i}`));
  const client = await catalog.request('POST', '/management/v1/oauth-clients', { body: { name: 'bench', groups: ['bench'] } });
  const { 'client-id': clientId } = client.body as { 'client-id': string };
  await catalog.request('POST', '/management/v1/role-bindings', { body: { role: 'TableReader', principal: { type: 'User', id: clientId }, scope: { type: 'Namespace', warehouse: 'default', namespace: ['sales'] } } });
  const { token } = await auth.tokens.issue({ subject: clientId, groups: ['bench'], clientId, scope: 'catalog', ...session() });
  const jwtWarm = stats(await authCost(`Bearer ${token}`, () => 'orders'));
  t.diagnostic(`auth per request, API key, same table (cached record + cached decision): ${fmt(apiKeyWarm)}`);
  t.diagnostic(`auth per request, API key, a new table each time (uncached Cedar decision): ${fmt(apiKeyNewTables)}`);
  t.diagnostic(`auth per request, catalog JWT (verified-token cache), same table: ${fmt(jwtWarm)}`);
});

/** A session that began now and may last an hour (what the client-credentials grant gives). */
function session(): { authTime: number; sessionEndsAt: number } {
  const now = Math.floor(Date.now() / 1000);
  return { authTime: now, sessionEndsAt: now + 3600 };
}

test('measured: API key verification and JWT signature verification', async (t) => {
  const verify: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    assert.ok(await auth.apiKeys.verify(readerKey));
    verify.push(performance.now() - start);
  }
  const tokens = await Promise.all(Array.from({ length: 200 }, (_, i) => auth.tokens.issue({ subject: `u${i}`, groups: [], scope: 'catalog', ...session() })));
  const jwt: number[] = [];
  for (const { token } of tokens) {
    const start = performance.now();
    assert.ok(await auth.jwts.verify(token));
    jwt.push(performance.now() - start);
  }
  t.diagnostic(`API key verification (cached record, keyed BLAKE3 via hash-wasm, constant-time compare): ${fmt(stats(verify))}`);
  t.diagnostic(`JWT verification, first sight of a token (ES256 signature + claims): ${fmt(stats(jwt))}`);
});

test('measured: a whole warm request over HTTP (loadTable, local files) with auth on', async (t) => {
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    assertStatus(await catalog.request('GET', '/v1/default/namespaces/sales/tables/orders', { token: readerKey }), 200);
    samples.push(performance.now() - start);
  }
  t.diagnostic(`GET loadTable end to end (HTTP + handler + store), for scale: median ${(median(samples)).toFixed(2)} ms`);
});
