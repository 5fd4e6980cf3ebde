import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aDraft, assertBadRequest, aTable } from '../test-fixtures.js';
import { applyUpgradeFormatVersion } from './upgrade-format-version.js';

test('upgrades v2 to v3 with row lineage starting at 0', () => {
  const draft = applyUpgradeFormatVersion(aDraft(aTable({ formatVersion: 2 })), { action: 'upgrade-format-version', formatVersion: 3 });
  assert.equal(draft.metadata.formatVersion, 3);
  assert.equal(draft.metadata.nextRowId, 0n);
  assert.deepEqual(draft.changes, [{ action: 'upgrade-format-version', formatVersion: 3 }]);
});

test('the current version is a no-op', () => {
  const draft = applyUpgradeFormatVersion(aDraft(aTable({ formatVersion: 2 })), { action: 'upgrade-format-version', formatVersion: 2 });
  assert.deepEqual(draft.changes, []);
});

test('rejects a downgrade', () => {
  assertBadRequest(
    () => applyUpgradeFormatVersion(aDraft(aTable({ formatVersion: 3 })), { action: 'upgrade-format-version', formatVersion: 2 }),
    'Cannot downgrade v3 table to v2',
  );
});

test('rejects a version beyond v3', () => {
  assertBadRequest(
    () => applyUpgradeFormatVersion(aDraft(), { action: 'upgrade-format-version', formatVersion: 4 }),
    'Cannot upgrade table to unsupported format version: v4 (supported: v3)',
  );
});
