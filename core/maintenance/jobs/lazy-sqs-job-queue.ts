import type { PurgeJob, PurgeQueue } from './job-queue.js';

export interface LazySqsPurgeQueueOptions {
  readonly queueUrl: string;
  readonly region: string;
  /** Told when a job could not be queued, with the job, so an operator can purge by hand. */
  readonly onLost: (job: PurgeJob, error: unknown) => void;
  /** Test seam: what sends one job (default: the SQS adapter, loaded on first use). */
  readonly send?: (job: PurgeJob) => Promise<void>;
}

/**
 * Production purge queue: SQS, with the SDK loaded on the first purge only. The drop has already
 * retired the pointer when it enqueues, so a failed send must not turn a done drop into a 500 the
 * client would retry into a 404: the SDK has retried already, the job is reported as lost (the
 * files stay, which is safe) and the drop answers 204.
 */
export class LazySqsPurgeQueue implements PurgeQueue {
  private sender: Promise<(job: PurgeJob) => Promise<void>> | undefined;

  constructor(private readonly options: LazySqsPurgeQueueOptions) {}

  async enqueue(job: PurgeJob): Promise<void> {
    try {
      const send = await (this.sender ??= this.loadSender());
      await send(job);
    } catch (error) {
      this.options.onLost(job, error);
    }
  }

  private async loadSender(): Promise<(job: PurgeJob) => Promise<void>> {
    if (this.options.send !== undefined) return this.options.send;
    const { SqsPurgeQueue } = await import('./sqs-job-queue.js');
    const queue = new SqsPurgeQueue({ queueUrl: this.options.queueUrl, region: this.options.region });
    return (job) => queue.enqueue(job);
  }
}
