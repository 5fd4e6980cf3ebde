import type { FileIO } from '../store/file-io.js';
import type { LocationConfinement } from './locations/confinement.js';
import type { PurgeJob } from '../maintenance/jobs/job-queue.js';
import { purgeTable, type PurgeReport } from './tables/purge-table.js';
import { purgeView } from './views/purge-view.js';

/**
 * A purge job's one entry point (core/maintenance/jobs/run-job.ts), for both kinds of dropped object. Refused files (outside
 * the object's own locations) are in the report and logged by the caller, never deleted.
 */
export function purgeDropped(files: FileIO, confinement: LocationConfinement, job: PurgeJob): Promise<PurgeReport> {
  return job.kind === 'view' ? purgeView(files, confinement, job) : purgeTable(files, confinement, job);
}
