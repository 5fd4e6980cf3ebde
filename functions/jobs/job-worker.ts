import { createFileIO } from '../../core/catalog-runtime.js';
import { confinementOf } from '../../core/catalog/locations/confinement.js';
import { jobRunner } from '../../core/maintenance/jobs/run-job.js';
import { catalogContext, config } from '../lib/catalog-context.js';
import { jobBatchHandler } from '../lib/job-batch-handler.js';

// The job worker (the job queue's one consumer; functions/lib/job-batch-handler.ts). Configuration
// is read at cold start (functions/lib/catalog-context.ts): a bad setting fails the init, not some
// later message. Purges need the table files only; the catalog is created on the first maintenance job.
export const handler = jobBatchHandler(jobRunner({ files: createFileIO(config), confinement: confinementOf(config), catalog: catalogContext }));
