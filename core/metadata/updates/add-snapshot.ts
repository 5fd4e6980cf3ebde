import { BadRequestError, CommitFailedError } from '../../errors.js';
import { recordChange, type Draft } from '../draft.js';
import { maxLong } from '../long.js';
import type { AddSnapshotUpdate } from '../types.js';

const ROW_LINEAGE_FORMAT_VERSION = 3;

/**
 * Adds a snapshot without moving any ref (set-snapshot-ref does that). A sequence number or
 * first-row-id that is behind the table means another writer committed first: that is a 409 the
 * client can retry, not a malformed request, hence CommitFailedError with Java's "Validation failed,
 * please retry" prefix.
 */
export function applyAddSnapshot(draft: Draft, update: AddSnapshotUpdate): Draft {
  const metadata = draft.metadata;
  const snapshot = update.snapshot;
  if (metadata.schemas.length === 0) throw new BadRequestError('Attempting to add a snapshot before a schema is added');
  if (metadata.partitionSpecs.length === 0) throw new BadRequestError('Attempting to add a snapshot before a partition spec is added');
  if (metadata.sortOrders.length === 0) throw new BadRequestError('Attempting to add a snapshot before a sort order is added');
  if (metadata.snapshots.some((existing) => existing.snapshotId === snapshot.snapshotId)) {
    throw new BadRequestError(`Snapshot already exists for id: ${snapshot.snapshotId}`);
  }

  const sequenceNumber = snapshot.sequenceNumber ?? 0n;
  // Sequence numbers start at 0 and only grow (D5); a negative one would sort before every data file.
  if (sequenceNumber < 0n) throw new BadRequestError(`Cannot add a snapshot with negative sequence number ${sequenceNumber}`);
  if (metadata.formatVersion === 1 && sequenceNumber !== 0n) {
    throw new BadRequestError(`Cannot add a snapshot with sequence number ${sequenceNumber} to a v1 table: v1 has no sequence numbers`);
  }
  if (metadata.formatVersion > 1 && snapshot.parentSnapshotId !== undefined && sequenceNumber <= metadata.lastSequenceNumber) {
    throw new CommitFailedError(
      `Validation failed, please retry: Cannot add snapshot with sequence number ${sequenceNumber} older than last sequence number ${metadata.lastSequenceNumber}`,
    );
  }

  let nextRowId = metadata.nextRowId;
  if (metadata.formatVersion >= ROW_LINEAGE_FORMAT_VERSION) {
    if (snapshot.firstRowId === undefined) throw new BadRequestError('Cannot add a snapshot: first-row-id is null');
    if (snapshot.addedRows === undefined) throw new BadRequestError('Cannot add a snapshot: added-rows is null');
    if (snapshot.firstRowId < metadata.nextRowId) {
      throw new CommitFailedError(
        `Validation failed, please retry: Cannot add a snapshot, first-row-id is behind table next-row-id: ${snapshot.firstRowId} < ${metadata.nextRowId}`,
      );
    }
    nextRowId += snapshot.addedRows;
  }

  return recordChange(
    draft,
    {
      snapshots: [...metadata.snapshots, snapshot],
      // A parentless snapshot may carry an older number; the table's counter still never goes back.
      lastSequenceNumber: maxLong(metadata.lastSequenceNumber, sequenceNumber),
      nextRowId,
    },
    update,
  );
}
