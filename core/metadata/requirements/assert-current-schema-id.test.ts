import { test } from 'node:test';
import { assertCommitFailed, aTable } from '../test-fixtures.js';
import { checkAssertCurrentSchemaId } from './assert-current-schema-id.js';

test('assert-current-schema-id passes when the table still has the expected id', () => {
  checkAssertCurrentSchemaId(aTable(), { type: 'assert-current-schema-id', currentSchemaId: 0 });
});

test('assert-current-schema-id fails when the id changed, naming expected and found', () => {
  assertCommitFailed(
    () => checkAssertCurrentSchemaId(aTable(), { type: 'assert-current-schema-id', currentSchemaId: 7 }),
    'Requirement failed: current schema changed: expected id 7 != 0',
  );
});

test('assert-current-schema-id fails when the table does not exist', () => {
  assertCommitFailed(() => checkAssertCurrentSchemaId(undefined, { type: 'assert-current-schema-id', currentSchemaId: 0 }), 'Requirement failed: table does not exist');
});
