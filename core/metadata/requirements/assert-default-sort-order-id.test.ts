import { test } from 'node:test';
import { assertCommitFailed, aTable } from '../test-fixtures.js';
import { checkAssertDefaultSortOrderId } from './assert-default-sort-order-id.js';

test('assert-default-sort-order-id passes when the table still has the expected id', () => {
  checkAssertDefaultSortOrderId(aTable(), { type: 'assert-default-sort-order-id', defaultSortOrderId: 0 });
});

test('assert-default-sort-order-id fails when the id changed, naming expected and found', () => {
  assertCommitFailed(
    () => checkAssertDefaultSortOrderId(aTable(), { type: 'assert-default-sort-order-id', defaultSortOrderId: 7 }),
    'Requirement failed: default sort order changed: expected id 7 != 0',
  );
});

test('assert-default-sort-order-id fails when the table does not exist', () => {
  assertCommitFailed(() => checkAssertDefaultSortOrderId(undefined, { type: 'assert-default-sort-order-id', defaultSortOrderId: 0 }), 'Requirement failed: table does not exist');
});
