/**
 * Work handed to the purge worker: after a table drop with `purgeRequested=true`, delete the files
 * the dropped table's metadata references, and nothing else; after a view drop, its current
 * metadata file when the view's `gc.enabled` allows it. SQS in production, in-process locally.
 */
export interface PurgeJob {
  readonly kind: 'table' | 'view';
  /** The table or view uuid: reported only (the metadata file says what it is). */
  readonly uuid: string;
  readonly metadataLocation: string;
  readonly requestedAtMs: number;
}

export interface PurgeQueue {
  enqueue(job: PurgeJob): Promise<void>;
}
