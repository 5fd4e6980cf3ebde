/**
 * The engine's model of Iceberg table metadata, commit updates and commit requirements.
 * Field names are camelCase; `serialize.ts` and `validate/` translate to and from the spec's
 * kebab-case JSON. Discriminators (`action`, `type`) keep the spec's strings so that an exhaustive
 * `switch` reads like the spec.
 */
import type { JsonValue } from '../json/lossless-json.js';
import type { Long } from './long.js';

export type { Long } from './long.js';

export type FormatVersion = 1 | 2 | 3;

// ---------------------------------------------------------------------------------------------
// Schemas and types

/**
 * A primitive type in its canonical spelling: `boolean`, `int`, `long`, `float`, `double`,
 * `decimal(P, S)`, `date`, `time`, `timestamp`, `timestamptz`, `timestamp_ns`, `timestamptz_ns`,
 * `string`, `uuid`, `fixed[N]`, `binary`, `variant`, `unknown`, `geometry[(crs)]`,
 * `geography[(crs[, algorithm])]`. `variant` is not primitive in the spec, but it is written as a
 * bare string like the primitives, so it travels with them.
 */
export type PrimitiveType = string;

export type IcebergType = PrimitiveType | StructType | ListType | MapType;

export interface StructType {
  readonly type: 'struct';
  readonly fields: readonly StructField[];
}

export interface StructField {
  readonly id: number;
  readonly name: string;
  readonly type: IcebergType;
  readonly required: boolean;
  readonly doc?: string;
  /** JSON single-value encoding; absent means null. */
  readonly initialDefault?: JsonValue;
  readonly writeDefault?: JsonValue;
}

export interface ListType {
  readonly type: 'list';
  readonly elementId: number;
  readonly element: IcebergType;
  readonly elementRequired: boolean;
}

export interface MapType {
  readonly type: 'map';
  readonly keyId: number;
  readonly key: IcebergType;
  readonly valueId: number;
  readonly value: IcebergType;
  readonly valueRequired: boolean;
}

export interface Schema {
  readonly schemaId: number;
  readonly fields: readonly StructField[];
  readonly identifierFieldIds: readonly number[];
}

/** A schema as a client sends it: its `schema-id` is read-only and the engine assigns its own. */
export interface SchemaInput {
  readonly schemaId?: number;
  readonly fields: readonly StructField[];
  readonly identifierFieldIds: readonly number[];
}

// ---------------------------------------------------------------------------------------------
// Partition specs and sort orders

export interface PartitionField {
  readonly sourceId: number;
  /** Present only for multi-argument (v3) transforms; then `sourceId` is its first entry. */
  readonly sourceIds?: readonly number[];
  readonly fieldId: number;
  readonly name: string;
  readonly transform: string;
}

export interface PartitionSpec {
  readonly specId: number;
  readonly fields: readonly PartitionField[];
}

/** A spec as a client sends it: `spec-id` is read-only and `field-id` may be missing. */
export interface PartitionFieldInput {
  readonly sourceId: number;
  readonly sourceIds?: readonly number[];
  readonly fieldId?: number;
  readonly name: string;
  readonly transform: string;
}

export interface PartitionSpecInput {
  readonly specId?: number;
  readonly fields: readonly PartitionFieldInput[];
}

export type SortDirection = 'asc' | 'desc';
export type NullOrder = 'nulls-first' | 'nulls-last';

export interface SortField {
  readonly sourceId: number;
  readonly sourceIds?: readonly number[];
  readonly transform: string;
  readonly direction: SortDirection;
  readonly nullOrder: NullOrder;
}

export interface SortOrder {
  readonly orderId: number;
  readonly fields: readonly SortField[];
}

export interface SortOrderInput {
  readonly orderId?: number;
  readonly fields: readonly SortField[];
}

// ---------------------------------------------------------------------------------------------
// Snapshots, refs, logs, statistics, keys

export interface SnapshotSummary {
  readonly operation: string;
  readonly [key: string]: string;
}

export interface Snapshot {
  readonly snapshotId: Long;
  readonly parentSnapshotId?: Long;
  /** Absent in v1 files; reads as 0. */
  readonly sequenceNumber?: Long;
  readonly timestampMs: Long;
  readonly manifestList?: string;
  /** v1 only: an inline manifest list, never written together with `manifestList`. */
  readonly manifests?: readonly string[];
  /** Optional in v1 files only. */
  readonly summary?: SnapshotSummary;
  readonly schemaId?: number;
  readonly firstRowId?: Long;
  readonly addedRows?: Long;
  readonly keyId?: string;
}

export type SnapshotRefType = 'branch' | 'tag';

export interface SnapshotRef {
  readonly snapshotId: Long;
  readonly type: SnapshotRefType;
  readonly minSnapshotsToKeep?: number;
  readonly maxSnapshotAgeMs?: Long;
  readonly maxRefAgeMs?: Long;
}

export interface SnapshotLogEntry {
  readonly timestampMs: Long;
  readonly snapshotId: Long;
}

export interface MetadataLogEntry {
  readonly timestampMs: Long;
  readonly metadataFile: string;
}

export interface BlobMetadata {
  readonly type: string;
  readonly snapshotId: Long;
  readonly sequenceNumber: Long;
  readonly fields: readonly number[];
  readonly properties?: Readonly<Record<string, string>>;
}

export interface StatisticsFile {
  readonly snapshotId: Long;
  readonly statisticsPath: string;
  readonly fileSizeInBytes: Long;
  readonly fileFooterSizeInBytes: Long;
  readonly keyMetadata?: string;
  readonly blobMetadata: readonly BlobMetadata[];
}

export interface PartitionStatisticsFile {
  readonly snapshotId: Long;
  readonly statisticsPath: string;
  readonly fileSizeInBytes: Long;
}

export interface EncryptedKey {
  readonly keyId: string;
  /** Base64, kept as sent. */
  readonly encryptedKeyMetadata: string;
  readonly encryptedById?: string;
  readonly properties?: Readonly<Record<string, string>>;
}

// ---------------------------------------------------------------------------------------------
// Table metadata

/**
 * One shape for every format version. Version-specific fields are always present in memory and
 * the serialiser decides what each version writes: `lastSequenceNumber` stays 0 in v1, `nextRowId`
 * stays 0 below v3 (so an upgrade to v3 starts row lineage at 0), and a missing current snapshot is
 * `null` here and `-1` in v1/v2 files.
 */
export interface TableMetadata {
  readonly formatVersion: FormatVersion;
  readonly tableUuid: string;
  readonly location: string;
  readonly lastSequenceNumber: Long;
  readonly lastUpdatedMs: Long;
  readonly lastColumnId: number;
  readonly schemas: readonly Schema[];
  readonly currentSchemaId: number;
  readonly partitionSpecs: readonly PartitionSpec[];
  readonly defaultSpecId: number;
  readonly lastPartitionId: number;
  readonly sortOrders: readonly SortOrder[];
  readonly defaultSortOrderId: number;
  readonly properties: Readonly<Record<string, string>>;
  readonly currentSnapshotId: Long | null;
  readonly snapshots: readonly Snapshot[];
  readonly refs: Readonly<Record<string, SnapshotRef>>;
  readonly snapshotLog: readonly SnapshotLogEntry[];
  readonly metadataLog: readonly MetadataLogEntry[];
  readonly statistics: readonly StatisticsFile[];
  readonly partitionStatistics: readonly PartitionStatisticsFile[];
  readonly nextRowId: Long;
  readonly encryptionKeys: readonly EncryptedKey[];
}

// ---------------------------------------------------------------------------------------------
// Commit updates (the 23 table actions)

export interface AssignUuidUpdate {
  readonly action: 'assign-uuid';
  readonly uuid: string;
}
export interface UpgradeFormatVersionUpdate {
  readonly action: 'upgrade-format-version';
  readonly formatVersion: number;
}
export interface AddSchemaUpdate {
  readonly action: 'add-schema';
  readonly schema: SchemaInput;
  /** Deprecated by the spec; accepted and ignored, the engine computes it. */
  readonly lastColumnId?: number;
}
export interface SetCurrentSchemaUpdate {
  readonly action: 'set-current-schema';
  /** -1 means the schema added last in this commit. */
  readonly schemaId: number;
}
export interface AddSpecUpdate {
  readonly action: 'add-spec';
  readonly spec: PartitionSpecInput;
}
export interface SetDefaultSpecUpdate {
  readonly action: 'set-default-spec';
  readonly specId: number;
}
export interface AddSortOrderUpdate {
  readonly action: 'add-sort-order';
  readonly sortOrder: SortOrderInput;
}
export interface SetDefaultSortOrderUpdate {
  readonly action: 'set-default-sort-order';
  readonly sortOrderId: number;
}
export interface AddSnapshotUpdate {
  readonly action: 'add-snapshot';
  readonly snapshot: Snapshot;
}
export interface SetSnapshotRefUpdate {
  readonly action: 'set-snapshot-ref';
  readonly refName: string;
  readonly type: SnapshotRefType;
  readonly snapshotId: Long;
  readonly minSnapshotsToKeep?: number;
  readonly maxSnapshotAgeMs?: Long;
  readonly maxRefAgeMs?: Long;
}
export interface RemoveSnapshotsUpdate {
  readonly action: 'remove-snapshots';
  readonly snapshotIds: readonly Long[];
}
export interface RemoveSnapshotRefUpdate {
  readonly action: 'remove-snapshot-ref';
  readonly refName: string;
}
export interface SetLocationUpdate {
  readonly action: 'set-location';
  readonly location: string;
}
export interface SetPropertiesUpdate {
  readonly action: 'set-properties';
  readonly updates: Readonly<Record<string, string>>;
}
export interface RemovePropertiesUpdate {
  readonly action: 'remove-properties';
  readonly removals: readonly string[];
}
export interface SetStatisticsUpdate {
  readonly action: 'set-statistics';
  readonly statistics: StatisticsFile;
}
export interface RemoveStatisticsUpdate {
  readonly action: 'remove-statistics';
  readonly snapshotId: Long;
}
export interface SetPartitionStatisticsUpdate {
  readonly action: 'set-partition-statistics';
  readonly partitionStatistics: PartitionStatisticsFile;
}
export interface RemovePartitionStatisticsUpdate {
  readonly action: 'remove-partition-statistics';
  readonly snapshotId: Long;
}
export interface RemovePartitionSpecsUpdate {
  readonly action: 'remove-partition-specs';
  readonly specIds: readonly number[];
}
export interface RemoveSchemasUpdate {
  readonly action: 'remove-schemas';
  readonly schemaIds: readonly number[];
}
export interface AddEncryptionKeyUpdate {
  readonly action: 'add-encryption-key';
  readonly encryptionKey: EncryptedKey;
}
export interface RemoveEncryptionKeyUpdate {
  readonly action: 'remove-encryption-key';
  readonly keyId: string;
}

export type TableUpdate =
  | AssignUuidUpdate
  | UpgradeFormatVersionUpdate
  | AddSchemaUpdate
  | SetCurrentSchemaUpdate
  | AddSpecUpdate
  | SetDefaultSpecUpdate
  | AddSortOrderUpdate
  | SetDefaultSortOrderUpdate
  | AddSnapshotUpdate
  | SetSnapshotRefUpdate
  | RemoveSnapshotsUpdate
  | RemoveSnapshotRefUpdate
  | SetLocationUpdate
  | SetPropertiesUpdate
  | RemovePropertiesUpdate
  | SetStatisticsUpdate
  | RemoveStatisticsUpdate
  | SetPartitionStatisticsUpdate
  | RemovePartitionStatisticsUpdate
  | RemovePartitionSpecsUpdate
  | RemoveSchemasUpdate
  | AddEncryptionKeyUpdate
  | RemoveEncryptionKeyUpdate;

export type TableUpdateAction = TableUpdate['action'];

// ---------------------------------------------------------------------------------------------
// Commit requirements (the 8 table requirement types)

export interface AssertCreate {
  readonly type: 'assert-create';
}
export interface AssertTableUuid {
  readonly type: 'assert-table-uuid';
  readonly uuid: string;
}
export interface AssertRefSnapshotId {
  readonly type: 'assert-ref-snapshot-id';
  readonly ref: string;
  /** null: the ref must not exist. */
  readonly snapshotId: Long | null;
}
export interface AssertLastAssignedFieldId {
  readonly type: 'assert-last-assigned-field-id';
  readonly lastAssignedFieldId: number;
}
export interface AssertCurrentSchemaId {
  readonly type: 'assert-current-schema-id';
  readonly currentSchemaId: number;
}
export interface AssertLastAssignedPartitionId {
  readonly type: 'assert-last-assigned-partition-id';
  readonly lastAssignedPartitionId: number;
}
export interface AssertDefaultSpecId {
  readonly type: 'assert-default-spec-id';
  readonly defaultSpecId: number;
}
export interface AssertDefaultSortOrderId {
  readonly type: 'assert-default-sort-order-id';
  readonly defaultSortOrderId: number;
}

export type TableRequirement =
  | AssertCreate
  | AssertTableUuid
  | AssertRefSnapshotId
  | AssertLastAssignedFieldId
  | AssertCurrentSchemaId
  | AssertLastAssignedPartitionId
  | AssertDefaultSpecId
  | AssertDefaultSortOrderId
  | AssertSnapshotsUnreferenced;

/**
 * Catalog-internal, never accepted from a client: no ref (branch or tag) names any of these
 * snapshots. Snapshot expiry's guard: it holds on every newer base where appends only moved the
 * branches on, so an expiry lands beside a stream of appends, and it fails when a ref was created or
 * rolled back onto a snapshot the expiry removes (removing it would drop that ref).
 */
export interface AssertSnapshotsUnreferenced {
  readonly type: 'assert-snapshots-unreferenced';
  readonly snapshotIds: readonly Long[];
  /** Refs the same commit removes (and asserts where they are): they may still name one. */
  readonly exceptRefs: readonly string[];
}

/** The requirement types a client may send (the spec's). */
export type TableRequirementType = Exclude<TableRequirement['type'], AssertSnapshotsUnreferenced['type']>;

// ---------------------------------------------------------------------------------------------
// Create

/** The parts of a CreateTableRequest the engine uses; the catalog resolves `location` first. */
export interface CreateTableRequest {
  readonly name: string;
  readonly location?: string;
  readonly schema: SchemaInput;
  readonly partitionSpec?: PartitionSpecInput;
  readonly writeOrder?: SortOrderInput;
  readonly stageCreate?: boolean;
  readonly properties?: Readonly<Record<string, string>>;
}
