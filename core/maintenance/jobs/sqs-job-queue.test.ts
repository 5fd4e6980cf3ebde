import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { createCatalogContext } from '../../catalog-runtime.js';
import { loadConfig } from '../../config.js';
import { MemoryObjectStore } from '../../store/memory-object-store.js';
import { decodeJob } from './job-message.js';
import type { Job } from './job-queue.js';
import { regionOfQueueUrl, SqsJobQueue } from './sqs-job-queue.js';

const JOB: Job = { type: 'purge', kind: 'table', uuid: '9c12d441-03fe-4693-9a96-a0705ddf69c1', metadataLocation: 's3://bucket/wh/t/metadata/00001-a.metadata.json', requestedAtMs: 42 };

test('the region comes from the queue URL when AWS names it there', () => {
  assert.equal(regionOfQueueUrl('https://sqs.eu-west-1.amazonaws.com/111122223333/purge'), 'eu-west-1');
  assert.equal(regionOfQueueUrl('https://sqs.cn-north-1.amazonaws.com.cn/111122223333/purge'), 'cn-north-1');
  assert.equal(regionOfQueueUrl('http://127.0.0.1:9324/000000000000/purge'), undefined);
});

test('a job is one message on the configured queue, its body the encoded job', async () => {
  const sent: SendMessageCommand[] = [];
  const client = { send: async (command: unknown) => void sent.push(command as SendMessageCommand) } as unknown as ConstructorParameters<typeof SqsJobQueue>[0]['client'];
  const queue = new SqsJobQueue({ queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/purge', client: client! });
  await queue.enqueue(JOB);
  assert.equal(sent.length, 1);
  assert.ok(sent[0] instanceof SendMessageCommand);
  assert.equal(sent[0].input.QueueUrl, 'https://sqs.eu-west-1.amazonaws.com/111122223333/purge');
  assert.deepEqual(decodeJob(sent[0].input.MessageBody!), JOB);
});

test('with CATALOG_JOB_QUEUE_URL the catalog sends its jobs to SQS (wire format, through a fake SQS endpoint)', async (t) => {
  const requests: { target: string | undefined; body: Record<string, unknown> }[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      requests.push({ target: req.headers['x-amz-target'] as string | undefined, body });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      // The SDK checks the MD5 of the body SQS answers, as it does with AWS.
      res.end(JSON.stringify({ MessageId: 'm-1', MD5OfMessageBody: createHash('md5').update(String(body['MessageBody'])).digest('hex') }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const queueUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/000000000000/purge`;
  process.env['AWS_ACCESS_KEY_ID'] = 'AKIDTEST';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'secret';
  const ctx = await createCatalogContext(loadConfig({ CATALOG_JOB_QUEUE_URL: queueUrl, CATALOG_LOG_LEVEL: 'error' }), { objects: new MemoryObjectStore() });
  await ctx.jobs.enqueue(JOB);
  assert.equal(requests.length, 1);
  assert.equal(requests[0]!.target, 'AmazonSQS.SendMessage');
  assert.equal(requests[0]!.body['QueueUrl'], queueUrl);
  assert.deepEqual(decodeJob(requests[0]!.body['MessageBody'] as string), JOB);
});
