import { maintenanceTick } from '../../core/maintenance/schedule.js';
import { catalogContext, config } from '../lib/catalog-context.js';
import { log } from '../lib/logger.js';

/**
 * Leaves two minutes of the function's timeout (infra/functions.ts MAINTENANCE_TIMEOUT_SECONDS) for
 * the table run in progress at the deadline to finish its last step (core/maintenance/schedule.ts).
 */
export const MAINTENANCE_BUDGET_MS = 180_000;

/**
 * The scheduled table maintenance (an SST cron): the next tables of each warehouse's round-robin,
 * within the budget; the next tick resumes where this one stopped (core/maintenance/schedule.ts).
 * With a job queue (CATALOG_JOB_QUEUE_URL, as deployed) each table becomes a `maintain-table` job
 * for the job worker (functions/jobs/job-worker.ts); without one the tick runs them itself.
 */
export async function handler(): Promise<void> {
  const ctx = await catalogContext();
  const reports = await maintenanceTick(ctx, { budgetMs: MAINTENANCE_BUDGET_MS, ...(config.jobQueueUrl !== undefined ? { jobs: ctx.jobs } : {}) });
  for (const [warehouse, report] of Object.entries(reports)) log('info', 'maintenance', { warehouse, ...report });
}
