import { decodePurgeJob, MalformedPurgeJobError } from './job-message.js';
import type { PurgeJob } from './job-queue.js';
import type { PurgeReport } from '../../catalog/tables/purge-table.js';

/** One queued message: its id (to report it failed) and its body. */
export interface PurgeMessage {
  readonly id: string;
  readonly body: string;
}

export type PurgeOutcome =
  | { readonly kind: 'purged'; readonly id: string; readonly job: PurgeJob; readonly report: PurgeReport }
  /** No retry can fix it: it is dropped (acknowledged) and only logged. */
  | { readonly kind: 'malformed'; readonly id: string; readonly error: MalformedPurgeJobError }
  /** The purge itself failed (storage unreachable, throttled, ...): the message is handed back for a retry. */
  | { readonly kind: 'failed'; readonly id: string; readonly job: PurgeJob; readonly error: unknown };

/**
 * Runs the purge jobs of a batch of queue messages, one after another (each job already deletes in
 * parallel), and returns one outcome per message. Only `failed` messages should be retried: a purge
 * may always run again, and a malformed message never gets better.
 */
export async function runPurgeBatch(messages: readonly PurgeMessage[], purge: (job: PurgeJob) => Promise<PurgeReport>): Promise<PurgeOutcome[]> {
  const outcomes: PurgeOutcome[] = [];
  for (const message of messages) {
    let job: PurgeJob;
    try {
      job = decodePurgeJob(message.body);
    } catch (error) {
      if (!(error instanceof MalformedPurgeJobError)) throw error;
      outcomes.push({ kind: 'malformed', id: message.id, error });
      continue;
    }
    try {
      outcomes.push({ kind: 'purged', id: message.id, job, report: await purge(job) });
    } catch (error) {
      outcomes.push({ kind: 'failed', id: message.id, job, error });
    }
  }
  return outcomes;
}
