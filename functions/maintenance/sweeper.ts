import { sweepCatalog } from '../../core/catalog/sweep.js';
import { catalogContext } from '../lib/catalog-context.js';
import { log } from '../lib/logger.js';

/** Leaves a minute of the function's timeout (infra/functions.ts SWEEPER_TIMEOUT_SECONDS) for the last calls. */
export const SWEEP_BUDGET_MS = 240_000;

/**
 * The scheduled sweeper (an SST cron): clears what writers that died left behind in every
 * warehouse (core/catalog/sweep.ts). A pass that runs out of time stops; the next one starts over.
 */
export async function handler(): Promise<void> {
  const reports = await sweepCatalog(await catalogContext(), SWEEP_BUDGET_MS);
  for (const [warehouse, report] of Object.entries(reports)) log('info', 'sweep', { warehouse, ...report });
}
