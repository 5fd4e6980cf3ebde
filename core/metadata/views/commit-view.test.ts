import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aField, aSchema, assertCommitFailed } from '../test-fixtures.js';
import { commitView } from './commit-view.js';
import type { ViewUpdate } from './types.js';
import { aView, aViewVersion, commitToView, NOW, replaceUpdates, sql, VIEW_UUID } from './test-fixtures.js';

const otherSchema = aSchema({ fields: [aField(1, 'some_id', 'int', true)] });

test('a commit that changes nothing returns the base and no changes', () => {
  const view = aView();
  const result = commitToView(view, [{ action: 'set-properties', updates: {} }, { action: 'set-current-view-version', viewVersionId: 1 }]);
  assert.equal(result.metadata, view);
  assert.deepEqual(result.changes, []);
});

test('a property update leaves versions and history alone', () => {
  const view = aView();
  const { metadata } = commitToView(view, [{ action: 'set-properties', updates: { comment: 'x' } }]);
  assert.deepEqual(metadata.properties, { comment: 'x' });
  assert.deepEqual(metadata.versions, view.versions);
  assert.deepEqual(metadata.versionLog, view.versionLog);
});

test('a replace adds version 2 on a new schema 1 with a second history entry', () => {
  const { metadata, changes } = commitToView(aView(), replaceUpdates({ timestampMs: 42n, representations: [sql('select 2')] }, otherSchema));
  assert.deepEqual(metadata.schemas.map((schema) => schema.schemaId), [0, 1]);
  assert.equal(metadata.currentVersionId, 2);
  assert.equal(metadata.versions[1]?.schemaId, 1);
  assert.deepEqual(metadata.versionLog.map((entry) => [entry.versionId, entry.timestampMs]), [[1, BigInt(NOW)], [2, 42n]]);
  assert.deepEqual(changes.map((change) => change.action), ['add-schema', 'add-view-version', 'set-current-view-version']);
});

test('concurrent replaces re-applied on the newer base give versions 1, 2, 3', () => {
  const base = aView();
  const trino = replaceUpdates({ representations: [sql('select count(some_id) from ns.tbl', 'spark')] }, otherSchema);
  // The second writer reuses the existing schema, so the Java client sends its id, not -1.
  const spark: ViewUpdate[] = [
    { action: 'add-view-version', viewVersion: aViewVersion({ versionId: 2, summary: { operation: 'replace' }, representations: [sql('select count(id) from ns.tbl')] }) },
    { action: 'set-current-view-version', viewVersionId: -1 },
  ];
  const first = commitView(base, [{ type: 'assert-view-uuid', uuid: VIEW_UUID }], trino, { now: NOW + 1 }).metadata;
  const second = commitView(first, [{ type: 'assert-view-uuid', uuid: VIEW_UUID }], spark, { now: NOW + 2 }).metadata;
  assert.deepEqual(second.versions.map((version) => [version.versionId, version.schemaId]), [[1, 0], [2, 1], [3, 0]]);
  assert.equal(second.currentVersionId, 3);
  assert.deepEqual(second.versionLog.map((entry) => entry.versionId), [1, 2, 3]);
});

test('re-applying a replace that already landed is a no-op', () => {
  const updates = replaceUpdates({ representations: [sql('select 2')] }, otherSchema);
  const once = commitToView(aView(), updates).metadata;
  const again = commitToView(once, updates);
  assert.deepEqual(again.changes, []);
  assert.equal(again.metadata, once);
});

test('a failed assert-view-uuid is a CommitFailed naming both uuids', () => {
  const other = '11111111-2222-4333-8444-555555555555';
  assertCommitFailed(
    () => commitToView(aView(), [{ action: 'set-properties', updates: { a: 'b' } }], [{ type: 'assert-view-uuid', uuid: other }]),
    `Requirement failed: view UUID does not match: expected ${other} != ${VIEW_UUID}`,
  );
});

test('a failed update leaves the base untouched', () => {
  const view = aView();
  const snapshot = structuredClone(view);
  assert.throws(() => commitToView(view, [{ action: 'set-properties', updates: { a: 'b' } }, { action: 'set-current-view-version', viewVersionId: 9 }]));
  assert.deepEqual(view, snapshot);
});
