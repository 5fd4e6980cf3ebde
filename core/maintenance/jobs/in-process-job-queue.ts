import type { PurgeJob, PurgeQueue } from './job-queue.js';

export type PurgeWorker = (job: PurgeJob) => Promise<void>;

/**
 * The embedded mode's queue: jobs run one after another in this process, after the drop has
 * answered. A failed job is reported and dropped (the files stay; purging again is always safe).
 */
export class InProcessPurgeQueue implements PurgeQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly worker: PurgeWorker,
    private readonly onError: (job: PurgeJob, error: unknown) => void,
  ) {}

  async enqueue(job: PurgeJob): Promise<void> {
    this.pending++;
    this.tail = this.tail
      .then(() => this.worker(job))
      .catch((error: unknown) => this.onError(job, error))
      .finally(() => {
        this.pending--;
      });
  }

  /** Resolves once every job enqueued so far has finished. */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }
}
