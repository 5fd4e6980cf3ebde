import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertBadRequest } from '../../test-fixtures.js';
import { assertIllegalArgument, aViewDraft, aViewVersion, NOW, sql } from '../test-fixtures.js';
import { applyViewAddVersion } from './add-view-version.js';
import { applyViewSetCurrentVersion } from './set-current-view-version.js';

const added = aViewVersion({ versionId: 2, timestampMs: 77n, representations: [sql('select 2')] });

test('-1 is the version added last, logged at that version timestamp', () => {
  const withVersion = applyViewAddVersion(aViewDraft(), { action: 'add-view-version', viewVersion: added });
  const draft = applyViewSetCurrentVersion(withVersion, { action: 'set-current-view-version', viewVersionId: -1 });
  assert.equal(draft.metadata.currentVersionId, 2);
  assert.deepEqual(draft.historyEntry, { timestampMs: 77n, versionId: 2 });
  assert.deepEqual(draft.changes.at(-1), { action: 'set-current-view-version', viewVersionId: 2 });
});

test('going back to an older version is logged at the commit time', () => {
  const withVersion = applyViewAddVersion(aViewDraft(), { action: 'add-view-version', viewVersion: added });
  const onTwo = applyViewSetCurrentVersion(withVersion, { action: 'set-current-view-version', viewVersionId: 2 });
  const back = applyViewSetCurrentVersion({ ...onTwo, changes: [] }, { action: 'set-current-view-version', viewVersionId: 1 });
  assert.deepEqual(back.historyEntry, { timestampMs: BigInt(NOW + 1000), versionId: 1 });
});

test('setting the current version again is a no-op', () => {
  const draft = applyViewSetCurrentVersion(aViewDraft(), { action: 'set-current-view-version', viewVersionId: 1 });
  assert.deepEqual(draft.changes, []);
  assert.equal(draft.historyEntry, undefined);
});

test('-1 without an added version is rejected', () => {
  assertBadRequest(
    () => applyViewSetCurrentVersion(aViewDraft(), { action: 'set-current-view-version', viewVersionId: -1 }),
    'Cannot set last version id: no current version id has been set',
  );
});

test('an unknown version is rejected', () => {
  assertIllegalArgument(
    () => applyViewSetCurrentVersion(aViewDraft(), { action: 'set-current-view-version', viewVersionId: 4 }),
    'Cannot set current version to unknown version: 4',
  );
});
