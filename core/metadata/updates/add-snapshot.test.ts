import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyDraft } from '../draft.js';
import { aDraft, aSnapshot, assertBadRequest, assertCommitFailed, aTable, aTableWithSnapshots } from '../test-fixtures.js';
import { applyAddSnapshot } from './add-snapshot.js';

test('adds the snapshot and advances last-sequence-number without moving refs', () => {
  const draft = applyAddSnapshot(aDraft(), { action: 'add-snapshot', snapshot: aSnapshot({ id: 1n, sequenceNumber: 1n }) });
  assert.deepEqual(draft.metadata.snapshots.map((snapshot) => snapshot.snapshotId), [1n]);
  assert.equal(draft.metadata.lastSequenceNumber, 1n);
  assert.equal(draft.metadata.currentSnapshotId, null);
  assert.equal(draft.changes.length, 1);
});

test('rejects a snapshot id that already exists', () => {
  assertBadRequest(
    () => applyAddSnapshot(aDraft(aTableWithSnapshots(1)), { action: 'add-snapshot', snapshot: aSnapshot({ id: 1n, sequenceNumber: 2n }) }),
    'Snapshot already exists for id: 1',
  );
});

test('a stale sequence number is a retryable commit failure', () => {
  const table = aTableWithSnapshots(2);
  assertCommitFailed(
    () => applyAddSnapshot(aDraft(table), { action: 'add-snapshot', snapshot: aSnapshot({ id: 3n, parent: 1n, sequenceNumber: 2n }) }),
    'Validation failed, please retry: Cannot add snapshot with sequence number 2 older than last sequence number 2',
  );
});

test('a snapshot without a parent may carry an old sequence number', () => {
  const table = aTableWithSnapshots(2);
  const draft = applyAddSnapshot(aDraft(table), { action: 'add-snapshot', snapshot: aSnapshot({ id: 3n, sequenceNumber: 1n }) });
  assert.equal(draft.metadata.lastSequenceNumber, 2n);
});

test('a negative sequence number is refused, with or without a parent (D5)', () => {
  const table = aTableWithSnapshots(1);
  assertBadRequest(() => applyAddSnapshot(aDraft(table), { action: 'add-snapshot', snapshot: aSnapshot({ id: 5n, sequenceNumber: -5n }) }), /negative sequence number -5/);
  assertBadRequest(() => applyAddSnapshot(aDraft(table), { action: 'add-snapshot', snapshot: aSnapshot({ id: 5n, parent: 1n, sequenceNumber: -5n }) }), /negative sequence number/);
});

test('v1 snapshots carry no sequence number checks', () => {
  const table = aTableWithSnapshots(1, aTable({ formatVersion: 1 }));
  const draft = applyAddSnapshot(aDraft(table), { action: 'add-snapshot', snapshot: aSnapshot({ id: 2n, parent: 1n, sequenceNumber: 0n }) });
  assert.equal(draft.metadata.snapshots.length, 2);
  assert.equal(draft.metadata.lastSequenceNumber, 0n);
});

test('v1 rejects a snapshot with a sequence number', () => {
  assertBadRequest(
    () => applyAddSnapshot(aDraft(aTable({ formatVersion: 1 })), { action: 'add-snapshot', snapshot: aSnapshot({ id: 1n, sequenceNumber: 4n }) }),
    /v1 has no sequence numbers/,
  );
});

test('v3 advances next-row-id by added-rows', () => {
  const draft = applyAddSnapshot(aDraft(aTable({ formatVersion: 3 })), {
    action: 'add-snapshot',
    snapshot: aSnapshot({ id: 1n, firstRowId: 0n, addedRows: 25n }),
  });
  assert.equal(draft.metadata.nextRowId, 25n);
});

test('v3 requires first-row-id', () => {
  assertBadRequest(
    () => applyAddSnapshot(aDraft(aTable({ formatVersion: 3 })), { action: 'add-snapshot', snapshot: aSnapshot({ id: 1n, addedRows: 1n }) }),
    'Cannot add a snapshot: first-row-id is null',
  );
});

test('v3 requires added-rows', () => {
  assertBadRequest(
    () => applyAddSnapshot(aDraft(aTable({ formatVersion: 3 })), { action: 'add-snapshot', snapshot: aSnapshot({ id: 1n, firstRowId: 0n }) }),
    'Cannot add a snapshot: added-rows is null',
  );
});

test('v3 first-row-id behind next-row-id is a retryable commit failure', () => {
  const table = aTableWithSnapshots(1, aTable({ formatVersion: 3 }));
  assertCommitFailed(
    () =>
      applyAddSnapshot(aDraft(table), {
        action: 'add-snapshot',
        snapshot: aSnapshot({ id: 2n, parent: 1n, sequenceNumber: 2n, firstRowId: 3n, addedRows: 1n }),
      }),
    'Validation failed, please retry: Cannot add a snapshot, first-row-id is behind table next-row-id: 3 < 10',
  );
});

test('a snapshot needs a schema first', () => {
  assertBadRequest(
    () => applyAddSnapshot(emptyDraft(2, 'u', 's3://b/t', 0n), { action: 'add-snapshot', snapshot: aSnapshot({ id: 1n }) }),
    'Attempting to add a snapshot before a schema is added',
  );
});
