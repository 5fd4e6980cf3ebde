import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { encodeJob } from '../../core/maintenance/jobs/job-message.js';
import type { Job } from '../../core/maintenance/jobs/job-queue.js';
import type { JobResult } from '../../core/maintenance/jobs/run-job.js';
import { setLogLevel } from '../../functions/lib/logger.js';
import { jobBatchHandler } from '../../functions/lib/job-batch-handler.js';

setLogLevel('error');

const aPurge = (n: number): Job => ({ type: 'purge', kind: 'table', uuid: `00000000-0000-4000-8000-00000000000${n}`, metadataLocation: `s3://wh/t${n}/metadata/00001-a.metadata.json`, requestedAtMs: n });
const aMaintenance = (n: number): Job => ({ type: 'maintain-table', warehouse: 'default', namespace: ['ns'], table: `t${n}`, requestedAtMs: n });
const PURGED: JobResult = { type: 'purge', deleted: 3, dataFiles: 1, manifests: 1, metadataFiles: 1, refused: [] };
const MAINTAINED: JobResult = { type: 'maintain-table', report: { ran: false, expiry: { status: 'disabled' } as never, expiredSnapshotIds: [] }, cursorSaved: true };

function event(...bodies: string[]): SQSEvent {
  return { Records: bodies.map((body, i) => ({ messageId: `m${i + 1}`, body }) as SQSRecord) };
}

test('the worker runs both kinds of job and answers a partial batch response naming only the failed one', async () => {
  const ran: Job[] = [];
  const handler = jobBatchHandler(async (job) => {
    if (job.requestedAtMs === 2) throw new Error('SlowDown');
    ran.push(job);
    return job.type === 'purge' ? PURGED : MAINTAINED;
  });
  const response = await handler(event(encodeJob(aPurge(1)), encodeJob(aMaintenance(2)), encodeJob(aMaintenance(3)), 'not json'));
  assert.deepEqual(response, { batchItemFailures: [{ itemIdentifier: 'm2' }] });
  assert.deepEqual(ran, [aPurge(1), aMaintenance(3)]);
});

test('an empty batch answers an empty failure list', async () => {
  assert.deepEqual(await jobBatchHandler(async () => PURGED)(event()), { batchItemFailures: [] });
});
