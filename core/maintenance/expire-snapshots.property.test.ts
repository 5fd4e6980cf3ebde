import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commit } from '../metadata/commit.js';
import { MAX_LONG } from '../metadata/long.js';
import { aSnapshot, aTable, NOW, seededRandom } from '../metadata/test-fixtures.js';
import type { Snapshot, SnapshotRef, TableMetadata } from '../metadata/types.js';
import { planSnapshotExpiration, type ExpirationPolicy } from './expire-snapshots.js';
import { expiryUpdates } from './expire-table-snapshots.js';

/**
 * The expiry plan's invariants, written once and checked on generated tables: random snapshot
 * forests (a parent among earlier snapshots, or none), random branches and tags with random
 * per-ref overrides, random policies.
 * 1. main's snapshot is never removed, nor any kept ref's snapshot; main is never a removed ref;
 * 2. a kept branch keeps its min-snapshots-to-keep latest ancestors (as far as they exist);
 * 3. a snapshot younger than the table's max age that no kept ref reaches is kept;
 * 4. the engine accepts the plan as updates (valid metadata) and main does not move;
 * 5. planning again on the result (same time) removes nothing: expiry is idempotent.
 */
const CASES = 400;
const DAY = 86_400_000;

function generate(random: () => number): { metadata: TableMetadata; policy: ExpirationPolicy; now: bigint } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const count = 1 + Math.floor(random() * 30);
  const snapshots: Snapshot[] = [];
  let time = NOW - 40 * DAY;
  for (let index = 0; index < count; index++) {
    time += Math.floor(random() * 3 * DAY);
    const parent = index === 0 || random() < 0.1 ? undefined : snapshots[index - 1 - Math.floor(random() * Math.min(index, 3))]!.snapshotId;
    snapshots.push(aSnapshot({ id: BigInt(index + 1), ...(parent !== undefined ? { parent } : {}), sequenceNumber: BigInt(index + 1), timestampMs: BigInt(time) }));
  }
  const ids = snapshots.map((s) => s.snapshotId);
  const ages = [0n, 1n, BigInt(DAY), BigInt(5 * DAY), BigInt(20 * DAY), MAX_LONG];
  const refs: Record<string, SnapshotRef> = { main: { snapshotId: pick(ids), type: 'branch' } };
  const refCount = Math.floor(random() * 5);
  for (let n = 0; n < refCount; n++) {
    const type = random() < 0.5 ? 'branch' : 'tag';
    refs[`r${n}`] = {
      snapshotId: pick(ids),
      type,
      ...(type === 'branch' && random() < 0.4 ? { minSnapshotsToKeep: 1 + Math.floor(random() * 4) } : {}),
      ...(type === 'branch' && random() < 0.4 ? { maxSnapshotAgeMs: pick(ages) } : {}),
      ...(random() < 0.4 ? { maxRefAgeMs: pick(ages) } : {}),
    };
  }
  const main = refs['main']!;
  const metadata: TableMetadata = {
    ...aTable(),
    snapshots,
    refs,
    currentSnapshotId: main.snapshotId,
    lastSequenceNumber: BigInt(count),
    lastUpdatedMs: BigInt(time),
    snapshotLog: [{ timestampMs: snapshots.find((s) => s.snapshotId === main.snapshotId)!.timestampMs, snapshotId: main.snapshotId }],
  };
  const policy: ExpirationPolicy = {
    maxSnapshotAgeMs: pick(ages.slice(0, 5)),
    minSnapshotsToKeep: 1 + Math.floor(random() * 4),
    maxRefAgeMs: pick(ages),
    gcEnabled: true,
  };
  return { metadata, policy, now: BigInt(time + Math.floor(random() * 10 * DAY)) };
}

function ancestors(metadata: TableMetadata, id: bigint): bigint[] {
  const byId = new Map(metadata.snapshots.map((s) => [s.snapshotId, s]));
  const out: bigint[] = [];
  for (let next: bigint | undefined = id; next !== undefined && byId.has(next); next = byId.get(next)!.parentSnapshotId) out.push(next);
  return out;
}

test(`expiry plan invariants hold on ${CASES} generated tables`, () => {
  const random = seededRandom(12);
  let removedSnapshots = 0;
  let removedRefCount = 0;
  for (let n = 0; n < CASES; n++) {
    const { metadata, policy, now } = generate(random);
    const plan = planSnapshotExpiration(metadata, policy, now);
    const removed = new Set(plan.snapshotIdsToRemove);
    const removedRefs = new Set(plan.refsToRemove);
    removedSnapshots += removed.size;
    removedRefCount += removedRefs.size;
    const context = `case ${n}: ${JSON.stringify({ refs: metadata.refs, policy, now, removed: [...removed] }, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`;

    // 1.
    assert.ok(!removedRefs.has('main'), context);
    assert.ok(!removed.has(metadata.refs['main']!.snapshotId), context);
    for (const [name, ref] of Object.entries(metadata.refs)) if (!removedRefs.has(name)) assert.ok(!removed.has(ref.snapshotId), `${context} ref ${name}`);
    // 2.
    for (const [name, ref] of Object.entries(metadata.refs)) {
      if (removedRefs.has(name) || ref.type !== 'branch') continue;
      const keep = ancestors(metadata, ref.snapshotId).slice(0, ref.minSnapshotsToKeep ?? policy.minSnapshotsToKeep);
      for (const id of keep) assert.ok(!removed.has(id), `${context} branch ${name} keeps ${id}`);
    }
    // 3.
    const reached = new Set<bigint>();
    for (const [name, ref] of Object.entries(metadata.refs)) {
      if (removedRefs.has(name)) continue;
      for (const id of ref.type === 'branch' ? ancestors(metadata, ref.snapshotId) : [ref.snapshotId]) reached.add(id);
    }
    for (const snapshot of metadata.snapshots) {
      if (!reached.has(snapshot.snapshotId) && snapshot.timestampMs >= now - policy.maxSnapshotAgeMs) assert.ok(!removed.has(snapshot.snapshotId), `${context} young ${snapshot.snapshotId}`);
    }
    // 4.
    const updates = expiryUpdates(plan);
    const after = updates.length === 0 ? metadata : commit(metadata, [], updates, { now: Number(now), newUuid: () => 'u' }).metadata;
    assert.equal(after.currentSnapshotId, metadata.currentSnapshotId, context);
    assert.equal(after.snapshots.length, metadata.snapshots.length - removed.size, context);
    assert.deepEqual(Object.keys(after.refs).sort(), Object.keys(metadata.refs).filter((name) => !removedRefs.has(name)).sort(), context);
    // 5.
    const again = planSnapshotExpiration(after, policy, now);
    assert.deepEqual([...again.snapshotIdsToRemove, ...again.refsToRemove], [], `${context} second plan`);
  }
  // The generator must exercise removal, not only keep everything.
  assert.ok(removedSnapshots > CASES, `${removedSnapshots} snapshots removed`);
  assert.ok(removedRefCount > CASES / 10, `${removedRefCount} refs removed`);
});
