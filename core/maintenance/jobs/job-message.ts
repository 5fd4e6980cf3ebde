import type { PurgeJob } from './job-queue.js';

/**
 * A purge job as it travels through a message queue (SQS): one JSON object per message. Decoding
 * validates every field, so the worker can tell a message no retry will ever fix (malformed: log
 * and drop it) from a purge that failed (retry it).
 */
export function encodePurgeJob(job: PurgeJob): string {
  return JSON.stringify({ kind: job.kind, uuid: job.uuid, metadataLocation: job.metadataLocation, requestedAtMs: job.requestedAtMs });
}

export class MalformedPurgeJobError extends Error {
  override readonly name = 'MalformedPurgeJobError';
}

/** Longer than any metadata location a catalog writes; bounds what a bad message can make us read. */
const MAX_LOCATION_LENGTH = 4096;
/** Only reported (the metadata file says which table it is), so any short identifier will do. */
const MAX_UUID_LENGTH = 256;
const LOCATION = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;

export function decodePurgeJob(body: string): PurgeJob {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new MalformedPurgeJobError('purge job message is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedPurgeJobError('purge job message is not a JSON object');
  const { kind, uuid, metadataLocation, requestedAtMs } = value as Record<string, unknown>;
  if (kind !== 'table' && kind !== 'view') throw new MalformedPurgeJobError('purge job: kind must be "table" or "view"');
  if (typeof uuid !== 'string' || uuid === '' || uuid.length > MAX_UUID_LENGTH) throw new MalformedPurgeJobError('purge job: uuid must be a non-empty string');
  if (typeof metadataLocation !== 'string' || metadataLocation.length > MAX_LOCATION_LENGTH || !LOCATION.test(metadataLocation)) {
    throw new MalformedPurgeJobError('purge job: metadataLocation must be a file URI such as s3://bucket/path');
  }
  if (typeof requestedAtMs !== 'number' || !Number.isSafeInteger(requestedAtMs) || requestedAtMs < 0) {
    throw new MalformedPurgeJobError('purge job: requestedAtMs must be a non-negative integer');
  }
  return { kind, uuid, metadataLocation, requestedAtMs };
}
