import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { encodeJob } from './job-message.js';
import type { Job, JobQueue } from './job-queue.js';

export interface SqsJobQueueOptions {
  /** `https://sqs.<region>.amazonaws.com/<account>/<name>` (CATALOG_JOB_QUEUE_URL). */
  readonly queueUrl: string;
  /** Used when the URL does not name one (an SQS-compatible server); AWS's own URLs do. */
  readonly region?: string;
  /** Tests and custom transports. */
  readonly client?: Pick<SQSClient, 'send'>;
}

/** `sqs.eu-west-1.amazonaws.com` (and `.amazonaws.com.cn`): the region the queue lives in. */
export function regionOfQueueUrl(queueUrl: string): string | undefined {
  return /^https?:\/\/sqs[.-]([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\//i.exec(queueUrl)?.[1];
}

/**
 * The production JobQueue: one SQS message per job, consumed by the job worker
 * (functions/jobs/job-worker.ts). The functions that enqueue may only send (infra/permissions.ts).
 * Credentials are the function's role, never the S3_* ones (those may name an S3-compatible server).
 */
export class SqsJobQueue implements JobQueue {
  private readonly client: Pick<SQSClient, 'send'>;
  private readonly queueUrl: string;

  constructor(options: SqsJobQueueOptions) {
    this.queueUrl = options.queueUrl;
    const awsRegion = regionOfQueueUrl(options.queueUrl);
    const region = awsRegion ?? options.region;
    this.client =
      options.client ??
      new SQSClient({
        ...(region !== undefined ? { region } : {}),
        // An SQS-compatible server (ElasticMQ, LocalStack) is reached at its queue URL's origin.
        ...(awsRegion === undefined ? { endpoint: new URL(options.queueUrl).origin } : {}),
      });
  }

  async enqueue(job: Job): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: encodeJob(job) }));
  }
}
