import { test } from 'node:test';
import { assertCommitFailed, aTable } from '../test-fixtures.js';
import { checkAssertLastAssignedPartitionId } from './assert-last-assigned-partition-id.js';

test('assert-last-assigned-partition-id passes when the table still has the expected id', () => {
  checkAssertLastAssignedPartitionId(aTable(), { type: 'assert-last-assigned-partition-id', lastAssignedPartitionId: 999 });
});

test('assert-last-assigned-partition-id fails when the id changed, naming expected and found', () => {
  assertCommitFailed(
    () => checkAssertLastAssignedPartitionId(aTable(), { type: 'assert-last-assigned-partition-id', lastAssignedPartitionId: 7 }),
    'Requirement failed: last assigned partition id changed: expected id 7 != 999',
  );
});

test('assert-last-assigned-partition-id fails when the table does not exist', () => {
  assertCommitFailed(() => checkAssertLastAssignedPartitionId(undefined, { type: 'assert-last-assigned-partition-id', lastAssignedPartitionId: 999 }), 'Requirement failed: table does not exist');
});
