import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { encodePurgeJob } from '../../core/maintenance/jobs/job-message.js';
import type { PurgeJob } from '../../core/maintenance/jobs/job-queue.js';
import type { PurgeReport } from '../../core/catalog/tables/purge-table.js';
import { setLogLevel } from '../../functions/lib/logger.js';
import { purgeWorker } from '../../functions/jobs/job-worker.js';

setLogLevel('error');

const job = (n: number): PurgeJob => ({ kind: 'table', uuid: `00000000-0000-4000-8000-00000000000${n}`, metadataLocation: `s3://wh/t${n}/metadata/00001-a.metadata.json`, requestedAtMs: n });
const REPORT: PurgeReport = { deleted: 3, dataFiles: 1, manifests: 1, metadataFiles: 1, refused: [] };

function event(...bodies: string[]): SQSEvent {
  return { Records: bodies.map((body, i) => ({ messageId: `m${i + 1}`, body }) as SQSRecord) };
}

test('every job purged: no batch item failures', async () => {
  const purged: PurgeJob[] = [];
  const handler = purgeWorker(async (j) => {
    purged.push(j);
    return REPORT;
  });
  assert.deepEqual(await handler(event(encodePurgeJob(job(1)), encodePurgeJob(job(2)))), { batchItemFailures: [] });
  assert.deepEqual(purged, [job(1), job(2)]);
});

test('only the messages whose purge failed are handed back; the others are not purged again', async () => {
  const purged: string[] = [];
  const handler = purgeWorker(async (j) => {
    if (j.uuid === job(2).uuid || j.uuid === job(4).uuid) throw new Error('SlowDown');
    purged.push(j.uuid);
    return REPORT;
  });
  const response = await handler(event(encodePurgeJob(job(1)), encodePurgeJob(job(2)), encodePurgeJob(job(3)), encodePurgeJob(job(4))));
  assert.deepEqual(response, { batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm4' }] });
  assert.deepEqual(purged, [job(1).uuid, job(3).uuid], 'a failure does not stop the rest of the batch');
});

test('a malformed message is dropped (acknowledged, never retried) and purges nothing', async () => {
  const purged: PurgeJob[] = [];
  const handler = purgeWorker(async (j) => {
    purged.push(j);
    return REPORT;
  });
  const response = await handler(event('not json', JSON.stringify({ kind: 'table', uuid: 'x' }), encodePurgeJob(job(3))));
  assert.deepEqual(response, { batchItemFailures: [] });
  assert.deepEqual(purged, [job(3)]);
});

test('an empty batch answers an empty failure list', async () => {
  assert.deepEqual(await purgeWorker(async () => REPORT)(event()), { batchItemFailures: [] });
});
