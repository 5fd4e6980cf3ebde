import { MAX_NAME_LENGTH, MAX_NAMESPACE_DEPTH } from '../../catalog/namespace.js';
import type { Job, MaintainTableJob, PurgeJob } from './job-queue.js';

/**
 * A job as it travels through a message queue (SQS): one JSON object per message. Decoding
 * validates every field and bounds every size, so the worker can tell a message no retry will ever
 * fix (malformed: log and drop it) from a job that failed (retry it).
 */
export function encodeJob(job: Job): string {
  switch (job.type) {
    case 'purge':
      return JSON.stringify({ type: job.type, kind: job.kind, uuid: job.uuid, metadataLocation: job.metadataLocation, requestedAtMs: job.requestedAtMs });
    case 'maintain-table':
      return JSON.stringify({
        type: job.type,
        warehouse: job.warehouse,
        namespace: job.namespace,
        table: job.table,
        requestedAtMs: job.requestedAtMs,
        ...(job.dryRun === true ? { dryRun: true } : {}),
        ...(job.orphanCursor !== undefined ? { orphanCursor: job.orphanCursor } : {}),
      });
    default: {
      const never: never = job;
      throw new Error(`unknown job ${String(never)}`);
    }
  }
}

export class MalformedJobError extends Error {
  override readonly name = 'MalformedJobError';
}

/** Far above any job we send (a few hundred bytes; a deep namespace and a cursor, a few KiB); read before parsing. */
export const MAX_JOB_MESSAGE_LENGTH = 32 * 1024;
/** Longer than any metadata location a catalog writes; bounds what a bad message can make us read. */
const MAX_LOCATION_LENGTH = 4096;
/** Only reported (the metadata file says which table it is), so any short identifier will do. */
const MAX_UUID_LENGTH = 256;
/** An orphan listing's cursor is a catalog or S3 key (at most 1,024 bytes), with room to spare. */
const MAX_CURSOR_LENGTH = 4096;
const LOCATION = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;

type Fields = Readonly<Record<string, unknown>>;

export function decodeJob(body: string): Job {
  if (body.length > MAX_JOB_MESSAGE_LENGTH) throw new MalformedJobError(`job message is longer than ${MAX_JOB_MESSAGE_LENGTH} characters`);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new MalformedJobError('job message is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedJobError('job message is not a JSON object');
  const fields = value as Fields;
  const type = fields['type'];
  // Purge messages queued before jobs had a type carry only the purge fields.
  if (type === 'purge' || (type === undefined && 'kind' in fields)) return { type: 'purge', ...decodePurge(fields) };
  if (type === 'maintain-table') return { type: 'maintain-table', ...decodeMaintainTable(fields) };
  throw new MalformedJobError(`job: unknown type ${typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type}`);
}

function decodePurge(fields: Fields): PurgeJob {
  const { kind, uuid, metadataLocation, requestedAtMs } = fields;
  if (kind !== 'table' && kind !== 'view') throw new MalformedJobError('purge job: kind must be "table" or "view"');
  if (typeof uuid !== 'string' || uuid === '' || uuid.length > MAX_UUID_LENGTH) throw new MalformedJobError(`purge job: uuid must be a non-empty string of at most ${MAX_UUID_LENGTH} characters`);
  if (typeof metadataLocation !== 'string' || metadataLocation.length > MAX_LOCATION_LENGTH || !LOCATION.test(metadataLocation)) {
    throw new MalformedJobError('purge job: metadataLocation must be a file URI such as s3://bucket/path');
  }
  return { kind, uuid, metadataLocation, requestedAtMs: timestamp('purge', requestedAtMs) };
}

function decodeMaintainTable(fields: Fields): MaintainTableJob {
  const { warehouse, namespace, table, requestedAtMs, dryRun, orphanCursor } = fields;
  if (!isName(warehouse)) throw new MalformedJobError(`maintain-table job: warehouse must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
  if (!Array.isArray(namespace) || namespace.length === 0 || namespace.length > MAX_NAMESPACE_DEPTH || !namespace.every(isName)) {
    throw new MalformedJobError(`maintain-table job: namespace must be 1 to ${MAX_NAMESPACE_DEPTH} non-empty strings of at most ${MAX_NAME_LENGTH} characters`);
  }
  if (!isName(table)) throw new MalformedJobError(`maintain-table job: table must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
  if (dryRun !== undefined && typeof dryRun !== 'boolean') throw new MalformedJobError('maintain-table job: dryRun must be a boolean');
  if (orphanCursor !== undefined && (typeof orphanCursor !== 'string' || orphanCursor === '' || orphanCursor.length > MAX_CURSOR_LENGTH)) {
    throw new MalformedJobError(`maintain-table job: orphanCursor must be a non-empty string of at most ${MAX_CURSOR_LENGTH} characters`);
  }
  return {
    warehouse,
    namespace: [...(namespace as string[])],
    table,
    requestedAtMs: timestamp('maintain-table', requestedAtMs),
    ...(dryRun === true ? { dryRun } : {}),
    ...(orphanCursor !== undefined ? { orphanCursor } : {}),
  };
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && value.length <= MAX_NAME_LENGTH;
}

function timestamp(type: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new MalformedJobError(`${type} job: requestedAtMs must be a non-negative integer`);
  return value;
}
