/** Tiny builders for engine tests: a test names only what its rule is about. */
import assert from 'node:assert/strict';
import { BadRequestError, CommitFailedError } from '../errors.js';
import { commit, type CommitContext } from './commit.js';
import { createTable } from './create-table.js';
import { startDraft, type Draft } from './draft.js';
import type { BuildResult } from './builder.js';
import type {
  IcebergType,
  PartitionFieldInput,
  SchemaInput,
  Snapshot,
  SortField,
  StructField,
  TableMetadata,
  TableRequirement,
  TableUpdate,
} from './types.js';

export const NOW = 1_700_000_000_000;
export const TABLE_LOCATION = 's3://bucket/warehouse/ns/tbl';
export const TABLE_UUID = '9c12d441-03fe-4693-9a96-a0705ddf69c1';

/** A predictable uuid source: 00000000-0000-4000-8000-000000000001, ...02, ... */
export function uuidSequence(): () => string {
  let counter = 0;
  return () => {
    counter += 1;
    return `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  };
}

export function aContext(overrides: Partial<CommitContext> = {}): CommitContext {
  return { now: NOW, newUuid: uuidSequence(), ...overrides };
}

export function aField(id: number, name: string, type: IcebergType = 'long', required = false): StructField {
  return { id, name, type, required };
}

/** `id long required` (1) and `data string` (2) unless told otherwise. */
export function aSchema(overrides: Partial<SchemaInput> = {}): SchemaInput {
  return { fields: [aField(1, 'id', 'long', true), aField(2, 'data', 'string')], identifierFieldIds: [], ...overrides };
}

export function aPartitionField(overrides: Partial<PartitionFieldInput> = {}): PartitionFieldInput {
  return { sourceId: 1, name: 'id_bucket', transform: 'bucket[16]', ...overrides };
}

export function aSortField(overrides: Partial<SortField> = {}): SortField {
  return { sourceId: 1, transform: 'identity', direction: 'asc', nullOrder: 'nulls-first', ...overrides };
}

export interface TableOptions {
  readonly formatVersion?: 1 | 2 | 3;
  readonly schema?: SchemaInput;
  readonly partitionFields?: readonly PartitionFieldInput[];
  readonly sortFields?: readonly SortField[];
  readonly properties?: Record<string, string>;
  readonly tableUuid?: string;
}

/** A freshly created table (v2 unless told otherwise) with a fixed uuid. */
export function aTable(options: TableOptions = {}): TableMetadata {
  const properties = { ...options.properties, ...(options.formatVersion === undefined ? {} : { 'format-version': String(options.formatVersion) }) };
  return createTable(
    {
      name: 'tbl',
      location: TABLE_LOCATION,
      schema: options.schema ?? aSchema(),
      ...(options.partitionFields === undefined ? {} : { partitionSpec: { fields: options.partitionFields } }),
      ...(options.sortFields === undefined ? {} : { writeOrder: { fields: options.sortFields } }),
      properties,
    },
    { now: NOW, newUuid: () => options.tableUuid ?? TABLE_UUID },
  );
}

export interface SnapshotOptions {
  readonly id: bigint;
  readonly parent?: bigint;
  readonly sequenceNumber?: bigint;
  readonly timestampMs?: bigint;
  readonly firstRowId?: bigint;
  readonly addedRows?: bigint;
}

export function aSnapshot(options: SnapshotOptions): Snapshot {
  return {
    snapshotId: options.id,
    ...(options.parent === undefined ? {} : { parentSnapshotId: options.parent }),
    sequenceNumber: options.sequenceNumber ?? 1n,
    timestampMs: options.timestampMs ?? BigInt(NOW),
    manifestList: `${TABLE_LOCATION}/metadata/snap-${options.id}.avro`,
    summary: { operation: 'append' },
    ...(options.firstRowId === undefined ? {} : { firstRowId: options.firstRowId }),
    ...(options.addedRows === undefined ? {} : { addedRows: options.addedRows }),
  };
}

/** The two updates a client sends to append a snapshot to a branch. */
export function appendUpdates(snapshot: Snapshot, branch = 'main'): TableUpdate[] {
  return [
    { action: 'add-snapshot', snapshot },
    { action: 'set-snapshot-ref', refName: branch, type: 'branch', snapshotId: snapshot.snapshotId },
  ];
}

export function aDraft(table: TableMetadata = aTable()): Draft {
  return startDraft(table, BigInt(NOW));
}

export function commitTo(
  table: TableMetadata,
  updates: readonly TableUpdate[],
  requirements: readonly TableRequirement[] = [],
  ctx: Partial<CommitContext> = {},
): BuildResult {
  return commit(table, requirements, updates, aContext(ctx));
}

/** A table with snapshots 1..n appended on main (sequence numbers 1..n). */
export function aTableWithSnapshots(count: number, table: TableMetadata = aTable()): TableMetadata {
  let current = table;
  for (let index = 1; index <= count; index += 1) {
    const id = BigInt(index);
    const snapshot = aSnapshot({
      id,
      sequenceNumber: current.formatVersion === 1 ? 0n : id,
      timestampMs: BigInt(NOW + index),
      ...(index > 1 ? { parent: id - 1n } : {}),
      ...(current.formatVersion >= 3 ? { firstRowId: current.nextRowId, addedRows: 10n } : {}),
    });
    current = commitTo(current, appendUpdates(snapshot), [], { now: NOW + index }).metadata;
  }
  return current;
}

/** Asserts a 409 CommitFailedError with exactly this message. */
export function assertCommitFailed(action: () => unknown, message: string): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof CommitFailedError, `expected CommitFailedError, got ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  });
}

/** Asserts a 400 BadRequestError whose message matches. */
export function assertBadRequest(action: () => unknown, message: string | RegExp): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof BadRequestError, `expected BadRequestError, got ${String(error)}`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

/** A tiny seeded PRNG (mulberry32) so generated cases reproduce from their seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
