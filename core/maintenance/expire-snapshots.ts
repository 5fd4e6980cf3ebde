/**
 * Which snapshots and refs an expiry removes: a pure function of the metadata, the policy and the
 * time, following Iceberg Java's `RemoveSnapshots.internalApply` step by step so that a table
 * expired by this catalog keeps exactly what a Java client's `expireSnapshots()` would keep:
 * 1. refs: `main` is always kept; any other ref is kept while its snapshot is younger than its
 *    `max-ref-age-ms` (the ref's own, else the table's `history.expire.max-ref-age-ms`);
 * 2. every kept ref's snapshot is kept;
 * 3. each kept branch keeps its ancestors while fewer than its `min-snapshots-to-keep` are kept or
 *    the ancestor is younger than its `max-snapshot-age-ms` (the ref's own, else the table's),
 *    stopping at the first ancestor that is neither;
 * 4. a snapshot no kept ref reaches (not an ancestor of a branch, not a tag's) is kept while it is
 *    younger than the table's `max-snapshot-age-ms`;
 * 5. everything else goes, and so do the refs not kept.
 * The current snapshot of `main` is therefore never removed, whatever the policy says.
 * One server rule on top (off unless `recentHeadsMs` > 0, see maintenance-policy.ts): main's
 * ancestors that were the head within `recentHeadsMs` are kept, so an append prepared on one of
 * them can still be rebased by the server.
 *
 * Cost is linear in the number of snapshots for a fixed number of refs (one map, one walk of
 * each kept branch's ancestry); `work` counts the steps so a test can check that without a clock.
 */
import { MAIN_BRANCH } from '../metadata/spec-constants.js';
import type { Long } from '../metadata/long.js';
import type { Snapshot, SnapshotRef, TableMetadata } from '../metadata/types.js';
import type { MaintenancePolicy } from './maintenance-policy.js';

export type ExpirationPolicy = Pick<MaintenancePolicy, 'maxSnapshotAgeMs' | 'minSnapshotsToKeep' | 'maxRefAgeMs' | 'gcEnabled'> &
  Partial<Pick<MaintenancePolicy, 'recentHeadsMs'>>;

export interface ExpirationPlan {
  /** In the metadata's order. */
  readonly snapshotIdsToRemove: readonly Long[];
  /** Refs that expired by `max-ref-age-ms` (never `main`). */
  readonly refsToRemove: readonly string[];
  /** Every ref of the metadata with the snapshot it named when the plan was made: the plan is only valid while they all still hold. */
  readonly refsSeen: Readonly<Record<string, Long>>;
  /** Why nothing may be expired, when that is the policy's doing rather than the table's state. */
  readonly skipped?: 'gc-disabled';
  /** Snapshot visits and ancestor steps taken: linear in the snapshots for a fixed number of refs. */
  readonly work: number;
}

export function planSnapshotExpiration(metadata: TableMetadata, policy: ExpirationPolicy, nowMs: Long): ExpirationPlan {
  const refs = refsOf(metadata);
  const refsSeen = Object.fromEntries(Object.entries(refs).map(([name, ref]) => [name, ref.snapshotId]));
  // Iceberg refuses to expire anything when gc.enabled=false (files may be shared with other tables).
  if (!policy.gcEnabled) return { snapshotIdsToRemove: [], refsToRemove: [], refsSeen, skipped: 'gc-disabled', work: 0 };
  if (metadata.snapshots.length === 0) return { snapshotIdsToRemove: [], refsToRemove: [], refsSeen, work: 0 };

  let work = 0;
  const byId = new Map<Long, Snapshot>();
  for (const snapshot of metadata.snapshots) {
    work++;
    byId.set(snapshot.snapshotId, snapshot);
  }
  const expireOlderThan = nowMs - policy.maxSnapshotAgeMs;

  // 1. Refs to keep.
  const retainedRefs: [string, SnapshotRef][] = [];
  const refsToRemove: string[] = [];
  for (const [name, ref] of Object.entries(refs)) {
    work++;
    if (name === MAIN_BRANCH) {
      retainedRefs.push([name, ref]);
      continue;
    }
    const snapshot = byId.get(ref.snapshotId);
    const maxRefAgeMs = ref.maxRefAgeMs ?? policy.maxRefAgeMs;
    if (snapshot !== undefined && nowMs - snapshot.timestampMs <= maxRefAgeMs) retainedRefs.push([name, ref]);
    else refsToRemove.push(name);
  }

  // 2. and 3. Each kept ref's snapshot, and each kept branch's recent or minimum ancestors.
  const retain = new Set<Long>();
  for (const [, ref] of retainedRefs) retain.add(ref.snapshotId);
  for (const [, ref] of retainedRefs) {
    if (ref.type !== 'branch') continue;
    const olderThan = ref.maxSnapshotAgeMs !== undefined ? nowMs - ref.maxSnapshotAgeMs : expireOlderThan;
    const minToKeep = ref.minSnapshotsToKeep ?? policy.minSnapshotsToKeep;
    let kept = 0;
    for (const ancestor of ancestorsOf(ref.snapshotId, byId)) {
      work++;
      if (kept < minToKeep || ancestor.timestampMs >= olderThan) {
        retain.add(ancestor.snapshotId);
        kept++;
      } else {
        break;
      }
    }
  }

  // Server rule: main's recent heads. A parent stopped being the head when its child on main was made.
  const main = retainedRefs.find(([name]) => name === MAIN_BRANCH)?.[1];
  const recentHeadsMs = policy.recentHeadsMs ?? 0n;
  if (main !== undefined && recentHeadsMs > 0n) {
    let child: Snapshot | undefined;
    for (const ancestor of ancestorsOf(main.snapshotId, byId)) {
      work++;
      if (child !== undefined && child.timestampMs < nowMs - recentHeadsMs) break;
      retain.add(ancestor.snapshotId);
      child = ancestor;
    }
  }

  // 4. Snapshots no kept ref reaches stay while young.
  const reached = new Set<Long>();
  for (const [, ref] of retainedRefs) {
    if (ref.type !== 'branch') {
      reached.add(ref.snapshotId);
      continue;
    }
    for (const ancestor of ancestorsOf(ref.snapshotId, byId)) {
      work++;
      // Two branches sharing history: the rest of this walk was done by the other one.
      if (reached.has(ancestor.snapshotId)) break;
      reached.add(ancestor.snapshotId);
    }
  }
  for (const snapshot of metadata.snapshots) {
    work++;
    if (!reached.has(snapshot.snapshotId) && snapshot.timestampMs >= expireOlderThan) retain.add(snapshot.snapshotId);
  }

  // 5. The rest.
  const snapshotIdsToRemove = metadata.snapshots.filter((snapshot) => !retain.has(snapshot.snapshotId)).map((snapshot) => snapshot.snapshotId);
  work += metadata.snapshots.length;
  return { snapshotIdsToRemove, refsToRemove, refsSeen, work };
}

/**
 * The refs as Iceberg sees them: a table whose refs map lacks `main` but has a current snapshot
 * (v1 metadata written by older clients) has an implied `main` branch at it.
 */
function refsOf(metadata: TableMetadata): Readonly<Record<string, SnapshotRef>> {
  const current = metadata.currentSnapshotId;
  if (Object.hasOwn(metadata.refs, MAIN_BRANCH) || current === null || current === undefined) return metadata.refs;
  return { ...metadata.refs, [MAIN_BRANCH]: { snapshotId: current, type: 'branch' } };
}

/** The snapshot and its parents, newest first, stopping at a missing parent (already expired) or a cycle. */
function* ancestorsOf(snapshotId: Long, byId: ReadonlyMap<Long, Snapshot>): Generator<Snapshot> {
  let next: Long | undefined = snapshotId;
  for (let steps = 0; next !== undefined && steps <= byId.size; steps++) {
    const snapshot = byId.get(next);
    if (snapshot === undefined) return;
    yield snapshot;
    next = snapshot.parentSnapshotId;
  }
}
