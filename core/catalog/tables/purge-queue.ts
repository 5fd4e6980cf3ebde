/**
 * Work handed to the purge worker after a drop with `purgeRequested=true`: delete the files the
 * dropped table's metadata references, and nothing else. SQS in production, in-process locally.
 */
export interface PurgeJob {
  readonly tableUuid: string;
  readonly metadataLocation: string;
  readonly requestedAtMs: number;
}

export interface PurgeQueue {
  enqueue(job: PurgeJob): Promise<void>;
}
