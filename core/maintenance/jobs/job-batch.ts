import { decodeJob, MalformedJobError } from './job-message.js';
import type { Job } from './job-queue.js';

/** One queued message as SQS hands it to a Lambda function (the fields of `SQSRecord` we read). */
export interface JobRecord {
  readonly messageId: string;
  readonly body: string;
}

/** SQS's partial batch response (`SQSBatchResponse`): the messages to hand back for a retry. */
export interface JobBatchResponse {
  readonly batchItemFailures: { readonly itemIdentifier: string }[];
}

export type JobOutcome<R> =
  | { readonly kind: 'done'; readonly messageId: string; readonly job: Job; readonly result: R }
  /** No retry can fix it: it is dropped (acknowledged) and only logged. */
  | { readonly kind: 'malformed'; readonly messageId: string; readonly error: MalformedJobError }
  /** The job itself failed (storage unreachable, throttled, a commit lost its race ...): the message is handed back for a retry. */
  | { readonly kind: 'failed'; readonly messageId: string; readonly job: Job; readonly error: unknown };

export interface JobBatchOptions<R> {
  /** Told about every message once it is settled (the worker logs each). */
  readonly onOutcome?: (outcome: JobOutcome<R>) => void;
}

/**
 * Runs the jobs of a batch of queue messages, one after another (each job already does its I/O in
 * parallel), and answers SQS's partial batch response: only the messages whose job failed are
 * named, so SQS retries those alone and, after their retries, parks them in the dead-letter queue.
 * Every job may run again; a malformed message never gets better, so it is acknowledged (logged
 * through `onOutcome`) and never retried.
 */
export async function runJobBatch<R>(records: readonly JobRecord[], runJob: (job: Job) => Promise<R>, options: JobBatchOptions<R> = {}): Promise<JobBatchResponse> {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const { messageId, body } of records) {
    const outcome = await runOne(messageId, body, runJob);
    if (outcome.kind === 'failed') batchItemFailures.push({ itemIdentifier: messageId });
    options.onOutcome?.(outcome);
  }
  return { batchItemFailures };
}

async function runOne<R>(messageId: string, body: string, runJob: (job: Job) => Promise<R>): Promise<JobOutcome<R>> {
  let job: Job;
  try {
    job = decodeJob(body);
  } catch (error) {
    if (!(error instanceof MalformedJobError)) throw error;
    return { kind: 'malformed', messageId, error };
  }
  try {
    return { kind: 'done', messageId, job, result: await runJob(job) };
  } catch (error) {
    return { kind: 'failed', messageId, job, error };
  }
}
