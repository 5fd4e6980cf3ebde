import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LazySqsJobQueue } from './lazy-sqs-job-queue.js';
import type { Job } from './job-queue.js';

const JOB: Job = { type: 'purge', kind: 'table', uuid: 'u1', metadataLocation: 's3://wh/t/metadata/00001-a.metadata.json', requestedAtMs: 1 };

test('a job is sent once; nothing is reported', async () => {
  const sent: Job[] = [];
  const lost: Job[] = [];
  const queue = new LazySqsJobQueue({ queueUrl: 'https://sqs.example/q', region: 'eu-west-1', onLost: (job) => lost.push(job), send: async (job) => void sent.push(job) });
  await queue.enqueue(JOB);
  assert.deepEqual(sent, [JOB]);
  assert.deepEqual(lost, []);
});

test('a send that fails does not fail the caller: the job is reported as lost, with its error', async () => {
  const lost: { job: Job; error: unknown }[] = [];
  const failure = new Error('ServiceUnavailable');
  const queue = new LazySqsJobQueue({ queueUrl: 'https://sqs.example/q', region: 'eu-west-1', onLost: (job, error) => lost.push({ job, error }), send: async () => Promise.reject(failure) });
  await queue.enqueue(JOB);
  assert.deepEqual(lost, [{ job: JOB, error: failure }]);
});
