import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runJobBatch, type JobOutcome, type JobRecord } from './job-batch.js';
import { encodeJob } from './job-message.js';
import type { Job } from './job-queue.js';

const aPurge = (n: number): Job => ({ type: 'purge', kind: 'table', uuid: `00000000-0000-4000-8000-00000000000${n}`, metadataLocation: `s3://wh/t${n}/metadata/00001-a.metadata.json`, requestedAtMs: n });
const aMaintenance = (n: number): Job => ({ type: 'maintain-table', warehouse: 'default', namespace: ['ns'], table: `t${n}`, requestedAtMs: n });
const records = (...bodies: string[]): JobRecord[] => bodies.map((body, i) => ({ messageId: `m${i + 1}`, body }));

test('every job done: no batch item failures, each job run once in order', async () => {
  const ran: Job[] = [];
  const response = await runJobBatch(records(encodeJob(aPurge(1)), encodeJob(aMaintenance(2))), async (job) => void ran.push(job));
  assert.deepEqual(response, { batchItemFailures: [] });
  assert.deepEqual(ran, [aPurge(1), aMaintenance(2)]);
});

test('only the messages whose job failed are named; a failure does not stop the rest of the batch', async () => {
  const ran: Job[] = [];
  const response = await runJobBatch(records(encodeJob(aPurge(1)), encodeJob(aMaintenance(2)), encodeJob(aPurge(3)), encodeJob(aPurge(4))), async (job) => {
    if (job.type === 'maintain-table' || job.requestedAtMs === 4) throw new Error('SlowDown');
    ran.push(job);
  });
  assert.deepEqual(response, { batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm4' }] });
  assert.deepEqual(ran, [aPurge(1), aPurge(3)]);
});

test('a malformed message is acknowledged (not a batch item failure), runs nothing, and is reported', async () => {
  const ran: Job[] = [];
  const outcomes: JobOutcome<void>[] = [];
  const response = await runJobBatch(
    records('not json', JSON.stringify({ type: 'compact', table: 't' }), JSON.stringify({ type: 'purge', kind: 'table', uuid: 'x' }), encodeJob(aPurge(4))),
    async (job) => void ran.push(job),
    { onOutcome: (outcome) => outcomes.push(outcome) },
  );
  assert.deepEqual(response, { batchItemFailures: [] });
  assert.deepEqual(ran, [aPurge(4)]);
  assert.deepEqual(outcomes.map((o) => [o.messageId, o.kind]), [['m1', 'malformed'], ['m2', 'malformed'], ['m3', 'malformed'], ['m4', 'done']]);
});

test('each outcome carries its job and its result or error', async () => {
  const outcomes: JobOutcome<string>[] = [];
  const failure = new Error('ServiceUnavailable');
  await runJobBatch(records(encodeJob(aPurge(1)), encodeJob(aPurge(2))), async (job) => {
    if (job.type === 'purge' && job.requestedAtMs === 2) throw failure;
    return 'report';
  }, { onOutcome: (o) => outcomes.push(o) });
  assert.deepEqual(outcomes, [
    { kind: 'done', messageId: 'm1', job: aPurge(1), result: 'report' },
    { kind: 'failed', messageId: 'm2', job: aPurge(2), error: failure },
  ]);
});

test('an empty batch answers an empty failure list', async () => {
  assert.deepEqual(await runJobBatch([], async () => assert.fail('nothing to run')), { batchItemFailures: [] });
});
