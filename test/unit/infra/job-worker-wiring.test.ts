import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../../core/config.js';
import { functionEnvironment, JOB_QUEUE_VARIABLE, RECORD_KEY_VARIABLE } from '../../../infra/environment.js';
import { JOB_WORKER, MAINTENANCE, ROUTE_FUNCTIONS } from '../../../infra/functions.js';
import { deployableFunctions } from '../../../scripts/build-functions.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const RESOURCES = { catalogBucket: 'cat-bucket', warehouseBucket: 'wh-bucket', recordKeyArn: 'arn:aws:kms:eu-west-1:1:key/k', jobQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/jobs', dataAccessRoleArn: 'arn:aws:iam::111122223333:role/iceberg-catalog-test-eu-west-1-data-access' };

test('the job worker exists, exports a handler, and is bundled with the live functions', async () => {
  assert.ok(existsSync(join(ROOT, JOB_WORKER.entry)));
  // The entry reads the catalog configuration at import: give it a complete one (local files), not
  // whatever this run's environment holds (an S3 endpoint without a record key, in the RGW run).
  process.env['CATALOG_STORE'] = 'fs';
  process.env['CATALOG_DATA_DIR'] = mkdtempSync(join(tmpdir(), 'job-worker-'));
  const module = (await import(`../../../${JOB_WORKER.entry}`)) as { handler?: unknown };
  assert.equal(typeof module.handler, 'function');
  assert.ok(deployableFunctions().includes(JOB_WORKER), 'scripts/build-functions.ts (npm run bench) bundles the worker');
});

test('sst.config.ts: one job queue behind a dead-letter queue, one worker subscribed with partial batch responses', () => {
  const config = readFileSync(join(ROOT, 'sst.config.ts'), 'utf8');
  assert.match(config, /jobQueue\.subscribe\(makeFunction\(JOB_WORKER\)\.arn, \{ batch: \{ size: 1, partialResponses: true \} \}\)/);
  assert.match(config, /dlq: \{ queue: jobDeadLetters\.arn, retry: JOB_RETRIES \}/);
  assert.equal(config.match(/new sst\.aws\.Queue\(/g)?.length, 2, 'the job queue and its dead letters, nothing else');
  assert.equal(config.match(/\.subscribe\(/g)?.length, 1);
});

test('the functions that enqueue (drops, scheduled maintenance) are told the queue under the name the catalog reads', () => {
  for (const fn of [ROUTE_FUNCTIONS.find((f) => f.operationId === 'dropTable')!, ROUTE_FUNCTIONS.find((f) => f.operationId === 'dropView')!, MAINTENANCE]) {
    const env = functionEnvironment(fn.access, RESOURCES);
    assert.equal(env[JOB_QUEUE_VARIABLE], RESOURCES.jobQueueUrl, fn.name);
    assert.equal(loadConfig(env).jobQueueUrl, RESOURCES.jobQueueUrl, fn.name);
  }
});

test('the worker starts from its own environment: the catalog (its maintenance runs commit), no queue URL (it sends nothing)', () => {
  const worker = functionEnvironment(JOB_WORKER.access, RESOURCES);
  assert.equal(worker[JOB_QUEUE_VARIABLE], undefined);
  assert.equal(worker[RECORD_KEY_VARIABLE], RESOURCES.recordKeyArn);
  const config = loadConfig(worker);
  assert.equal(config.jobQueueUrl, undefined);
  assert.equal(config.s3.endpoint, undefined, 'AWS S3 itself');
});
