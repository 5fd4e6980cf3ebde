/**
 * The working state of one commit. Every update function takes a draft and returns a new one, so a
 * failed update leaves nothing half-applied and the same updates can be re-run on a newer base
 * after a lost race.
 */
import { appendChange, ChangeLogged, changeLogOf, someChange, type ChangeLog } from './change-log.js';
import type { Long } from './long.js';
import { UNASSIGNED_PARTITION_ID } from './spec-constants.js';
import type { FormatVersion, TableMetadata, TableUpdate } from './types.js';

export interface Draft {
  /** The metadata the commit started from; undefined while creating a table. */
  readonly base: TableMetadata | undefined;
  readonly metadata: TableMetadata;
  /** The updates that took effect, with `-1` ids and reused ids already resolved. */
  readonly changes: readonly TableUpdate[];
  /** Targets of `-1` in set-current-schema / set-default-spec / set-default-sort-order. */
  readonly lastAddedSchemaId: number | undefined;
  readonly lastAddedSpecId: number | undefined;
  readonly lastAddedOrderId: number | undefined;
  /** The commit time, from the caller: the engine never reads a clock. */
  readonly now: Long;
}

export type LastAdded = Partial<Pick<Draft, 'lastAddedSchemaId' | 'lastAddedSpecId' | 'lastAddedOrderId'>>;

type DraftFields = Omit<Draft, 'changes'>;

class TableDraft extends ChangeLogged<TableUpdate> implements Draft {
  readonly base: TableMetadata | undefined;
  readonly metadata: TableMetadata;
  readonly lastAddedSchemaId: number | undefined;
  readonly lastAddedSpecId: number | undefined;
  readonly lastAddedOrderId: number | undefined;
  readonly now: Long;

  constructor(fields: DraftFields, log: ChangeLog<TableUpdate> | undefined) {
    super(log);
    this.base = fields.base;
    this.metadata = fields.metadata;
    this.lastAddedSchemaId = fields.lastAddedSchemaId;
    this.lastAddedSpecId = fields.lastAddedSpecId;
    this.lastAddedOrderId = fields.lastAddedOrderId;
    this.now = fields.now;
  }
}

function makeDraft(fields: DraftFields, log: ChangeLog<TableUpdate> | undefined): Draft {
  return new TableDraft(fields, log);
}

function fieldsOf(draft: Draft): DraftFields {
  const { base, metadata, lastAddedSchemaId, lastAddedSpecId, lastAddedOrderId, now } = draft;
  return { base, metadata, lastAddedSchemaId, lastAddedSpecId, lastAddedOrderId, now };
}

export function startDraft(base: TableMetadata, now: Long): Draft {
  return makeDraft({ base, metadata: base, lastAddedSchemaId: undefined, lastAddedSpecId: undefined, lastAddedOrderId: undefined, now }, undefined);
}

/** A table with no schema, spec, order, snapshot or history yet; createTable fills in the first ones. */
export function emptyTableMetadata(formatVersion: FormatVersion, tableUuid: string, location: string, now: Long): TableMetadata {
  return {
    formatVersion,
    tableUuid,
    location,
    lastSequenceNumber: 0n,
    lastUpdatedMs: now,
    lastColumnId: 0,
    schemas: [],
    currentSchemaId: -1,
    partitionSpecs: [],
    defaultSpecId: -1,
    lastPartitionId: UNASSIGNED_PARTITION_ID,
    sortOrders: [],
    defaultSortOrderId: -1,
    properties: {},
    currentSnapshotId: null,
    snapshots: [],
    refs: {},
    snapshotLog: [],
    metadataLog: [],
    statistics: [],
    partitionStatistics: [],
    nextRowId: 0n,
    encryptionKeys: [],
  };
}

/** The empty table a staged create builds on, as Java's `TableMetadata.buildFromEmpty`. */
export function emptyDraft(formatVersion: FormatVersion, tableUuid: string, location: string, now: Long): Draft {
  const metadata = emptyTableMetadata(formatVersion, tableUuid, location, now);
  return makeDraft({ base: undefined, metadata, lastAddedSchemaId: undefined, lastAddedSpecId: undefined, lastAddedOrderId: undefined, now }, undefined);
}

/** Applies a metadata patch and records the change that caused it. */
export function recordChange(draft: Draft, patch: Partial<TableMetadata>, change: TableUpdate, lastAdded: LastAdded = {}): Draft {
  return recordChanges(draft, patch, [change], lastAdded);
}

/** Applies a metadata patch and records the changes that caused it (O(patch + changes), not O(commit)). */
export function recordChanges(draft: Draft, patch: Partial<TableMetadata>, changes: readonly TableUpdate[], lastAdded: LastAdded = {}): Draft {
  let log = changeLogOf<TableUpdate>(draft);
  for (const change of changes) log = appendChange(log, change);
  return makeDraft({ ...fieldsOf(draft), ...lastAdded, metadata: { ...draft.metadata, ...patch } }, log);
}

/** The same draft with other "last added" ids; no change recorded. */
export function withLastAdded(draft: Draft, lastAdded: LastAdded): Draft {
  return makeDraft({ ...fieldsOf(draft), ...lastAdded }, changeLogOf<TableUpdate>(draft));
}

/** Whether this commit created the schema, spec or sort order with this id (so `-1` may target it). */
export function wasAddedInThisCommit(draft: Draft, action: 'add-schema' | 'add-spec' | 'add-sort-order', id: number): boolean {
  return someChange(changeLogOf<TableUpdate>(draft), (change) => addedId(change) === id && change.action === action);
}

function addedId(change: TableUpdate): number | undefined {
  switch (change.action) {
    case 'add-schema':
      return change.schema.schemaId;
    case 'add-spec':
      return change.spec.specId;
    case 'add-sort-order':
      return change.sortOrder.orderId;
    default:
      return undefined;
  }
}

export function snapshotAddedInThisCommit(draft: Draft, snapshotId: Long): boolean {
  return someChange(changeLogOf<TableUpdate>(draft), (change) => change.action === 'add-snapshot' && change.snapshot.snapshotId === snapshotId);
}

/** The next free id after every existing one (and never below `floor`). */
export function nextId(existingIds: Iterable<number>, floor: number): number {
  let next = floor;
  for (const id of existingIds) {
    if (id + 1 > next) next = id + 1;
  }
  return next;
}
