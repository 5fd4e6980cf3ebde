import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build } from './builder.js';
import { startDraft } from './draft.js';
import { applySetProperties } from './updates/set-properties.js';
import { aTable, commitTo, TABLE_LOCATION } from './test-fixtures.js';
import type { TableMetadata } from './types.js';

const fileName = (version: number): string => `${TABLE_LOCATION}/metadata/${String(version).padStart(5, '0')}-u.metadata.json`;

/** Commits n property changes, each naming the file it replaced. */
function commitsWithHistory(table: TableMetadata, count: number, firstVersion = 0): { table: TableMetadata; expired: string[] } {
  let current = table;
  const expired: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const result = commitTo(current, [{ action: 'set-properties', updates: { counter: String(firstVersion + index) } }], [], {
      previousMetadataLocation: fileName(firstVersion + index),
      now: 1_700_000_000_000 + firstVersion + index + 1,
    });
    current = result.metadata;
    expired.push(...result.expiredMetadataLog.map((entry) => entry.metadataFile));
  }
  return { table: current, expired };
}

test('an unchanged draft builds to its base', () => {
  const table = aTable();
  const result = build(startDraft(table, 5n), { previousMetadataLocation: fileName(0) });
  assert.equal(result.metadata, table);
  assert.deepEqual(result.changes, []);
});

test('the metadata log is trimmed to write.metadata.previous-versions-max, oldest first', () => {
  const { table, expired } = commitsWithHistory(aTable({ properties: { 'write.metadata.previous-versions-max': '2' } }), 4);
  assert.deepEqual(table.metadataLog.map((entry) => entry.metadataFile), [fileName(2), fileName(3)]);
  assert.deepEqual(expired, [fileName(0), fileName(1)]);
});

test('the default cap is 100 entries', () => {
  const { table } = commitsWithHistory(aTable(), 103);
  assert.equal(table.metadataLog.length, 100);
  assert.equal(table.metadataLog[0]?.metadataFile, fileName(3));
});

test('a cap below 1 counts as 1', () => {
  const { table } = commitsWithHistory(aTable({ properties: { 'write.metadata.previous-versions-max': '0' } }), 3);
  assert.deepEqual(table.metadataLog.map((entry) => entry.metadataFile), [fileName(2)]);
});

test('lowering the cap in a commit trims in that same commit', () => {
  const { table } = commitsWithHistory(aTable(), 5);
  const result = commitTo(table, [{ action: 'set-properties', updates: { 'write.metadata.previous-versions-max': '2' } }], [], {
    previousMetadataLocation: fileName(5),
    now: 1_800_000_000_000,
  });
  assert.deepEqual(result.metadata.metadataLog.map((entry) => entry.metadataFile), [fileName(4), fileName(5)]);
  assert.deepEqual(result.expiredMetadataLog.map((entry) => entry.metadataFile), [fileName(0), fileName(1), fileName(2), fileName(3)]);
});

test('a commit without a previous location adds no metadata-log entry', () => {
  const draft = applySetProperties(startDraft(aTable(), 1_700_000_000_001n), { action: 'set-properties', updates: { a: 'b' } });
  assert.deepEqual(build(draft).metadata.metadataLog, []);
});

test('last-updated-ms is the commit time and never goes back before the base', () => {
  const table = aTable();
  const later = applySetProperties(startDraft(table, table.lastUpdatedMs + 5n), { action: 'set-properties', updates: { a: 'b' } });
  assert.equal(build(later).metadata.lastUpdatedMs, table.lastUpdatedMs + 5n);
  const skewed = applySetProperties(startDraft(table, table.lastUpdatedMs - 5n), { action: 'set-properties', updates: { a: 'b' } });
  assert.equal(build(skewed).metadata.lastUpdatedMs, table.lastUpdatedMs);
});
