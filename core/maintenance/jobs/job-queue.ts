/**
 * Background work of the catalog, behind one port: SQS in production (consumed by
 * functions/jobs/job-worker.ts), in-process locally (in-process-job-queue.ts). Two kinds:
 *
 * - `purge`: after a table drop with `purgeRequested=true`, delete the files the dropped table's
 *   metadata references, and nothing else; after a view drop, its current metadata file when the
 *   view's `gc.enabled` allows it (core/catalog/purge-dropped.ts).
 * - `maintain-table`: one maintenance run on one table (core/maintenance/maintain-table.ts), as
 *   scheduled maintenance hands them out (core/maintenance/schedule.ts).
 *
 * Every job may run more than once (SQS delivers at least once, and retries what failed): both kinds
 * are idempotent.
 */
export interface PurgeJob {
  readonly kind: 'table' | 'view';
  /** The table or view uuid: reported only (the metadata file says what it is). */
  readonly uuid: string;
  readonly metadataLocation: string;
  readonly requestedAtMs: number;
}

export interface MaintainTableJob {
  readonly warehouse: string;
  readonly namespace: readonly string[];
  readonly table: string;
  readonly requestedAtMs: number;
  /** Report what a run would do, and change nothing (default false). */
  readonly dryRun?: boolean;
  /** Where the table's last orphan listing stopped (the schedule's cursor record keeps it). */
  readonly orphanCursor?: string;
}

export type Job = ({ readonly type: 'purge' } & PurgeJob) | ({ readonly type: 'maintain-table' } & MaintainTableJob);

export type JobType = Job['type'];

export interface JobQueue {
  /** Resolves once the job is queued (or, for an adapter that cannot fail the caller, reported as lost). */
  enqueue(job: Job): Promise<void>;
}

/** A short, log-safe description of a job (no cursor, no timestamps). */
export function describeJob(job: Job): string {
  switch (job.type) {
    case 'purge':
      return `purge of ${job.kind} ${job.uuid} (metadata ${job.metadataLocation})`;
    case 'maintain-table':
      return `maintenance of ${job.warehouse}/${job.namespace.join('.')}.${job.table}`;
    default: {
      const never: never = job;
      return String(never);
    }
  }
}
