import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { runJobBatch, type JobOutcome } from '../../core/maintenance/jobs/job-batch.js';
import type { Job } from '../../core/maintenance/jobs/job-queue.js';
import type { JobResult } from '../../core/maintenance/jobs/run-job.js';
import { log } from './logger.js';

/**
 * The job worker's handler (wired in functions/jobs/job-worker.ts): triggered by the job queue (SQS event source, partial batch responses on), it runs
 * purges (the files a dropped table's metadata references, or a dropped view's current metadata
 * file: core/catalog/purge-dropped.ts) and maintenance runs (core/maintenance/schedule.ts
 * maintainQueuedTable). A malformed message is logged and acknowledged; a failed job is reported in
 * `batchItemFailures`, so SQS retries that message alone and, after its retries, parks it in the
 * dead-letter queue.
 */
export function jobBatchHandler(runJob: (job: Job) => Promise<JobResult>) {
  return (event: SQSEvent): Promise<SQSBatchResponse> => runJobBatch(event.Records, runJob, { onOutcome: logOutcome });
}

function logOutcome(outcome: JobOutcome<JobResult>): void {
  const messageId = outcome.messageId;
  if (outcome.kind === 'malformed') {
    log('error', 'malformed job dropped', { messageId, error: outcome.error.message });
  } else if (outcome.kind === 'failed') {
    const error = outcome.error instanceof Error ? { name: outcome.error.name, message: outcome.error.message } : { message: String(outcome.error) };
    log('warn', `${outcome.job.type} job failed; the message will be retried`, { messageId, job: jobFields(outcome.job), error });
  } else if (outcome.result.type === 'purge') {
    const { type: _type, ...report } = outcome.result;
    log('info', 'purged', { messageId, job: jobFields(outcome.job), ...report });
    // Files the metadata names outside the object's own locations: kept, and said so loudly.
    if (report.refused.length > 0) log('warn', 'purge refused files outside the dropped object', { messageId, job: jobFields(outcome.job), refused: report.refused });
  } else {
    const { report, cursorSaved } = outcome.result;
    log('info', 'table maintained', {
      messageId,
      job: jobFields(outcome.job),
      ran: report.ran,
      expiry: report.expiry.status,
      expired: report.expiredSnapshotIds.length,
      ...(report.files !== undefined ? { filesDeleted: report.files.deleted } : {}),
      ...(report.orphans !== undefined ? { orphansDeleted: report.orphans.deleted.length } : {}),
      cursorSaved,
    });
  }
}

/** What a log line says about a job: its identity, never a cursor. */
function jobFields(job: Job): Record<string, unknown> {
  return job.type === 'purge'
    ? { type: job.type, kind: job.kind, uuid: job.uuid, metadataLocation: job.metadataLocation }
    : { type: job.type, warehouse: job.warehouse, namespace: job.namespace, table: job.table, dryRun: job.dryRun === true };
}
