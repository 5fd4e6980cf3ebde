import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { matchRoute } from '../../../core/http/route-matcher.js';
import { ROUTES } from '../../../core/http/routes.js';
import { loadConfig } from '../../../core/config.js';
import { ENCRYPTION_VARIABLE, functionEnvironment, JOB_QUEUE_VARIABLE, PASSED_THROUGH_SETTINGS, passedThroughSettings, RECORD_KEY_VARIABLE } from '../../../infra/environment.js';
import { ALL_FUNCTIONS, JOB_WORKER, JOB_WORKER_ENTRY, ROUTE_FUNCTIONS } from '../../../infra/functions.js';
import { API_ROUTES, HTTP_API_ROUTE_QUOTA, overlapOf } from '../../../infra/routes.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const RESOURCES = { catalogBucket: 'cat-bucket', warehouseBucket: 'wh-bucket', recordKeyArn: 'arn:aws:kms:eu-west-1:1:key/k', jobQueueUrl: 'https://sqs/q', dataAccessRoleArn: 'arn:aws:iam::111122223333:role/iceberg-catalog-test-eu-west-1-data-access' };

test('every route of the route table has a handler file, one function and one API route on its own template', () => {
  assert.equal(ROUTE_FUNCTIONS.length, ROUTES.length);
  assert.equal(API_ROUTES.filter((r) => r.form === 'own').length, ROUTES.length);
  for (const route of ROUTES) {
    assert.ok(existsSync(join(ROOT, `${route.handler}.ts`)), `missing ${route.handler}.ts`);
    const fn = ROUTE_FUNCTIONS.filter((f) => f.operationId === route.operationId);
    assert.equal(fn.length, 1, `${route.operationId}: one function`);
    assert.equal(fn[0]!.handler, `${route.handler}.handler`);
    const api = API_ROUTES.filter((r) => r.operationId === route.operationId && r.form === 'own');
    assert.equal(api.length, 1, `${route.operationId}: one API route`);
    assert.equal(api[0]!.routeKey, `${route.method} ${route.path}`);
    for (const r of API_ROUTES.filter((r) => r.operationId === route.operationId)) {
      assert.equal(r.functionName, fn[0]!.name, `${r.routeKey} is integrated with ${route.operationId}'s own function`);
    }
  }
});

test('every Iceberg route under /v1/{prefix}/ has its un-prefixed twin on the same function, and only those', () => {
  const prefixed = ROUTES.filter((r) => r.path.startsWith('/v1/{prefix}/'));
  assert.ok(prefixed.length > 30);
  for (const route of prefixed) {
    const own = API_ROUTES.find((r) => r.routeKey === `${route.method} ${route.path}`)!;
    const twin = API_ROUTES.filter((r) => r.routeKey === `${route.method} ${route.path.replace('/v1/{prefix}/', '/v1/')}`);
    assert.equal(twin.length, 1, `${route.operationId}: one un-prefixed route`);
    assert.equal(twin[0]!.form, 'unprefixed');
    assert.equal(twin[0]!.operationId, route.operationId);
    assert.equal(twin[0]!.functionName, own.functionName, `${route.operationId}: the twin is integrated with the same function`);
    assert.equal(twin[0]!.authentication, own.authentication);
  }
  const twins = API_ROUTES.filter((r) => r.form === 'unprefixed');
  assert.equal(twins.length, prefixed.length);
  for (const r of twins) assert.doesNotMatch(r.routeKey, /\{prefix\}|^\S+ \/management\//);
  assert.ok(API_ROUTES.length <= HTTP_API_ROUTE_QUOTA, `${API_ROUTES.length} routes, API Gateway allows ${HTTP_API_ROUTE_QUOTA} per HTTP API`);
});

/** Every path two deployed routes of one method could both take, with the routes that take it. */
function overlaps(): { routeKey: string; by: string[] }[] {
  const out = new Map<string, string[]>();
  for (const a of API_ROUTES) {
    for (const b of API_ROUTES) {
      if (a.routeKey >= b.routeKey) continue;
      const [methodA, pathA] = a.routeKey.split(' ') as [string, string];
      const [methodB, pathB] = b.routeKey.split(' ') as [string, string];
      if (methodA !== methodB) continue;
      const overlap = overlapOf(pathA, pathB);
      if (overlap === undefined) continue;
      const key = `${methodA} ${overlap}`;
      out.set(key, [...(out.get(key) ?? []), a.routeKey, b.routeKey]);
    }
  }
  return [...out].map(([routeKey, by]) => ({ routeKey, by: [...new Set(by)] }));
}

test('no request can reach two deployed routes with variables: each overlap is a literal route, on the function the catalog matcher picks', () => {
  const found = overlaps();
  assert.ok(found.some((o) => o.routeKey === 'GET /v1/namespaces/namespaces'), 'the listNamespaces / loadNamespaceMetadata overlap is seen');
  for (const { routeKey, by } of found) {
    // API Gateway documents one rule for overlaps: a route that matches in full with no variable wins.
    assert.doesNotMatch(routeKey, /\{/, `${by.join(' and ')} overlap on a template`);
    const pinned = API_ROUTES.find((r) => r.routeKey === routeKey);
    assert.ok(pinned !== undefined, `${routeKey} (${by.join(', ')}) has its own literal route`);
    const [method, path] = routeKey.split(' ') as [string, string];
    const match = matchRoute(method, path);
    assert.equal(match.kind, 'matched', routeKey);
    if (match.kind === 'matched') assert.equal(pinned.operationId, match.route.operationId, `${routeKey}: API Gateway and the local server choose the same operation`);
  }
  for (const r of API_ROUTES.filter((r) => r.form === 'literal')) assert.ok(found.some((o) => o.routeKey === r.routeKey), `${r.routeKey} settles an overlap`);
  assert.equal(API_ROUTES.find((r) => r.routeKey === 'GET /v1/namespaces/namespaces')?.operationId, 'loadNamespaceMetadata', 'the segment after /v1/ is a reserved word: un-prefixed');
});

test('function names are unique and valid SST logical names; route keys are unique', () => {
  const names = ALL_FUNCTIONS.map((f) => f.name);
  assert.equal(new Set(names).size, names.length);
  for (const name of names) assert.match(name, /^[A-Z][A-Za-z0-9]*$/);
  assert.equal(new Set(API_ROUTES.map((r) => r.routeKey)).size, API_ROUTES.length);
  for (const route of API_ROUTES) assert.match(route.routeKey, /^(GET|POST|DELETE|HEAD) \/[A-Za-z0-9/{}_.-]+$/);
});

test('no route is unauthenticated except the token endpoint', () => {
  const open = API_ROUTES.filter((r) => r.authentication === 'none').map((r) => r.operationId);
  assert.deepEqual(open, ['getToken']);
});

test('a deployed function can never switch authentication off', () => {
  assert.ok(!PASSED_THROUGH_SETTINGS.includes('CATALOG_AUTH'));
  assert.deepEqual(passedThroughSettings({ CATALOG_AUTH: 'disabled', CATALOG_OIDC_ISSUER: 'https://issuer' }), { CATALOG_OIDC_ISSUER: 'https://issuer' });
  for (const fn of ALL_FUNCTIONS) {
    const env = functionEnvironment(fn.access, RESOURCES, undefined, passedThroughSettings({ CATALOG_AUTH: 'disabled' }));
    assert.equal(env['CATALOG_AUTH'], undefined, fn.name);
  }
});

test('the environment matches what an API Gateway HTTP API and the buckets need', () => {
  const load = ROUTE_FUNCTIONS.find((f) => f.operationId === 'loadTable')!;
  const env = functionEnvironment(load.access, RESOURCES);
  assert.equal(env['CATALOG_PATH_ENCODING'], 'decoded');
  assert.equal(env['CATALOG_STORE'], 's3');
  assert.equal(env['CATALOG_BUCKET'], 'cat-bucket');
  assert.equal(env['CATALOG_WAREHOUSES'], 'default=s3://wh-bucket/warehouse');
  assert.equal(env[RECORD_KEY_VARIABLE], RESOURCES.recordKeyArn);
  assert.equal(env[JOB_QUEUE_VARIABLE], undefined, 'only the functions that enqueue learn the queue');
  assert.equal(env['S3_ENDPOINT'], undefined, 'AWS S3 outside dev stages');
  const drop = ROUTE_FUNCTIONS.find((f) => f.operationId === 'dropTable')!;
  assert.equal(functionEnvironment(drop.access, RESOURCES)[JOB_QUEUE_VARIABLE], RESOURCES.jobQueueUrl);
});

test('every function (routes, job worker, schedules) encrypts records with the deployment\'s KMS key; a setting passed through cannot change that', () => {
  const settings = passedThroughSettings({ CATALOG_ENCRYPTION: 'none', CATALOG_KMS_KEY_ID: 'other', CATALOG_ID: 'lake' });
  assert.deepEqual(settings, { CATALOG_ID: 'lake' });
  for (const fn of ALL_FUNCTIONS) {
    const env = functionEnvironment(fn.access, RESOURCES, undefined, { ...settings, CATALOG_ENCRYPTION: 'none' });
    assert.equal(env[ENCRYPTION_VARIABLE], 'kms', fn.name);
    assert.equal(env[RECORD_KEY_VARIABLE], RESOURCES.recordKeyArn, fn.name);
    assert.equal(env['CATALOG_ID'], 'lake', fn.name);
    assert.doesNotThrow(() => loadConfig(env), fn.name);
  }
});

test('dev stages point the functions at an S3-compatible endpoint with path-style addressing', () => {
  const dev = { endpoint: 'http://127.0.0.1:9000', accessKey: 'minioadmin', secretKey: 'minioadmin', catalogBucket: 'dev-cat', warehouseBucket: 'dev-wh' };
  const env = functionEnvironment(ROUTE_FUNCTIONS[0]!.access, RESOURCES, dev);
  assert.equal(env['S3_ENDPOINT'], 'http://127.0.0.1:9000');
  assert.equal(env['S3_FORCE_PATH_STYLE'], 'true');
  assert.equal(env['CATALOG_BUCKET'], 'dev-cat');
  assert.equal(env['CATALOG_WAREHOUSES'], 'default=s3://dev-wh/warehouse');
});

test('functions that authorize ship Cedar\'s WebAssembly module beside their bundle', () => {
  for (const fn of ALL_FUNCTIONS) {
    const cedar = fn.assets.some((a) => a.to === 'cedar_wasm_bg.wasm');
    assert.equal(cedar, fn.access.includes('authorizes'), fn.name);
    for (const asset of fn.assets) assert.ok(existsSync(join(ROOT, asset.from)), `${asset.from} (npm ci installs it)`);
  }
});

test('every function uses the arm64 Node 22 runtime, bundled as sst.config.ts says', () => {
  const config = readFileSync(join(ROOT, 'sst.config.ts'), 'utf8');
  assert.match(config, /runtime: LAMBDA_RUNTIME/);
  assert.match(config, /architecture: LAMBDA_ARCHITECTURE/);
  assert.match(config, /permissions: policyStatements\(spec\.grants, arnOf\)/, 'inline policies come from the permission data only');
  assert.doesNotMatch(config, /\blink:/, 'no SST links: a bucket link would grant s3:*');
});

test('the job worker is the one consumer of the job queue', () => {
  assert.equal(JOB_WORKER.entry, JOB_WORKER_ENTRY);
  assert.equal(JOB_WORKER.entry, 'functions/jobs/job-worker.ts');
  assert.ok(existsSync(join(ROOT, JOB_WORKER.entry)));
  assert.deepEqual(ALL_FUNCTIONS.filter((f) => f.access.includes('consumes-job-queue')), [JOB_WORKER]);
});
