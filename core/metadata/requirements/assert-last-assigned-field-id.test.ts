import { test } from 'node:test';
import { assertCommitFailed, aTable } from '../test-fixtures.js';
import { checkAssertLastAssignedFieldId } from './assert-last-assigned-field-id.js';

test('assert-last-assigned-field-id passes when the table still has the expected id', () => {
  checkAssertLastAssignedFieldId(aTable(), { type: 'assert-last-assigned-field-id', lastAssignedFieldId: 2 });
});

test('assert-last-assigned-field-id fails when the id changed, naming expected and found', () => {
  assertCommitFailed(
    () => checkAssertLastAssignedFieldId(aTable(), { type: 'assert-last-assigned-field-id', lastAssignedFieldId: 7 }),
    'Requirement failed: last assigned field id changed: expected id 7 != 2',
  );
});

test('assert-last-assigned-field-id fails when the table does not exist', () => {
  assertCommitFailed(() => checkAssertLastAssignedFieldId(undefined, { type: 'assert-last-assigned-field-id', lastAssignedFieldId: 2 }), 'Requirement failed: table does not exist');
});
