import { test } from 'node:test';
import { assertCommitFailed, aTable, aTableWithSnapshots, commitTo } from '../test-fixtures.js';
import { checkAssertRefSnapshotId } from './assert-ref-snapshot-id.js';

test('passes when the ref points to the expected snapshot', () => {
  checkAssertRefSnapshotId(aTableWithSnapshots(1), { type: 'assert-ref-snapshot-id', ref: 'main', snapshotId: 1n });
});

test('passes with a null id when the ref does not exist yet', () => {
  checkAssertRefSnapshotId(aTable(), { type: 'assert-ref-snapshot-id', ref: 'main', snapshotId: null });
});

test('fails when the branch moved', () => {
  assertCommitFailed(
    () => checkAssertRefSnapshotId(aTableWithSnapshots(2), { type: 'assert-ref-snapshot-id', ref: 'main', snapshotId: 1n }),
    'Requirement failed: branch main has changed: expected id 1 != 2',
  );
});

test('fails when a ref expected to be absent was created concurrently', () => {
  assertCommitFailed(
    () => checkAssertRefSnapshotId(aTableWithSnapshots(1), { type: 'assert-ref-snapshot-id', ref: 'main', snapshotId: null }),
    'Requirement failed: branch main was created concurrently',
  );
});

test('names a tag as a tag', () => {
  const table = commitTo(aTableWithSnapshots(2), [{ action: 'set-snapshot-ref', refName: 'v1', type: 'tag', snapshotId: 1n }]).metadata;
  assertCommitFailed(
    () => checkAssertRefSnapshotId(table, { type: 'assert-ref-snapshot-id', ref: 'v1', snapshotId: 2n }),
    'Requirement failed: tag v1 has changed: expected id 2 != 1',
  );
});

test('fails when the expected ref is missing', () => {
  assertCommitFailed(
    () => checkAssertRefSnapshotId(aTable(), { type: 'assert-ref-snapshot-id', ref: 'main', snapshotId: 1n }),
    'Requirement failed: branch or tag main is missing, expected 1',
  );
});

test('a ref named like an Object member is just a missing ref', () => {
  checkAssertRefSnapshotId(aTable(), { type: 'assert-ref-snapshot-id', ref: '__proto__', snapshotId: null });
  checkAssertRefSnapshotId(aTable(), { type: 'assert-ref-snapshot-id', ref: 'constructor', snapshotId: null });
});

test('64-bit ids are compared exactly', () => {
  const table = aTableWithSnapshots(1);
  assertCommitFailed(
    () => checkAssertRefSnapshotId(table, { type: 'assert-ref-snapshot-id', ref: 'main', snapshotId: 9223372036854775807n }),
    'Requirement failed: branch main has changed: expected id 9223372036854775807 != 1',
  );
});
