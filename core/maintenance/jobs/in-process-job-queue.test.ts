import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InProcessJobQueue } from './in-process-job-queue.js';
import type { Job } from './job-queue.js';

const aJob = (n: number): Job => ({ type: 'maintain-table', warehouse: 'default', namespace: ['ns'], table: `t${n}`, requestedAtMs: n });

test('jobs run after enqueue returns, at most `concurrency` at a time, all of them', async () => {
  let running = 0;
  let most = 0;
  const ran: string[] = [];
  const queue = new InProcessJobQueue(
    async (job) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (job.type === 'maintain-table') ran.push(job.table);
    },
    { onError: () => assert.fail('no job fails'), concurrency: 2 },
  );
  for (let n = 1; n <= 5; n++) await queue.enqueue(aJob(n));
  assert.deepEqual(ran, [], 'nothing ran on the caller\'s stack');
  await queue.idle();
  assert.deepEqual(ran.sort(), ['t1', 't2', 't3', 't4', 't5']);
  assert.equal(most, 2);
});

test('a failed job is reported, not thrown, and does not stop the others', async () => {
  const errors: { job: Job; error: unknown }[] = [];
  const ran: Job[] = [];
  const failure = new Error('SlowDown');
  const queue = new InProcessJobQueue(
    async (job) => {
      if (job.type === 'maintain-table' && job.table === 't2') throw failure;
      ran.push(job);
    },
    { onError: (job, error) => errors.push({ job, error }), concurrency: 1 },
  );
  await queue.enqueue(aJob(1));
  await queue.enqueue(aJob(2));
  await queue.enqueue(aJob(3));
  await queue.idle();
  assert.deepEqual(ran, [aJob(1), aJob(3)]);
  assert.deepEqual(errors, [{ job: aJob(2), error: failure }]);
});

test('idle resolves at once on an empty queue', async () => {
  await new InProcessJobQueue(async () => undefined, { onError: () => undefined }).idle();
});
