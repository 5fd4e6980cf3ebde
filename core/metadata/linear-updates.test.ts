/**
 * F6: one commit with N updates must cost O(N). Before the fix every update copied the change list
 * and the properties map, so 10,000 set-properties updates took 15 s. These tests count the work
 * (list nodes, materialised arrays, copied property entries), not the time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyUpdate, applyUpdates } from './apply-update.js';
import { changeLogCounters } from './change-log.js';
import { commit } from './commit.js';
import { startDraft } from './draft.js';
import { propertyRunCounters } from './property-updates.js';
import { aContext, aTable, NOW } from './test-fixtures.js';
import type { TableUpdate } from './types.js';
import { commitView } from './views/commit-view.js';
import { aView } from './views/test-fixtures.js';
import type { ViewUpdate } from './views/types.js';

function propertyUpdates(n: number): TableUpdate[] {
  return Array.from({ length: n }, (_, i): TableUpdate => (i % 5 === 4 ? { action: 'remove-properties', removals: [`k${i - 1}`] } : { action: 'set-properties', updates: { [`k${i}`]: `v${i}` } }));
}

function workFor(run: () => void): number {
  const before = { ...changeLogCounters, ...propertyRunCounters };
  run();
  return (
    changeLogCounters.appended - before.appended +
    changeLogCounters.materialisedItems - before.materialisedItems +
    propertyRunCounters.entriesCopied - before.entriesCopied
  );
}

test('a table commit with N property updates does O(N) work', () => {
  const small = workFor(() => commit(aTable(), [], propertyUpdates(2_500), aContext()));
  const large = workFor(() => commit(aTable(), [], propertyUpdates(10_000), aContext()));
  // Linear: 4x the updates costs about 4x the work (quadratic would be 16x).
  assert.ok(large <= small * 5, `work ${small} at 2,500 updates, ${large} at 10,000`);
  assert.ok(large <= 10_000 * 6, `work ${large} for 10,000 updates`);
});

test('interleaved updates append to the change list without copying it', () => {
  const updates = Array.from({ length: 4_000 }, (_, i): TableUpdate => (i % 2 === 0 ? { action: 'set-properties', updates: { [`k${i}`]: 'v' } } : { action: 'set-location', location: `s3://bucket/loc${i}` }));
  const before = { ...changeLogCounters };
  const result = commit(aTable(), [], updates, aContext());
  assert.equal(result.changes.length, 4_000);
  assert.equal(changeLogCounters.appended - before.appended, 4_000);
  // build() reads the list once or twice; applying the updates never copies it.
  assert.ok(changeLogCounters.materialisedItems - before.materialisedItems <= 3 * 4_000);
});

test('a view commit with N property updates does O(N) work', () => {
  const viewUpdates = (n: number): ViewUpdate[] => Array.from({ length: n }, (_, i): ViewUpdate => ({ action: 'set-properties', updates: { [`k${i}`]: `v${i}` } }));
  const small = workFor(() => commitView(aView(), [], viewUpdates(2_500), { now: NOW }));
  const large = workFor(() => commitView(aView(), [], viewUpdates(10_000), { now: NOW }));
  assert.ok(large <= small * 5, `work ${small} at 2,500 updates, ${large} at 10,000`);
});

test('batched property updates record the same changes and properties as one-by-one application', () => {
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  for (let round = 0; round < 50; round += 1) {
    const updates: TableUpdate[] = Array.from({ length: 30 }, (): TableUpdate => {
      const kind = random(3);
      if (kind === 0) return { action: 'remove-properties', removals: [`k${random(6)}`, `k${random(6)}`] };
      if (kind === 1) return { action: 'set-location', location: `s3://bucket/l${random(3)}` };
      return { action: 'set-properties', updates: { [`k${random(6)}`]: `v${random(3)}`, [`k${random(6)}`]: `v${random(3)}` } };
    });
    const base = aTable({ properties: { k0: 'v0', k1: 'v1', __proto__: 'x' } as Record<string, string> });
    const batched = applyUpdates(startDraft(base, BigInt(NOW)), updates);
    const single = updates.reduce(applyUpdate, startDraft(base, BigInt(NOW)));
    assert.deepEqual(batched.changes, single.changes);
    assert.deepEqual(Object.entries(batched.metadata.properties), Object.entries(single.metadata.properties));
    assert.equal(batched.metadata.location, single.metadata.location);
  }
});

test('an earlier draft never sees a later change', () => {
  const first = applyUpdate(startDraft(aTable(), BigInt(NOW)), { action: 'set-location', location: 's3://bucket/a' });
  const second = applyUpdate(first, { action: 'set-location', location: 's3://bucket/b' });
  const fork = applyUpdate(first, { action: 'set-location', location: 's3://bucket/c' });
  assert.equal(first.changes.length, 1);
  assert.deepEqual(second.changes.map((change) => change.action === 'set-location' && change.location), ['s3://bucket/a', 's3://bucket/b']);
  assert.deepEqual(fork.changes.map((change) => change.action === 'set-location' && change.location), ['s3://bucket/a', 's3://bucket/c']);
});
