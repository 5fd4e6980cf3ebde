import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig, loadFileAccessConfig } from '../../../core/config.js';
import { functionEnvironment, PURGE_QUEUE_VARIABLE, RECORD_KEY_VARIABLE } from '../../../infra/environment.js';
import { PURGE_WORKER, ROUTE_FUNCTIONS } from '../../../infra/functions.js';
import { deployableFunctions } from '../../../scripts/build-functions.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const RESOURCES = { catalogBucket: 'cat-bucket', warehouseBucket: 'wh-bucket', recordKeyArn: 'arn:aws:kms:eu-west-1:1:key/k', purgeQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/purge', dataAccessRoleArn: 'arn:aws:iam::111122223333:role/iceberg-catalog-test-eu-west-1-data-access' };

test('the purge worker exists, exports a handler, and is bundled with the live functions', async () => {
  assert.ok(existsSync(join(ROOT, PURGE_WORKER.entry)));
  const module = (await import(`../../../${PURGE_WORKER.entry}`)) as { handler?: unknown };
  assert.equal(typeof module.handler, 'function');
  assert.ok(deployableFunctions().includes(PURGE_WORKER), 'scripts/build-functions.ts (npm run bench) bundles the worker');
});

test('sst.config.ts subscribes the worker to the purge queue with partial batch responses, behind a dead-letter queue', () => {
  const config = readFileSync(join(ROOT, 'sst.config.ts'), 'utf8');
  assert.match(config, /purgeQueue\.subscribe\(makeFunction\(PURGE_WORKER\)\.arn, \{ batch: \{ size: 1, partialResponses: true \} \}\)/);
  assert.match(config, /dlq: \{ queue: purgeDeadLetters\.arn, retry: PURGE_RETRIES \}/);
});

test('dropTable is told the queue under the name the catalog reads', () => {
  const drop = ROUTE_FUNCTIONS.find((f) => f.operationId === 'dropTable')!;
  const env = functionEnvironment(drop.access, RESOURCES);
  assert.equal(env[PURGE_QUEUE_VARIABLE], RESOURCES.purgeQueueUrl);
  assert.equal(loadConfig(env).jobQueueUrl, RESOURCES.purgeQueueUrl);
});

test('the worker starts from its own environment: no queue URL, no record key, only the S3 connection', () => {
  const worker = functionEnvironment(PURGE_WORKER.access, RESOURCES);
  assert.equal(worker[PURGE_QUEUE_VARIABLE], undefined);
  assert.equal(worker[RECORD_KEY_VARIABLE], undefined);
  const config = loadFileAccessConfig(worker);
  assert.equal(config.logLevel, 'info');
  assert.equal(config.s3.endpoint, undefined, 'AWS S3 itself');
});
