import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROUTES } from '../../../core/http/routes.js';
import { loadConfig } from '../../../core/config.js';
import { ENCRYPTION_VARIABLE, functionEnvironment, PASSED_THROUGH_SETTINGS, passedThroughSettings, RECORD_KEY_VARIABLE, PURGE_QUEUE_VARIABLE } from '../../../infra/environment.js';
import { ALL_FUNCTIONS, PURGE_WORKER, PURGE_WORKER_ENTRY, ROUTE_FUNCTIONS } from '../../../infra/functions.js';
import { API_ROUTES } from '../../../infra/routes.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const RESOURCES = { catalogBucket: 'cat-bucket', warehouseBucket: 'wh-bucket', recordKeyArn: 'arn:aws:kms:eu-west-1:1:key/k', purgeQueueUrl: 'https://sqs/q' };

test('every route of the route table has a handler file, one function and one API route', () => {
  assert.equal(ROUTE_FUNCTIONS.length, ROUTES.length);
  assert.equal(API_ROUTES.length, ROUTES.length);
  for (const route of ROUTES) {
    assert.ok(existsSync(join(ROOT, `${route.handler}.ts`)), `missing ${route.handler}.ts`);
    const fn = ROUTE_FUNCTIONS.filter((f) => f.operationId === route.operationId);
    assert.equal(fn.length, 1, `${route.operationId}: one function`);
    assert.equal(fn[0]!.handler, `${route.handler}.handler`);
    const api = API_ROUTES.filter((r) => r.operationId === route.operationId);
    assert.equal(api.length, 1, `${route.operationId}: one API route`);
    assert.equal(api[0]!.routeKey, `${route.method} ${route.path}`);
    assert.equal(api[0]!.functionName, fn[0]!.name, `${route.operationId} is integrated with its own function`);
  }
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
  assert.equal(env[PURGE_QUEUE_VARIABLE], undefined, 'only dropTable sends purge jobs');
  assert.equal(env['S3_ENDPOINT'], undefined, 'AWS S3 outside dev stages');
  const drop = ROUTE_FUNCTIONS.find((f) => f.operationId === 'dropTable')!;
  assert.equal(functionEnvironment(drop.access, RESOURCES)[PURGE_QUEUE_VARIABLE], RESOURCES.purgeQueueUrl);
});

test('every route function encrypts records with the deployment\'s KMS key; a setting passed through cannot change that', () => {
  const settings = passedThroughSettings({ CATALOG_ENCRYPTION: 'none', CATALOG_KMS_KEY_ID: 'other', CATALOG_ID: 'lake' });
  assert.deepEqual(settings, { CATALOG_ID: 'lake' });
  assert.equal(functionEnvironment(PURGE_WORKER.access, RESOURCES)[RECORD_KEY_VARIABLE], undefined, 'the purge worker reads no record');
  for (const fn of ROUTE_FUNCTIONS) {
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

test('the purge worker is the function the issue names, triggered by the purge queue', (t) => {
  assert.equal(PURGE_WORKER.entry, PURGE_WORKER_ENTRY);
  assert.equal(PURGE_WORKER.entry, 'functions/purge/purge-worker.ts');
  assert.ok(PURGE_WORKER.access.includes('consumes-purge-queue'));
  if (!existsSync(join(ROOT, PURGE_WORKER.entry))) t.diagnostic(`${PURGE_WORKER.entry} is not written yet: sst.config.ts deploys the queue without it`);
});
