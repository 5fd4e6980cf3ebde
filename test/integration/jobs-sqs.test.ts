import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { createCatalogContext } from '../../core/catalog-runtime.js';
import { confinementOf } from '../../core/catalog/locations/confinement.js';
import { createNamespace } from '../../core/catalog/namespaces/create-namespace.js';
import { createTable } from '../../core/catalog/tables/create-table.js';
import { loadConfig } from '../../core/config.js';
import { validateCreateTableRequest } from '../../core/metadata/index.js';
import { decodeJob, encodeJob, MAX_JOB_MESSAGE_LENGTH } from '../../core/maintenance/jobs/job-message.js';
import type { Job } from '../../core/maintenance/jobs/job-queue.js';
import { jobRunner, type JobResult } from '../../core/maintenance/jobs/run-job.js';
import { SqsJobQueue } from '../../core/maintenance/jobs/sqs-job-queue.js';
import { maintainWarehouseTick, maintenanceCursorKey } from '../../core/maintenance/schedule.js';
import { MemoryObjectStore } from '../../core/store/memory-object-store.js';
import { jobBatchHandler } from '../../functions/lib/job-batch-handler.js';
import { setLogLevel } from '../../functions/lib/logger.js';
import { startCoreHarness, type CoreHarness } from '../support/core-context.js';
import { createTableBody, uniqueNameOf } from '../support/table-requests.js';

/**
 * The job queue against a real SQS-compatible server (fauxqs, started here on a free localhost port,
 * SQS only; its S3 side ignores conditional writes, so storage stays on the harness's store): the
 * SQS adapter's messages, the worker's partial batch response (only the failed job is handed back,
 * a malformed message is acknowledged), and what SQS does with that answer (it redelivers the
 * failed message alone). No mock of the SDK: every call goes over HTTP.
 */
const REGION = 'us-east-1';
/** SQS hides a received message this long; short, so the redelivery of a failed job is seen quickly. */
const VISIBILITY_SECONDS = 1;

let server: FauxqsServer;
let sqs: SQSClient;

before(async () => {
  setLogLevel('error');
  // The adapter builds its own client with the SDK's default credential chain; fauxqs accepts any.
  process.env['AWS_ACCESS_KEY_ID'] ??= 'fauxqs';
  process.env['AWS_SECRET_ACCESS_KEY'] ??= 'fauxqs';
  server = await startFauxqs({ port: 0, logger: false });
  sqs = new SQSClient({ region: REGION, endpoint: server.address, credentials: { accessKeyId: 'fauxqs', secretAccessKey: 'fauxqs' } });
});

after(async () => {
  sqs?.destroy();
  await server?.stop();
});

/**
 * A fresh queue; its URL on 127.0.0.1 (fauxqs names `sqs.<region>.localhost`, which not every
 * resolver answers), the path as the server gives it.
 */
async function aQueue(): Promise<string> {
  const created = await sqs.send(new CreateQueueCommand({ QueueName: uniqueNameOf('jobs'), Attributes: { VisibilityTimeout: String(VISIBILITY_SECONDS) } }));
  return `${server.address}${new URL(created.QueueUrl!).pathname}`;
}

/** Receives until `count` messages came (SQS may answer fewer than asked per call), or fails after `timeoutMs`. */
async function receive(queueUrl: string, count: number, timeoutMs = 10_000): Promise<Message[]> {
  const messages: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (messages.length < count) {
    if (Date.now() > deadline) assert.fail(`received ${messages.length} of ${count} messages`);
    const answer = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    messages.push(...(answer.Messages ?? []));
  }
  return messages;
}

/** What Lambda's SQS event source hands the function: one record per received message. */
function eventOf(messages: readonly Message[]): SQSEvent {
  return { Records: messages.map((m) => ({ messageId: m.MessageId!, receiptHandle: m.ReceiptHandle!, body: m.Body!, eventSource: 'aws:sqs' }) as SQSRecord) };
}

/** What Lambda does with a partial batch response: deletes every message the function did not name. */
async function acknowledge(queueUrl: string, messages: readonly Message[], failed: ReadonlySet<string>): Promise<void> {
  const done = messages.filter((m) => !failed.has(m.MessageId!));
  if (done.length === 0) return;
  const answer = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: done.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })) }));
  assert.deepEqual(answer.Failed ?? [], []);
}

const aPurge = (n: number): Job => ({ type: 'purge', kind: 'table', uuid: `00000000-0000-4000-8000-00000000000${n}`, metadataLocation: `s3://wh/t${n}/metadata/00001-a.metadata.json`, requestedAtMs: n });
const aMaintenance = (n: number): Job => ({ type: 'maintain-table', warehouse: 'default', namespace: ['sales', 'eu'], table: `t${n}`, requestedAtMs: n, orphanCursor: `wh/t${n}/data/00001.parquet` });
const DONE: JobResult = { type: 'purge', deleted: 0, dataFiles: 0, manifests: 0, metadataFiles: 0, refused: [] };

describe('the job queue over SQS (fauxqs)', () => {
  test('the SQS adapter sends one message per job, whose body decodes to the job', async () => {
    const queueUrl = await aQueue();
    const queue = new SqsJobQueue({ queueUrl, region: REGION });
    const jobs = [aPurge(1), aMaintenance(2), { ...aPurge(3), kind: 'view' } as Job];
    for (const job of jobs) await queue.enqueue(job);

    const messages = await receive(queueUrl, jobs.length);
    assert.deepEqual(
      messages.map((m) => decodeJob(m.Body!)).sort((a, b) => a.requestedAtMs - b.requestedAtMs),
      jobs,
    );
  });

  test('the worker names only the failed job in batchItemFailures; malformed messages are acknowledged; SQS redelivers the failed one alone', async () => {
    const queueUrl = await aQueue();
    const queue = new SqsJobQueue({ queueUrl, region: REGION });
    const failing = aMaintenance(2);
    for (const job of [aPurge(1), failing, aPurge(3)]) await queue.enqueue(job);
    // Hostile bodies from anyone who may send to the queue: not JSON, an unknown type, a bad field, too long.
    const malformed = ['not json', JSON.stringify({ type: 'compact', table: 't' }), JSON.stringify({ ...aPurge(4), requestedAtMs: '4' }), JSON.stringify({ ...aPurge(5), pad: 'x'.repeat(MAX_JOB_MESSAGE_LENGTH) })];
    for (const body of malformed) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));

    const batch = await receive(queueUrl, 3 + malformed.length);
    const ran: Job[] = [];
    const handler = jobBatchHandler(async (job) => {
      if (job.type === 'maintain-table' && job.table === 't2') throw new Error('SlowDown: please reduce your request rate');
      ran.push(job);
      return DONE;
    });
    const response = await handler(eventOf(batch));

    const failedMessage = batch.find((m) => m.Body === encodeJob(failing))!;
    assert.deepEqual(response, { batchItemFailures: [{ itemIdentifier: failedMessage.MessageId! }] }, 'the failed job alone; no malformed message');
    assert.deepEqual(ran.map((j) => j.requestedAtMs).sort(), [1, 3], 'every well-formed job but the failed one ran, once');

    // Lambda deletes what the function did not name; SQS then hands back the failed message alone.
    await acknowledge(queueUrl, batch, new Set(response.batchItemFailures.map((f) => f.itemIdentifier)));
    const [again, ...more] = await receive(queueUrl, 1, (VISIBILITY_SECONDS + 5) * 1_000);
    assert.equal(more.length, 0);
    assert.equal(again!.MessageId, failedMessage.MessageId);
    assert.equal(again!.Attributes?.['ApproximateReceiveCount'], '2');
    assert.deepEqual(decodeJob(again!.Body!), failing);
    // This time it succeeds, and nothing is left.
    assert.deepEqual(await jobBatchHandler(async () => DONE)(eventOf([again!])), { batchItemFailures: [] });
    await acknowledge(queueUrl, [again!], new Set());
    const rest = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: VISIBILITY_SECONDS + 1 }));
    assert.deepEqual(rest.Messages ?? [], []);
  });

  test('a catalog configured with CATALOG_JOB_QUEUE_URL sends its jobs there (the lazy adapter, as deployed)', async () => {
    const queueUrl = await aQueue();
    const ctx = await createCatalogContext(loadConfig({ CATALOG_JOB_QUEUE_URL: queueUrl, CATALOG_LOG_LEVEL: 'error', S3_REGION: REGION }), { objects: new MemoryObjectStore() });
    await ctx.jobs.enqueue(aPurge(7));
    const [message] = await receive(queueUrl, 1);
    assert.deepEqual(decodeJob(message!.Body!), aPurge(7));
  });
});

describe('scheduled maintenance through SQS', () => {
  let h: CoreHarness;
  before(async () => {
    h = await startCoreHarness();
  });
  after(async () => h.close());

  test('a tick queues its tables, and the worker runs maintainTable on each from the received messages', async () => {
    const queueUrl = await aQueue();
    const namespace = [uniqueNameOf('sqs-maint')];
    await createNamespace(h.ctx, h.warehouse, { namespace, properties: {} });
    for (const name of ['a', 'b']) await createTable(h.ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody(name)));
    // The round-robin starts just before this namespace (other tests' tables share the warehouse).
    const cursorKey = maintenanceCursorKey(h.ctx, h.warehouse);
    await h.ctx.records.objects.delete(cursorKey);
    await h.ctx.records.create(cursorKey, { after: h.ctx.keys.namespaceRecord(h.warehouse, namespace), orphanCursors: {} });

    const tick = await maintainWarehouseTick(h.ctx, h.warehouse, h.ctx.clock.now() + 60_000, 2, { jobs: new SqsJobQueue({ queueUrl, region: REGION }) });
    assert.deepEqual(tick.tables.map((t) => [t.table.name, t.queued]), [['a', true], ['b', true]]);

    const batch = await receive(queueUrl, 2);
    const results: JobResult[] = [];
    const runJob = jobRunner({ files: h.ctx.files, confinement: confinementOf(h.ctx.config), catalog: async () => h.ctx });
    const response = await jobBatchHandler(async (job) => {
      const result = await runJob(job);
      results.push(result);
      return result;
    })(eventOf(batch));

    assert.deepEqual(response, { batchItemFailures: [] });
    assert.deepEqual(results.map((r) => r.type), ['maintain-table', 'maintain-table']);
    for (const result of results) {
      assert.ok(result.type === 'maintain-table');
      // A fresh table has one snapshot at most: the run reads it, expires nothing and saves its cursor.
      assert.equal(result.report.expiredSnapshotIds.length, 0);
      assert.equal(result.cursorSaved, true);
    }
  });
});
