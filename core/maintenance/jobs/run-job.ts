import type { CatalogContext } from '../../catalog/context.js';
import type { LocationConfinement } from '../../catalog/locations/confinement.js';
import { purgeDropped } from '../../catalog/purge-dropped.js';
import type { PurgeReport } from '../../catalog/tables/purge-table.js';
import type { FileIO } from '../../store/file-io.js';
import { maintainQueuedTable, type QueuedRunReport } from '../schedule.js';
import type { Job } from './job-queue.js';

export interface JobRunnerPorts {
  /** Table files, confined like every FileIO of the catalog: a purge touches nothing else. */
  readonly files: FileIO;
  readonly confinement: LocationConfinement;
  /** The catalog, for maintenance runs (commits, records); created on the first such job. */
  readonly catalog: () => Promise<CatalogContext>;
}

export type JobResult = ({ readonly type: 'purge' } & PurgeReport) | ({ readonly type: 'maintain-table' } & QueuedRunReport);

/**
 * What each kind of job does, in one place for every adapter: the SQS worker and the in-process
 * queue both run jobs through this. It throws when the job failed and may be retried.
 */
export function jobRunner(ports: JobRunnerPorts): (job: Job) => Promise<JobResult> {
  return async (job) => {
    switch (job.type) {
      case 'purge':
        return { type: 'purge', ...(await purgeDropped(ports.files, ports.confinement, job)) };
      case 'maintain-table':
        return { type: 'maintain-table', ...(await maintainQueuedTable(await ports.catalog(), job)) };
      default: {
        const never: never = job;
        throw new Error(`unknown job ${String(never)}`);
      }
    }
  };
}
