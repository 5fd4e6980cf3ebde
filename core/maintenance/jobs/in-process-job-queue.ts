import type { Job, JobQueue } from './job-queue.js';

export type JobRunner = (job: Job) => Promise<unknown>;

/** Jobs one process runs at once by default: purges and maintenance runs do their own I/O in parallel. */
export const DEFAULT_IN_PROCESS_CONCURRENCY = 2;

export interface InProcessJobQueueOptions {
  /** Told about a job that failed; the job is dropped (purging or maintaining again later is always safe). */
  readonly onError: (job: Job, error: unknown) => void;
  readonly concurrency?: number;
}

/**
 * The local server's (and the embedded mode's) queue: jobs run in this process after `enqueue` has
 * returned, at most `concurrency` at a time, in the order they came. A failed job is reported and
 * dropped, never thrown at whoever enqueued it (a drop has already answered).
 */
export class InProcessJobQueue implements JobQueue {
  private readonly waiting: Job[] = [];
  private readonly concurrency: number;
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly runJob: JobRunner,
    private readonly options: InProcessJobQueueOptions,
  ) {
    this.concurrency = options.concurrency ?? DEFAULT_IN_PROCESS_CONCURRENCY;
    if (!Number.isSafeInteger(this.concurrency) || this.concurrency < 1) throw new Error(`in-process job concurrency must be a positive integer; got ${this.concurrency}`);
  }

  async enqueue(job: Job): Promise<void> {
    this.waiting.push(job);
    this.drain();
  }

  /** Resolves once every job enqueued so far (and any it enqueued) has finished. */
  async idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private drain(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.running++;
      // Started on a later tick: enqueue never runs a job on its caller's stack.
      void Promise.resolve()
        .then(() => this.runJob(job))
        .catch((error: unknown) => this.report(job, error))
        .finally(() => {
          this.running--;
          this.drain();
          if (this.running === 0 && this.waiting.length === 0) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            for (const resolve of waiters) resolve();
          }
        });
    }
  }

  private report(job: Job, error: unknown): void {
    try {
      this.options.onError(job, error);
    } catch {
      // A reporter that throws must not stop the queue.
    }
  }
}
