import { test } from 'node:test';
import { assertCommitFailed, aTable } from '../test-fixtures.js';
import { checkAssertCreate } from './assert-create.js';

test('assert-create passes when the table does not exist', () => {
  checkAssertCreate(undefined, { type: 'assert-create' });
});

test('assert-create fails when the table exists', () => {
  assertCommitFailed(() => checkAssertCreate(aTable(), { type: 'assert-create' }), 'Requirement failed: table already exists');
});
