/**
 * Server-side rebase of a fast append (opt-in per table with `catalog.rebase-appends=true`).
 *
 * An engine's append says "add snapshot S on top of X and move branch R to it, if R is still at X".
 * When another append moved R to Y first, Java's client reloads and re-does the same append on Y: a
 * new manifest list made of its new manifests plus Y's manifests. This module decides, from the
 * metadata alone, whether the server may do that instead (`planAppendRebase`), checks what the
 * manifests say (`checkNewManifests`, `rebasedManifestListEntries`) and rewrites the request
 * against Y once the new list is written (`rebasedAppendRequest`). No I/O: core/catalog reads and
 * writes the Avro files.
 *
 * Only what Java's own retry would do unchecked is rebased: an `append` whose new data files have
 * inherited (null) sequence numbers, so they take the new sequence number and no delete committed in
 * between can apply to them; anything else keeps the spec's 409.
 */
import type { ManifestEntry, ManifestListEntry } from '../avro/index.js';
import { CommitFailedError } from '../errors.js';
import type { Long } from './long.js';
import { ownValue } from './own-property.js';
import { checkRequirement } from './requirements/check-requirement.js';
import { METADATA_PATH } from './table-properties.js';
import type { AssertRefSnapshotId, SetSnapshotRefUpdate, Snapshot, SnapshotSummary, TableMetadata, TableRequirement, TableUpdate } from './types.js';

/** The table property that opts a table in. */
export const REBASE_APPENDS_PROPERTY = 'catalog.rebase-appends';

const MIN_FORMAT_VERSION = 2;
const ROW_LINEAGE_FORMAT_VERSION = 3;
const APPEND_OPERATION = 'append';
const TOTAL_PREFIX = 'total-';
/** Manifest-list and manifest `content` / `status` values (Iceberg spec). */
const DATA_CONTENT = 0;
const ADDED_STATUS = 1;

export function rebaseAppendsEnabled(metadata: TableMetadata): boolean {
  return metadata.properties[REBASE_APPENDS_PROPERTY] === 'true';
}

/** What a rebase needs to know about the request and the current metadata (the base). */
export interface AppendRebase {
  readonly refName: string;
  /** S, as the client sent it. */
  readonly snapshot: Snapshot;
  readonly setRef: SetSnapshotRefUpdate;
  /** X: the snapshot S was built on; undefined for a first append (the ref did not exist). */
  readonly parent: Snapshot | undefined;
  /** Y: where the ref is now; undefined when it still does not exist. */
  readonly head: Snapshot | undefined;
  /** The other requirements, kept as they were (they hold on the base). */
  readonly otherRequirements: readonly TableRequirement[];
  /** The base's last-sequence-number + 1. */
  readonly sequenceNumber: Long;
  /** v3: the base's next-row-id, S' first-row-id. */
  readonly firstRowId: Long | undefined;
  readonly formatVersion: 2 | 3;
  readonly baseLastUpdatedMs: Long;
  readonly specIds: ReadonlySet<number>;
  /** Where the table's own files may be: the server reads and writes only under these. */
  readonly tableFolders: readonly string[];
}

export type RebaseDecision<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const refuse = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/**
 * May this commit, which failed on `base`, be rebased onto the ref's current snapshot? Everything
 * decidable from the metadata is checked here; the manifests are checked by `checkNewManifests`.
 */
export function planAppendRebase(base: TableMetadata, requirements: readonly TableRequirement[], updates: readonly TableUpdate[]): RebaseDecision<AppendRebase> {
  if (base.formatVersion < MIN_FORMAT_VERSION) return refuse(`format version ${base.formatVersion} has no sequence numbers`);
  const formatVersion = base.formatVersion as 2 | 3;
  if (updates.length !== 2) return refuse('the updates are not exactly add-snapshot + set-snapshot-ref');
  const [add, set] = updates;
  if (add?.action !== 'add-snapshot' || set?.action !== 'set-snapshot-ref') return refuse('the updates are not add-snapshot then set-snapshot-ref');
  const snapshot = add.snapshot;
  if (set.type !== 'branch') return refuse('the ref is not a branch');
  if (set.snapshotId !== snapshot.snapshotId) return refuse('set-snapshot-ref does not point at the added snapshot');
  if (snapshot.summary?.operation !== APPEND_OPERATION) return refuse(`operation is ${snapshot.summary?.operation ?? 'missing'}, not append`);
  if (snapshot.manifestList === undefined) return refuse('the snapshot has no manifest list');
  const tableFolders = tableFoldersOf(base);
  if (!insideAny(snapshot.manifestList, tableFolders)) return refuse('the manifest list is outside the table\'s location');
  if (base.snapshots.some((s) => s.snapshotId === snapshot.snapshotId)) return refuse('the snapshot id already exists');
  if (snapshot.schemaId !== undefined && !base.schemas.some((s) => s.schemaId === snapshot.schemaId)) return refuse(`schema ${snapshot.schemaId} no longer exists`);

  const refName = set.refName;
  const guards = requirements.filter((r): r is AssertRefSnapshotId => r.type === 'assert-ref-snapshot-id' && r.ref === refName);
  if (guards.length !== 1) return refuse(`not exactly one assert-ref-snapshot-id on ${refName}`);
  const guard = guards[0]!;
  const otherRequirements = requirements.filter((r) => r !== guard);
  for (const requirement of otherRequirements) {
    const failure = failureOf(base, requirement);
    if (failure !== undefined) return refuse(`another requirement fails: ${failure}`);
  }
  const parentId = guard.snapshotId;
  if ((snapshot.parentSnapshotId ?? null) !== parentId) return refuse('the snapshot\'s parent is not the asserted snapshot');

  const byId = new Map(base.snapshots.map((s) => [s.snapshotId, s]));
  const parent = parentId === null ? undefined : byId.get(parentId);
  if (parentId !== null && parent === undefined) return refuse(`parent snapshot ${parentId} no longer exists`);
  const ref = ownValue(base.refs, refName);
  if (ref !== undefined && ref.type !== 'branch') return refuse(`${refName} is now a tag`);
  const head = ref === undefined ? undefined : byId.get(ref.snapshotId);
  if (ref !== undefined && head === undefined) return refuse(`${refName} points at a missing snapshot`);
  if (parentId !== null && (head === undefined || !isAncestorOrSelf(byId, parentId, head))) {
    return refuse(`${refName} no longer descends from ${parentId} (rolled back or replaced)`);
  }

  let firstRowId: Long | undefined;
  if (formatVersion >= ROW_LINEAGE_FORMAT_VERSION) {
    if (snapshot.firstRowId === undefined || snapshot.addedRows === undefined) return refuse('a v3 snapshot without first-row-id or added-rows');
    firstRowId = base.nextRowId;
  }
  return {
    ok: true,
    value: {
      refName,
      snapshot,
      setRef: set,
      parent,
      head,
      otherRequirements,
      sequenceNumber: base.lastSequenceNumber + 1n,
      firstRowId,
      formatVersion,
      baseLastUpdatedMs: base.lastUpdatedMs,
      specIds: new Set(base.partitionSpecs.map((s) => s.specId)),
      tableFolders,
    },
  };
}

/**
 * The table's location and its `write.metadata.path`: the rebased list is written next to S's and
 * S's files are read with the catalog's credentials, so a request may not point them elsewhere.
 */
function tableFoldersOf(base: TableMetadata): string[] {
  const folders = [base.location, ownValue(base.properties, METADATA_PATH)].filter((f): f is string => f !== undefined && f !== '');
  return folders.map((f) => (f.endsWith('/') ? f : `${f}/`));
}

function insideAny(location: string, folders: readonly string[]): boolean {
  return !location.split('/').includes('..') && folders.some((folder) => location.startsWith(folder));
}

function failureOf(base: TableMetadata, requirement: TableRequirement): string | undefined {
  try {
    checkRequirement(base, requirement);
    return undefined;
  } catch (error) {
    if (error instanceof CommitFailedError) return error.message;
    throw error;
  }
}

/** Walks parent-snapshot-id from `head` in the current metadata, looking for `ancestorId`. */
function isAncestorOrSelf(byId: ReadonlyMap<Long, Snapshot>, ancestorId: Long, head: Snapshot): boolean {
  let cursor: Snapshot | undefined = head;
  for (let steps = 0; cursor !== undefined && steps <= byId.size; steps++) {
    if (cursor.snapshotId === ancestorId) return true;
    cursor = cursor.parentSnapshotId === undefined ? undefined : byId.get(cursor.parentSnapshotId);
  }
  return false;
}

/** The manifests S adds: the entries of its list that S itself added. */
export function newManifestsOf(rebase: AppendRebase, list: readonly ManifestListEntry[]): ManifestListEntry[] {
  return list.filter((entry) => entry.added_snapshot_id === rebase.snapshot.snapshotId);
}

/**
 * The new manifests must be data manifests whose entries are all ADDED data files with inherited
 * sequence numbers (and, in v3, inherited row ids), in a partition spec that still exists. An
 * explicit data sequence number would leave the rebased rows older than deletes committed in
 * between; delete files would apply to rows other writers committed in between.
 */
export function checkNewManifests(rebase: AppendRebase, manifests: readonly { readonly entry: ManifestListEntry; readonly entries: readonly ManifestEntry[] }[]): RebaseDecision<void> {
  const snapshotId = rebase.snapshot.snapshotId;
  for (const { entry, entries } of manifests) {
    const where = entry.manifest_path;
    if (!insideAny(where, rebase.tableFolders)) return refuse(`${where} is outside the table's location`);
    if (entry.content !== DATA_CONTENT) return refuse(`${where} is a delete manifest`);
    if (!rebase.specIds.has(entry.partition_spec_id)) return refuse(`${where}: partition spec ${entry.partition_spec_id} no longer exists`);
    for (const file of entries) {
      if (file.status !== ADDED_STATUS) return refuse(`${where} has an entry that is not ADDED`);
      if (file.snapshot_id !== null && file.snapshot_id !== snapshotId) return refuse(`${where} has an entry of snapshot ${file.snapshot_id}`);
      if (file.sequence_number !== null || file.file_sequence_number !== null) return refuse(`${where} has an explicit sequence number`);
      if (file.data_file.content !== DATA_CONTENT) return refuse(`${where} holds a delete file`);
      if (file.data_file.first_row_id !== null) return refuse(`${where} has an explicit first_row_id`);
    }
  }
  return { ok: true, value: undefined };
}

/**
 * The rebased manifest list: S's new manifests, now at the new sequence number (and, in v3, shifted
 * to the table's next-row-id), followed by Y's manifests unchanged. S's list must be exactly its new
 * manifests plus X's manifests, which is what a fast append writes; otherwise the client meant
 * something else and the rebase is refused.
 */
export function rebasedManifestListEntries(
  rebase: AppendRebase,
  list: readonly ManifestListEntry[],
  parentList: readonly ManifestListEntry[],
  headList: readonly ManifestListEntry[],
): RebaseDecision<ManifestListEntry[]> {
  const added = newManifestsOf(rebase, list);
  const carried = list.filter((entry) => entry.added_snapshot_id !== rebase.snapshot.snapshotId);
  if (!samePaths(carried, parentList)) return refuse('the manifest list is not the new manifests plus the parent\'s manifests');

  let rowDelta = 0n;
  if (rebase.firstRowId !== undefined) {
    const first = rebase.snapshot.firstRowId!;
    const end = first + rebase.snapshot.addedRows!;
    for (const entry of added) {
      if (entry.first_row_id === null || entry.first_row_id < first || entry.first_row_id > end) return refuse(`${entry.manifest_path}: first_row_id outside the snapshot's row range`);
    }
    rowDelta = rebase.firstRowId - first;
  }
  const moved = added.map((entry) => ({
    ...entry,
    sequence_number: rebase.sequenceNumber,
    min_sequence_number: rebase.sequenceNumber,
    first_row_id: entry.first_row_id === null ? null : entry.first_row_id + rowDelta,
  }));
  const all = [...moved, ...headList];
  const orphan = all.find((entry) => entry.added_snapshot_id === null);
  if (orphan !== undefined) return refuse(`${orphan.manifest_path} has no added_snapshot_id`);
  return { ok: true, value: all };
}

function samePaths(left: readonly ManifestListEntry[], right: readonly ManifestListEntry[]): boolean {
  if (left.length !== right.length) return false;
  const paths = new Set(right.map((entry) => entry.manifest_path));
  return left.every((entry) => paths.has(entry.manifest_path));
}

/** The header of the rebased manifest list. */
export function rebasedManifestListHeader(rebase: AppendRebase): { snapshotId: Long; parentSnapshotId: Long | null; sequenceNumber: Long; firstRowId?: Long; formatVersion: 2 | 3 } {
  return {
    formatVersion: rebase.formatVersion,
    snapshotId: rebase.snapshot.snapshotId,
    parentSnapshotId: rebase.head?.snapshotId ?? null,
    sequenceNumber: rebase.sequenceNumber,
    ...(rebase.firstRowId === undefined ? {} : { firstRowId: rebase.firstRowId }),
  };
}

/**
 * The request as the client would have sent it had it built on Y: S' (parent Y, the new sequence
 * number and manifest list, totals carried over from Y, v3 row ids from the table's next-row-id),
 * guarded by `assert-ref-snapshot-id R = Y`.
 */
export function rebasedAppendRequest(
  rebase: AppendRebase,
  manifestList: string,
  now: Long,
): { requirements: TableRequirement[]; updates: TableUpdate[] } {
  const { snapshot, head } = rebase;
  const { parentSnapshotId: _parent, ...rest } = snapshot;
  const rebased: Snapshot = {
    ...rest,
    ...(head === undefined ? {} : { parentSnapshotId: head.snapshotId }),
    sequenceNumber: rebase.sequenceNumber,
    manifestList,
    timestampMs: snapshot.timestampMs < rebase.baseLastUpdatedMs ? now : snapshot.timestampMs,
    summary: rebasedSummary(snapshot.summary!, rebase.parent === undefined ? null : rebase.parent.summary, head === undefined ? null : head.summary),
    ...(rebase.firstRowId === undefined ? {} : { firstRowId: rebase.firstRowId }),
  };
  return {
    requirements: [...rebase.otherRequirements, { type: 'assert-ref-snapshot-id', ref: rebase.refName, snapshotId: head?.snapshotId ?? null }],
    updates: [
      { action: 'add-snapshot', snapshot: rebased },
      rebase.setRef,
    ],
  };
}

/**
 * Every `total-*` becomes Y's total + (S's total − X's total). `null` stands for no snapshot at all
 * (a first append, or a ref that does not exist yet) and counts as 0; a snapshot without the key (or
 * without a summary) leaves the total unknown, and the key is dropped, as Java drops totals it cannot
 * carry over.
 */
export function rebasedSummary(summary: SnapshotSummary, parent: SnapshotSummary | undefined | null, head: SnapshotSummary | undefined | null): SnapshotSummary {
  const result: Record<string, string> = { operation: summary.operation };
  for (const [key, value] of Object.entries(summary)) {
    if (key === 'operation') continue;
    if (!key.startsWith(TOTAL_PREFIX)) {
      result[key] = value;
      continue;
    }
    const ours = integerOf(value);
    const before = parent === null ? 0n : integerOf(parent?.[key]);
    const now = head === null ? 0n : integerOf(head?.[key]);
    if (ours === undefined || before === undefined || now === undefined) continue;
    const total = now + (ours - before);
    if (total < 0n) continue;
    result[key] = total.toString();
  }
  return result as SnapshotSummary;
}

function integerOf(value: string | undefined): bigint | undefined {
  return value !== undefined && /^-?\d+$/.test(value) ? BigInt(value) : undefined;
}
