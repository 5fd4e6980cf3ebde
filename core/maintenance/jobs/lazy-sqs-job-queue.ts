import type { Job, JobQueue } from './job-queue.js';

export interface LazySqsJobQueueOptions {
  readonly queueUrl: string;
  readonly region: string;
  /** Told when a job could not be queued, with the job, so an operator can run it by hand. */
  readonly onLost: (job: Job, error: unknown) => void;
  /** Test seam: what sends one job (default: the SQS adapter, loaded on first use). */
  readonly send?: (job: Job) => Promise<void>;
}

/**
 * Production job queue: SQS, with the SDK loaded on the first job only (most requests enqueue
 * nothing). A drop has already retired the pointer when it enqueues its purge, so a failed send must
 * not turn a done drop into a 500 the client would retry into a 404: the SDK has retried already,
 * the job is reported as lost (the files stay, which is safe; a maintenance run comes round again
 * on a later tick) and the caller goes on.
 */
export class LazySqsJobQueue implements JobQueue {
  private sender: Promise<(job: Job) => Promise<void>> | undefined;

  constructor(private readonly options: LazySqsJobQueueOptions) {}

  async enqueue(job: Job): Promise<void> {
    try {
      const send = await (this.sender ??= this.loadSender());
      await send(job);
    } catch (error) {
      this.options.onLost(job, error);
    }
  }

  private async loadSender(): Promise<(job: Job) => Promise<void>> {
    if (this.options.send !== undefined) return this.options.send;
    const { SqsJobQueue } = await import('./sqs-job-queue.js');
    const queue = new SqsJobQueue({ queueUrl: this.options.queueUrl, region: this.options.region });
    return (job) => queue.enqueue(job);
  }
}
