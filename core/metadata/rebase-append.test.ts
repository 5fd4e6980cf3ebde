import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DataFile, ManifestEntry, ManifestListEntry } from '../avro/index.js';
import {
  checkNewManifests,
  planAppendRebase,
  rebaseAppendsEnabled,
  rebasedAppendRequest,
  rebasedManifestListEntries,
  rebasedSummary,
  type AppendRebase,
} from './rebase-append.js';
import { appendUpdates, aSnapshot, aTable, aTableWithSnapshots, commitTo, NOW, TABLE_LOCATION } from './test-fixtures.js';
import type { Snapshot, TableMetadata, TableRequirement, TableUpdate } from './types.js';

const NEW_ID = 100n;
const guard = (snapshotId: bigint | null, ref = 'main'): TableRequirement => ({ type: 'assert-ref-snapshot-id', ref, snapshotId });

/** Snapshots 1..3 on main (sequence numbers 1..3), opted in. */
function contendedTable(options: { formatVersion?: 2 | 3 } = {}): TableMetadata {
  return aTableWithSnapshots(3, aTable({ properties: { 'catalog.rebase-appends': 'true' }, ...options }));
}

/** What a writer that loaded the table when main was at `parent` sends. */
function staleAppend(parent: bigint | null, overrides: Partial<Snapshot> = {}): { requirements: TableRequirement[]; updates: TableUpdate[]; snapshot: Snapshot } {
  const snapshot: Snapshot = {
    ...aSnapshot({ id: NEW_ID, ...(parent === null ? {} : { parent }), sequenceNumber: (parent ?? 0n) + 1n }),
    ...overrides,
  };
  return { requirements: [guard(parent)], updates: appendUpdates(snapshot), snapshot };
}

function planOk(base: TableMetadata, requirements: readonly TableRequirement[], updates: readonly TableUpdate[]): AppendRebase {
  const plan = planAppendRebase(base, requirements, updates);
  assert.ok(plan.ok, plan.ok ? '' : plan.reason);
  return plan.value;
}

function refusal(base: TableMetadata, requirements: readonly TableRequirement[], updates: readonly TableUpdate[]): string {
  const plan = planAppendRebase(base, requirements, updates);
  assert.equal(plan.ok, false, 'expected the rebase to be refused');
  return plan.ok ? '' : plan.reason;
}

function aListEntry(path: string, snapshotId: bigint, sequenceNumber: bigint, overrides: Partial<ManifestListEntry> = {}): ManifestListEntry {
  return {
    manifest_path: path,
    manifest_length: 100n,
    partition_spec_id: 0,
    content: 0,
    sequence_number: sequenceNumber,
    min_sequence_number: sequenceNumber,
    added_snapshot_id: snapshotId,
    added_files_count: 1,
    existing_files_count: 0,
    deleted_files_count: 0,
    added_rows_count: 10n,
    existing_rows_count: 0n,
    deleted_rows_count: 0n,
    partitions: null,
    key_metadata: null,
    first_row_id: null,
    ...overrides,
  };
}

function anEntry(overrides: Partial<ManifestEntry> = {}, file: Partial<DataFile> = {}): ManifestEntry {
  return {
    status: 1,
    snapshot_id: NEW_ID,
    sequence_number: null,
    file_sequence_number: null,
    data_file: { content: 0, file_path: 's3://bucket/data/a.parquet', first_row_id: null, ...file } as DataFile,
    ...overrides,
  };
}

describe('planAppendRebase: eligibility', () => {
  test('the property opts a table in', () => {
    assert.equal(rebaseAppendsEnabled(contendedTable()), true);
    assert.equal(rebaseAppendsEnabled(aTableWithSnapshots(1)), false);
  });

  test('accepts an append built on an ancestor of the branch head', () => {
    const { requirements, updates } = staleAppend(2n);
    const plan = planOk(contendedTable(), requirements, updates);
    assert.equal(plan.parent?.snapshotId, 2n);
    assert.equal(plan.head?.snapshotId, 3n);
    assert.equal(plan.sequenceNumber, 4n);
    assert.equal(plan.refName, 'main');
  });

  test('accepts a first append (asserting no branch) after another writer created the branch', () => {
    const { requirements, updates } = staleAppend(null);
    const plan = planOk(contendedTable(), requirements, updates);
    assert.equal(plan.parent, undefined);
    assert.equal(plan.head?.snapshotId, 3n);
  });

  test('keeps other requirements that hold', () => {
    const { requirements, updates } = staleAppend(2n);
    const base = contendedTable();
    const plan = planOk(base, [{ type: 'assert-table-uuid', uuid: base.tableUuid }, ...requirements], updates);
    assert.deepEqual(plan.otherRequirements, [{ type: 'assert-table-uuid', uuid: base.tableUuid }]);
  });

  test('accepts an append whose branch did not move but whose sequence number fell behind another branch', () => {
    const other = aSnapshot({ id: 50n, parent: 3n, sequenceNumber: 4n });
    const base = commitTo(contendedTable(), appendUpdates(other, 'other')).metadata;
    const { requirements, updates } = staleAppend(3n);
    const plan = planOk(base, requirements, updates);
    assert.equal(plan.head?.snapshotId, 3n);
    assert.equal(plan.sequenceNumber, 5n);
    const rewritten = rebasedAppendRequest(plan, 'l.avro', BigInt(NOW));
    assert.equal(commitTo(base, rewritten.updates, rewritten.requirements).metadata.refs['main']?.snapshotId, NEW_ID);
  });

  test('refuses when the branch was rolled back past the parent', () => {
    const rolledBack = commitTo(contendedTable(), [{ action: 'set-snapshot-ref', refName: 'main', type: 'branch', snapshotId: 1n }]).metadata;
    const { requirements, updates } = staleAppend(3n);
    assert.match(refusal(rolledBack, requirements, updates), /no longer descends from 3/);
  });

  test('refuses the updates in the wrong order', () => {
    const { requirements, updates } = staleAppend(2n);
    assert.match(refusal(contendedTable(), requirements, [updates[1]!, updates[0]!]), /not add-snapshot then set-snapshot-ref/);
  });

  test('refuses extra updates', () => {
    const { requirements, updates } = staleAppend(2n);
    const extra: TableUpdate = { action: 'set-properties', updates: { a: 'b' } };
    assert.match(refusal(contendedTable(), requirements, [...updates, extra]), /not exactly/);
  });

  test('refuses when another requirement fails too', () => {
    const { requirements, updates } = staleAppend(2n);
    assert.match(refusal(contendedTable(), [...requirements, { type: 'assert-current-schema-id', currentSchemaId: 7 }], updates), /another requirement fails/);
  });

  test('refuses a v1 table', () => {
    const v1 = aTableWithSnapshots(2, aTable({ formatVersion: 1, properties: { 'catalog.rebase-appends': 'true' } }));
    const { requirements, updates } = staleAppend(1n, { sequenceNumber: 0n });
    assert.match(refusal(v1, requirements, updates), /format version 1/);
  });

  test('refuses an operation other than append', () => {
    const { requirements, updates } = staleAppend(2n, { summary: { operation: 'overwrite' } });
    assert.match(refusal(contendedTable(), requirements, updates), /operation is overwrite/);
  });

  test('refuses a tag', () => {
    const { requirements, snapshot } = staleAppend(2n);
    const updates: TableUpdate[] = [{ action: 'add-snapshot', snapshot }, { action: 'set-snapshot-ref', refName: 'main', type: 'tag', snapshotId: NEW_ID }];
    assert.match(refusal(contendedTable(), requirements, updates), /not a branch/);
  });

  test('refuses a snapshot whose parent is not the asserted snapshot', () => {
    const { updates } = staleAppend(2n);
    assert.match(refusal(contendedTable(), [guard(1n)], updates), /parent is not the asserted snapshot/);
  });

  test('refuses without a guard on the branch', () => {
    const { updates } = staleAppend(2n);
    assert.match(refusal(contendedTable(), [], updates), /not exactly one assert-ref-snapshot-id/);
  });

  test('refuses a manifest list outside the table\'s location', () => {
    const { requirements, updates } = staleAppend(2n, { manifestList: 's3://other-bucket/elsewhere/snap-100.avro' });
    assert.match(refusal(contendedTable(), requirements, updates), /outside the table's location/);
    const climbing = staleAppend(2n, { manifestList: 's3://bucket/warehouse/ns/tbl/../other/snap-100.avro' });
    assert.match(refusal(contendedTable(), climbing.requirements, climbing.updates), /outside the table's location/);
  });

  test('refuses a schema that no longer exists', () => {
    const { requirements, updates } = staleAppend(2n, { schemaId: 9 });
    assert.match(refusal(contendedTable(), requirements, updates), /schema 9/);
  });
});

describe('checkNewManifests', () => {
  const plan = () => planOk(contendedTable(), staleAppend(2n).requirements, staleAppend(2n).updates);
  const manifest = (entries: ManifestEntry[], overrides: Partial<ManifestListEntry> = {}) => ({ entry: aListEntry(`${TABLE_LOCATION}/metadata/m-new.avro`, NEW_ID, 3n, overrides), entries });

  test('accepts ADDED data files with inherited sequence numbers', () => {
    assert.equal(checkNewManifests(plan(), [manifest([anEntry(), anEntry({ snapshot_id: null })])]).ok, true);
  });

  test('refuses an explicit data sequence number', () => {
    const checked = checkNewManifests(plan(), [manifest([anEntry({ sequence_number: 3n })])]);
    assert.equal(checked.ok, false);
  });

  test('refuses an explicit file sequence number', () => {
    assert.equal(checkNewManifests(plan(), [manifest([anEntry({ file_sequence_number: 3n })])]).ok, false);
  });

  test('refuses EXISTING and DELETED entries', () => {
    assert.equal(checkNewManifests(plan(), [manifest([anEntry({ status: 0 })])]).ok, false);
    assert.equal(checkNewManifests(plan(), [manifest([anEntry({ status: 2 })])]).ok, false);
  });

  test('refuses delete manifests and delete files', () => {
    assert.equal(checkNewManifests(plan(), [manifest([anEntry()], { content: 1 })]).ok, false);
    assert.equal(checkNewManifests(plan(), [manifest([anEntry({}, { content: 2 })])]).ok, false);
  });

  test('refuses a new manifest outside the table\'s location', () => {
    assert.equal(checkNewManifests(plan(), [manifest([anEntry()], { manifest_path: 's3://other-bucket/m.avro' })]).ok, false);
  });

  test('refuses a partition spec that no longer exists', () => {
    assert.equal(checkNewManifests(plan(), [manifest([anEntry()], { partition_spec_id: 5 })]).ok, false);
  });
});

describe('rebasedManifestListEntries', () => {
  const X = [aListEntry('m1.avro', 1n, 1n), aListEntry('m2.avro', 2n, 2n)];
  const Y = [aListEntry('m3.avro', 3n, 3n), ...X];
  const ours = aListEntry('m-new.avro', NEW_ID, 3n);

  test('moves the new manifests to the new sequence number and puts the head\'s manifests behind them', () => {
    const { requirements, updates } = staleAppend(2n);
    const rebased = rebasedManifestListEntries(planOk(contendedTable(), requirements, updates), [ours, ...X], X, Y);
    assert.ok(rebased.ok);
    assert.deepEqual(rebased.value.map((e) => [e.manifest_path, e.sequence_number, e.min_sequence_number, e.added_snapshot_id]), [
      ['m-new.avro', 4n, 4n, NEW_ID],
      ['m3.avro', 3n, 3n, 3n],
      ['m1.avro', 1n, 1n, 1n],
      ['m2.avro', 2n, 2n, 2n],
    ]);
  });

  test('refuses a list that is not the new manifests plus the parent\'s', () => {
    const { requirements, updates } = staleAppend(2n);
    const rebased = rebasedManifestListEntries(planOk(contendedTable(), requirements, updates), [ours, X[0]!], X, Y);
    assert.equal(rebased.ok, false);
  });
});

describe('rebasedAppendRequest', () => {
  test('the rewritten append commits on the new base: parent is the head, next sequence number, new list, guard on the head', () => {
    const base = contendedTable();
    const { requirements, updates } = staleAppend(2n);
    const rewritten = rebasedAppendRequest(planOk(base, requirements, updates), 's3://bucket/l-r1.avro', BigInt(NOW));
    assert.deepEqual(rewritten.requirements, [guard(3n)]);

    const committed = commitTo(base, rewritten.updates, rewritten.requirements).metadata;
    const added = committed.snapshots.find((s) => s.snapshotId === NEW_ID)!;
    assert.equal(committed.refs['main']?.snapshotId, NEW_ID);
    assert.equal(added.parentSnapshotId, 3n);
    assert.equal(added.sequenceNumber, 4n);
    assert.equal(added.manifestList, 's3://bucket/l-r1.avro');
  });

  test('a timestamp older than the table\'s last update becomes now', () => {
    const base = contendedTable();
    const { requirements, updates } = staleAppend(2n, { timestampMs: 5n });
    const rewritten = rebasedAppendRequest(planOk(base, requirements, updates), 'l.avro', BigInt(NOW + 99));
    const snapshot = (rewritten.updates[0] as { snapshot: Snapshot }).snapshot;
    assert.equal(snapshot.timestampMs, BigInt(NOW + 99));
  });

  test('v3: the snapshot starts at the table\'s next-row-id and the new data manifests shift with it', () => {
    const base = contendedTable({ formatVersion: 3 });
    assert.equal(base.nextRowId, 30n);
    const { requirements, updates } = staleAppend(2n, { firstRowId: 20n, addedRows: 5n });
    const plan = planOk(base, requirements, updates);
    const X = [aListEntry('m1.avro', 1n, 1n, { first_row_id: 0n }), aListEntry('m2.avro', 2n, 2n, { first_row_id: 10n })];
    const Y = [aListEntry('m3.avro', 3n, 3n, { first_row_id: 20n }), ...X];
    const entries = rebasedManifestListEntries(plan, [aListEntry('m-new.avro', NEW_ID, 3n, { first_row_id: 20n }), ...X], X, Y);
    assert.ok(entries.ok);
    assert.deepEqual(entries.value.map((e) => e.first_row_id), [30n, 20n, 0n, 10n]);

    const rewritten = rebasedAppendRequest(plan, 'l.avro', BigInt(NOW));
    const committed = commitTo(base, rewritten.updates, rewritten.requirements).metadata;
    assert.equal(committed.snapshots.find((s) => s.snapshotId === NEW_ID)?.firstRowId, 30n);
    assert.equal(committed.nextRowId, 35n);
  });
});

describe('rebasedSummary', () => {
  test('carries totals over from the head: head + (ours - parent)', () => {
    const summary = rebasedSummary(
      { operation: 'append', 'added-data-files': '1', 'total-data-files': '3', 'total-records': '30' },
      { operation: 'append', 'total-data-files': '2', 'total-records': '20' },
      { operation: 'append', 'total-data-files': '5', 'total-records': '50' },
    );
    assert.deepEqual(summary, { operation: 'append', 'added-data-files': '1', 'total-data-files': '6', 'total-records': '60' });
  });

  test('a first append counts from zero; a total missing on either side is dropped', () => {
    assert.deepEqual(rebasedSummary({ operation: 'append', 'total-records': '10' }, null, { operation: 'append', 'total-records': '50' }), { operation: 'append', 'total-records': '60' });
    assert.deepEqual(rebasedSummary({ operation: 'append', 'total-records': '10' }, { operation: 'append' }, { operation: 'append', 'total-records': '50' }), { operation: 'append' });
  });
});
