import type { FileIO } from '../store/file-io.js';
import type { PurgeJob } from './tables/purge-queue.js';
import { purgeTable, type PurgeReport } from './tables/purge-table.js';
import { purgeView } from './views/purge-view.js';

/** The purge worker's one entry point, for both kinds of dropped object. */
export function purgeDropped(files: FileIO, job: PurgeJob): Promise<PurgeReport> {
  return job.kind === 'view' ? purgeView(files, job) : purgeTable(files, job);
}
