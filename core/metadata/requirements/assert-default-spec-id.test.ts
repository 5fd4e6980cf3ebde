import { test } from 'node:test';
import { assertCommitFailed, aTable } from '../test-fixtures.js';
import { checkAssertDefaultSpecId } from './assert-default-spec-id.js';

test('assert-default-spec-id passes when the table still has the expected id', () => {
  checkAssertDefaultSpecId(aTable(), { type: 'assert-default-spec-id', defaultSpecId: 0 });
});

test('assert-default-spec-id fails when the id changed, naming expected and found', () => {
  assertCommitFailed(
    () => checkAssertDefaultSpecId(aTable(), { type: 'assert-default-spec-id', defaultSpecId: 7 }),
    'Requirement failed: default partition spec changed: expected id 7 != 0',
  );
});

test('assert-default-spec-id fails when the table does not exist', () => {
  assertCommitFailed(() => checkAssertDefaultSpecId(undefined, { type: 'assert-default-spec-id', defaultSpecId: 0 }), 'Requirement failed: table does not exist');
});
