import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { runPurgeBatch } from '../../core/maintenance/jobs/job-batch.js';
import type { PurgeJob } from '../../core/maintenance/jobs/job-queue.js';
import { purgeDropped } from '../../core/catalog/purge-dropped.js';
import type { PurgeReport } from '../../core/catalog/tables/purge-table.js';
import { createFileIO } from '../../core/catalog-runtime.js';
import { confinementOf } from '../../core/catalog/locations/confinement.js';
import { loadFileAccessConfig } from '../../core/config.js';
import { log, setLogLevel } from '../lib/logger.js';

/**
 * The purge worker: triggered by the purge queue (SQS event source, partial batch responses on),
 * it deletes the files each dropped table's metadata references, or a dropped view's current
 * metadata file (core/catalog/purge-dropped.ts). It touches warehouse files only, never a catalog record. A malformed message is logged and
 * acknowledged; a failed purge is reported in `batchItemFailures`, so SQS retries that message
 * alone and, after its retries, parks it in the dead-letter queue.
 */
export function purgeWorker(purge: (job: PurgeJob) => Promise<PurgeReport>) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const outcomes = await runPurgeBatch(
      event.Records.map((record) => ({ id: record.messageId, body: record.body })),
      purge,
    );
    for (const outcome of outcomes) {
      if (outcome.kind === 'purged') {
        log('info', `${outcome.job.kind} purged`, { messageId: outcome.id, uuid: outcome.job.uuid, metadataLocation: outcome.job.metadataLocation, ...outcome.report });
        // Files the metadata names outside the object's own locations: kept, and said so loudly.
        if (outcome.report.refused.length > 0) log('warn', 'purge refused files outside the dropped object', { messageId: outcome.id, uuid: outcome.job.uuid, refused: outcome.report.refused });
      } else if (outcome.kind === 'malformed') {
        log('error', 'malformed purge job dropped', { messageId: outcome.id, error: outcome.error.message });
      } else {
        const error = outcome.error instanceof Error ? { name: outcome.error.name, message: outcome.error.message } : { message: String(outcome.error) };
        log('warn', 'purge failed; the message will be retried', { messageId: outcome.id, kind: outcome.job.kind, uuid: outcome.job.uuid, metadataLocation: outcome.job.metadataLocation, error });
      }
    }
    return { batchItemFailures: outcomes.filter((o) => o.kind === 'failed').map((o) => ({ itemIdentifier: o.id })) };
  };
}

// Configuration is read at cold start: a bad setting fails the init, not some later message. Only
// the S3 connection: the worker reads and deletes table files and never a catalog record.
const config = loadFileAccessConfig(process.env);
setLogLevel(config.logLevel);
const files = createFileIO(config);

export const handler = purgeWorker((job) => purgeDropped(files, confinementOf(config), job));
