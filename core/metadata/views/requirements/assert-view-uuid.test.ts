import { test } from 'node:test';
import { assertCommitFailed } from '../../test-fixtures.js';
import { aView, VIEW_UUID } from '../test-fixtures.js';
import { checkAssertViewUuid } from './assert-view-uuid.js';

test('assert-view-uuid passes for the same uuid in any case', () => {
  checkAssertViewUuid(aView(), { type: 'assert-view-uuid', uuid: VIEW_UUID.toUpperCase() });
});

test('assert-view-uuid fails with a 409 naming expected and found', () => {
  const other = '11111111-2222-4333-8444-555555555555';
  assertCommitFailed(
    () => checkAssertViewUuid(aView(), { type: 'assert-view-uuid', uuid: other }),
    `Requirement failed: view UUID does not match: expected ${other} != ${VIEW_UUID}`,
  );
});
