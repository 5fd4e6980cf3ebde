/**
 * Turns a draft into the metadata to write. An unchanged draft returns its base untouched (so the
 * catalog writes no file); otherwise the snapshot log is corrected, the replaced file joins the
 * metadata log, the log is trimmed, and the whole document is validated.
 */
import type { Draft } from './draft.js';
import { FIRST_PARTITION_FIELD_ID, UNSORTED_ORDER_ID } from './spec-constants.js';
import { maxLong, type Long } from './long.js';
import { appendPreviousFile, previousVersionsMax } from './metadata-log.js';
import { correctSnapshotLog } from './snapshot-log.js';
import type { MetadataLogEntry, TableMetadata, TableUpdate } from './types.js';
import { checkMetadataBindings, checkMetadataStructure } from './validate-metadata.js';

export interface BuildOptions {
  /** Where the base was read from; it becomes the newest metadata-log entry. */
  readonly previousMetadataLocation?: string;
}

export interface BuildResult {
  readonly metadata: TableMetadata;
  /** Empty when nothing changed: then `metadata` is the base itself and nothing must be written. */
  readonly changes: readonly TableUpdate[];
  /** Metadata-log entries trimmed by `write.metadata.previous-versions-max`. */
  readonly expiredMetadataLog: readonly MetadataLogEntry[];
}

export function build(draft: Draft, options: BuildOptions = {}): BuildResult {
  const base = draft.base;
  if (base !== undefined && draft.changes.length === 0) return { metadata: base, changes: [], expiredMetadataLog: [] };

  let metadata = base === undefined ? withDefaultSpecAndOrder(draft.metadata) : draft.metadata;
  const snapshotLog = correctSnapshotLog(metadata, draft.changes);

  let metadataLog = metadata.metadataLog;
  let expiredMetadataLog: MetadataLogEntry[] = [];
  if (base !== undefined && options.previousMetadataLocation !== undefined) {
    const previous = { timestampMs: base.lastUpdatedMs, metadataFile: options.previousMetadataLocation };
    const trimmed = appendPreviousFile(metadataLog, previous, previousVersionsMax(metadata.properties));
    metadataLog = trimmed.log;
    expiredMetadataLog = trimmed.expired;
  }

  metadata = { ...metadata, snapshotLog, metadataLog, lastUpdatedMs: lastUpdatedMs(draft, snapshotLog.at(-1)?.timestampMs, metadataLog.at(-1)?.timestampMs) };
  checkMetadataStructure(metadata);
  checkMetadataBindings(metadata);
  return { metadata, changes: draft.changes, expiredMetadataLog };
}

/**
 * Normally the commit time. It never moves backwards past the base or the log entries this commit
 * wrote (a snapshot stamped by a client clock slightly ahead of ours), so every written document
 * satisfies the spec's "last-updated-ms is not before the logs" rule regardless of clock skew.
 */
function lastUpdatedMs(draft: Draft, lastSnapshotLog: Long | undefined, lastMetadataLog: Long | undefined): Long {
  const candidates = [draft.base?.lastUpdatedMs, lastSnapshotLog, lastMetadataLog].filter((value): value is Long => value !== undefined);
  return maxLong(draft.now, ...candidates);
}

/**
 * A table created from updates that never added a spec or sort order is unpartitioned and unsorted,
 * which is what Java's staged create would have sent; every table needs at least one of each.
 */
function withDefaultSpecAndOrder(metadata: TableMetadata): TableMetadata {
  let result = metadata;
  if (result.partitionSpecs.length === 0 && result.defaultSpecId === -1) {
    result = { ...result, partitionSpecs: [{ specId: 0, fields: [] }], defaultSpecId: 0, lastPartitionId: Math.max(result.lastPartitionId, FIRST_PARTITION_FIELD_ID - 1) };
  }
  if (result.sortOrders.length === 0 && result.defaultSortOrderId === -1) {
    result = { ...result, sortOrders: [{ orderId: UNSORTED_ORDER_ID, fields: [] }], defaultSortOrderId: UNSORTED_ORDER_ID };
  }
  return result;
}
