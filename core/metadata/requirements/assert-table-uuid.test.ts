import { test } from 'node:test';
import { assertCommitFailed, aTable, TABLE_UUID } from '../test-fixtures.js';
import { checkAssertTableUuid } from './assert-table-uuid.js';

test('assert-table-uuid passes for the same uuid in any case', () => {
  checkAssertTableUuid(aTable(), { type: 'assert-table-uuid', uuid: TABLE_UUID.toUpperCase() });
});

test('assert-table-uuid fails for another uuid, naming expected and found', () => {
  const other = '11111111-2222-4333-8444-555555555555';
  assertCommitFailed(
    () => checkAssertTableUuid(aTable(), { type: 'assert-table-uuid', uuid: other }),
    `Requirement failed: UUID does not match: expected ${other} != ${TABLE_UUID}`,
  );
});

test('assert-table-uuid fails when the table does not exist', () => {
  assertCommitFailed(() => checkAssertTableUuid(undefined, { type: 'assert-table-uuid', uuid: TABLE_UUID }), 'Requirement failed: table does not exist');
});
