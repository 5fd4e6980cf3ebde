import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { aSnapshot, aTable, NOW } from '../metadata/test-fixtures.js';
import type { SnapshotRef, TableMetadata } from '../metadata/types.js';
import { planSnapshotExpiration, type ExpirationPolicy } from './expire-snapshots.js';
import { DEFAULT_MAX_REF_AGE_MS } from './maintenance-policy.js';

const DAY = 24n * 60n * 60n * 1000n;
const T = BigInt(NOW);

/** Iceberg's defaults, except the age, which each test states. */
function aPolicy(overrides: Partial<ExpirationPolicy> = {}): ExpirationPolicy {
  return { maxSnapshotAgeMs: 5n * DAY, minSnapshotsToKeep: 1, maxRefAgeMs: DEFAULT_MAX_REF_AGE_MS, gcEnabled: true, ...overrides };
}

interface SnapshotSpec {
  readonly id: bigint;
  readonly parent?: bigint;
  /** Days before NOW. */
  readonly ageDays: number;
}

/** Metadata with exactly these snapshots and refs (main's snapshot is the current one). */
function aTableWith(snapshots: readonly SnapshotSpec[], refs: Record<string, SnapshotRef>): TableMetadata {
  return {
    ...aTable(),
    snapshots: snapshots.map((s) => aSnapshot({ id: s.id, ...(s.parent !== undefined ? { parent: s.parent } : {}), timestampMs: T - BigInt(Math.round(s.ageDays * 24 * 3600 * 1000)) })),
    refs,
    currentSnapshotId: refs['main']?.snapshotId ?? null,
  };
}

/** A chain 1 ← 2 ← … ← n on main, snapshot i being (n - i) days old. */
function aChain(n: number, refs: Record<string, SnapshotRef> = {}): TableMetadata {
  const snapshots = Array.from({ length: n }, (_, index) => ({ id: BigInt(index + 1), ...(index > 0 ? { parent: BigInt(index) } : {}), ageDays: n - index - 1 }));
  return aTableWith(snapshots, { main: branch(BigInt(n)), ...refs });
}

const branch = (snapshotId: bigint, overrides: Partial<SnapshotRef> = {}): SnapshotRef => ({ snapshotId, type: 'branch', ...overrides });
const tag = (snapshotId: bigint, overrides: Partial<SnapshotRef> = {}): SnapshotRef => ({ snapshotId, type: 'tag', ...overrides });
const removed = (metadata: TableMetadata, policy = aPolicy()) => planSnapshotExpiration(metadata, policy, T).snapshotIdsToRemove;

describe('planSnapshotExpiration', () => {
  test('removes main ancestors older than max-snapshot-age beyond min-snapshots-to-keep', () => {
    const table = aChain(10); // ages 9..0 days
    assert.deepEqual(removed(table), [1n, 2n, 3n, 4n]); // 9, 8, 7, 6 days old; 5 days is kept (>= cutoff)
  });

  test('never removes the current snapshot, however old', () => {
    const table = aTableWith([{ id: 1n, ageDays: 400 }, { id: 2n, parent: 1n, ageDays: 300 }], { main: branch(2n) });
    assert.deepEqual(removed(table, aPolicy({ maxSnapshotAgeMs: 0n })), [1n]);
  });

  test('min-snapshots-to-keep beats the age', () => {
    const table = aChain(10);
    assert.deepEqual(removed(table, aPolicy({ maxSnapshotAgeMs: 0n, minSnapshotsToKeep: 3 })), [1n, 2n, 3n, 4n, 5n, 6n, 7n]);
  });

  test('the age keeps more than min-snapshots-to-keep when snapshots are young', () => {
    assert.deepEqual(removed(aChain(10), aPolicy({ maxSnapshotAgeMs: 100n * DAY, minSnapshotsToKeep: 1 })), []);
  });

  test('stops at the first ancestor that is neither young nor within the minimum, as Java does', () => {
    // 3 is young again (a clock that went backwards): it is behind an old snapshot, so it goes.
    const table = aTableWith(
      [{ id: 1n, ageDays: 1 }, { id: 2n, parent: 1n, ageDays: 10 }, { id: 3n, parent: 2n, ageDays: 0 }],
      { main: branch(3n) },
    );
    assert.deepEqual(removed(table), [1n, 2n]);
  });

  test('a branch keeps its own ancestors by its own min-snapshots-to-keep', () => {
    // main: 1 ← 2 ← 3; audit branches off at 2: 2 ← 4 ← 5. All ten days old or more.
    const table = aTableWith(
      [
        { id: 1n, ageDays: 14 },
        { id: 2n, parent: 1n, ageDays: 13 },
        { id: 3n, parent: 2n, ageDays: 12 },
        { id: 4n, parent: 2n, ageDays: 11 },
        { id: 5n, parent: 4n, ageDays: 10 },
      ],
      { main: branch(3n), audit: branch(5n, { minSnapshotsToKeep: 3 }) },
    );
    assert.deepEqual(removed(table), [1n]);
  });

  test('a branch max-snapshot-age-ms overrides the table property', () => {
    const table = aChain(10, { b: branch(10n, { maxSnapshotAgeMs: 100n * DAY }) });
    assert.deepEqual(removed(table), [], 'branch b at the same head keeps the whole chain');
  });

  test('a branch with a shorter max-snapshot-age-ms does not take snapshots main keeps', () => {
    const table = aChain(10, { b: branch(10n, { maxSnapshotAgeMs: 0n }) });
    assert.deepEqual(removed(table), [1n, 2n, 3n, 4n]);
  });

  test('a tag keeps its snapshot but not its ancestors', () => {
    const table = aChain(10, { release: tag(2n) });
    assert.deepEqual(removed(table), [1n, 3n, 4n]);
  });

  test('a tag older than max-ref-age-ms is removed, and its snapshot with it', () => {
    const table = aChain(10, { old: tag(2n, { maxRefAgeMs: 7n * DAY }), kept: tag(3n, { maxRefAgeMs: 7n * DAY }) });
    const plan = planSnapshotExpiration(table, aPolicy(), T);
    assert.deepEqual(plan.refsToRemove, ['old']);
    assert.deepEqual(plan.snapshotIdsToRemove, [1n, 2n, 4n]);
  });

  test('the table max-ref-age-ms applies to refs without their own', () => {
    const table = aChain(10, { t: tag(2n), b: branch(1n), young: tag(4n) }); // 8, 9 and 6 days old
    const plan = planSnapshotExpiration(table, aPolicy({ maxRefAgeMs: 7n * DAY }), T);
    assert.deepEqual([...plan.refsToRemove].sort(), ['b', 't']);
    assert.deepEqual(plan.snapshotIdsToRemove, [1n, 2n, 3n]);
  });

  test('a ref max-ref-age-ms beats the table property', () => {
    const table = aChain(10, { t: tag(2n, { maxRefAgeMs: 100n * DAY }) });
    const plan = planSnapshotExpiration(table, aPolicy({ maxRefAgeMs: DAY }), T);
    assert.deepEqual(plan.refsToRemove, []);
    assert.deepEqual(plan.snapshotIdsToRemove, [1n, 3n, 4n]);
  });

  test('main is never removed by max-ref-age-ms', () => {
    const table = aTableWith([{ id: 1n, ageDays: 400 }], { main: branch(1n, { maxRefAgeMs: 0n }) });
    const plan = planSnapshotExpiration(table, aPolicy({ maxRefAgeMs: 0n, maxSnapshotAgeMs: 0n }), T);
    assert.deepEqual(plan.refsToRemove, []);
    assert.deepEqual(plan.snapshotIdsToRemove, []);
  });

  test('an expired branch loses its history unless main shares it', () => {
    // main: 1 ← 2 ← 3 (young); dev: 2 ← 4 ← 5 (old), expired by ref age.
    const table = aTableWith(
      [
        { id: 1n, ageDays: 30 },
        { id: 2n, parent: 1n, ageDays: 29 },
        { id: 3n, parent: 2n, ageDays: 0 },
        { id: 4n, parent: 2n, ageDays: 28 },
        { id: 5n, parent: 4n, ageDays: 27 },
      ],
      { main: branch(3n), dev: branch(5n, { maxRefAgeMs: 10n * DAY }) },
    );
    const plan = planSnapshotExpiration(table, aPolicy(), T);
    assert.deepEqual(plan.refsToRemove, ['dev']);
    assert.deepEqual(plan.snapshotIdsToRemove, [1n, 2n, 4n, 5n]);
  });

  test('young snapshots no ref reaches are kept; old ones go', () => {
    // 4 was a commit later rolled back (main reset to 3): unreferenced.
    const table = aTableWith(
      [
        { id: 1n, ageDays: 30 },
        { id: 2n, parent: 1n, ageDays: 20 },
        { id: 3n, parent: 2n, ageDays: 0 },
        { id: 4n, parent: 3n, ageDays: 0 },
        { id: 5n, parent: 1n, ageDays: 25 },
      ],
      { main: branch(3n) },
    );
    assert.deepEqual(removed(table), [1n, 2n, 5n]);
  });

  test('an old snapshot an unexpired branch reaches within its minimum is kept', () => {
    const table = aTableWith([{ id: 1n, ageDays: 30 }, { id: 2n, parent: 1n, ageDays: 0 }, { id: 3n, parent: 1n, ageDays: 30 }], {
      main: branch(2n),
      b: branch(3n),
    });
    // b's head (3) and main's head (2) stay; 1 is beyond both minimums and old.
    assert.deepEqual(removed(table), [1n]);
  });

  test('a v1 table without a refs map has an implied main at the current snapshot', () => {
    const table: TableMetadata = { ...aChain(3), refs: {} };
    assert.deepEqual(removed(table, aPolicy({ maxSnapshotAgeMs: 0n })), [1n, 2n]);
  });

  test('recentHeadsMs keeps main ancestors whose child on main is younger than it', () => {
    // Chain 1..10, snapshot i made (10 - i) days ago: 6 left the head when 7 was made, 3 days ago
    // (kept: the bound is inclusive); 5 left it 4 days ago.
    const plan = planSnapshotExpiration(aChain(10), aPolicy({ maxSnapshotAgeMs: 0n, recentHeadsMs: 3n * DAY }), T);
    assert.deepEqual(plan.snapshotIdsToRemove, [1n, 2n, 3n, 4n, 5n]);
  });

  test('recentHeadsMs 0 is Iceberg exactly', () => {
    assert.deepEqual(removed(aChain(4), aPolicy({ maxSnapshotAgeMs: 0n, recentHeadsMs: 0n })), [1n, 2n, 3n]);
  });

  test('gc.enabled=false expires nothing and says why', () => {
    const plan = planSnapshotExpiration(aChain(10), aPolicy({ gcEnabled: false, maxSnapshotAgeMs: 0n }), T);
    assert.deepEqual(plan.snapshotIdsToRemove, []);
    assert.equal(plan.skipped, 'gc-disabled');
  });

  test('a table without snapshots has nothing to expire', () => {
    assert.deepEqual(removed(aTable(), aPolicy({ maxSnapshotAgeMs: 0n })), []);
  });

  test('records every ref it saw, with its snapshot, for the commit requirements', () => {
    const plan = planSnapshotExpiration(aChain(3, { t: tag(1n) }), aPolicy(), T);
    assert.deepEqual(plan.refsSeen, { main: 3n, t: 1n });
  });

  test('a missing parent ends the walk (history expired before)', () => {
    const table = aTableWith([{ id: 5n, parent: 4n, ageDays: 10 }, { id: 6n, parent: 5n, ageDays: 9 }], { main: branch(6n) });
    assert.deepEqual(removed(table), [5n]);
  });

  test('a parent cycle in corrupt metadata ends the walk instead of looping', () => {
    const table = aTableWith([{ id: 1n, parent: 2n, ageDays: 10 }, { id: 2n, parent: 1n, ageDays: 9 }], { main: branch(2n) });
    assert.deepEqual(removed(table, aPolicy({ minSnapshotsToKeep: 100 })), []);
  });
});
