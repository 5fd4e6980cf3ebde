/**
 * Manifest compaction (issue 12): a table written by many small appends carries one manifest per
 * append in every snapshot, and every reader plans a scan by opening all of them. When a branch
 * head has more than `catalog.maintenance.manifest-compaction.min-manifests` manifests, the small
 * data manifests (below `...target-size-bytes`) are merged, per partition spec, into manifests of
 * about the target size, as Iceberg's `RewriteManifests` does:
 * - metadata only: no data file is read, written or removed;
 * - every live entry is kept once, as EXISTING, with its snapshot id and data / file sequence
 *   numbers made explicit (what it inherited from the list stays what a reader sees); DELETED
 *   entries are dropped (they only mattered to the snapshot that deleted them);
 * - delete manifests and large manifests are carried over untouched;
 * - the result is a `replace` snapshot on the branch, whose parent is the old head.
 *
 * Safe beside live writers: the commit goes through commitTable guarded by
 * `assert-ref-snapshot-id` on the branch (and the table's uuid), so a writer that moved the branch
 * meanwhile wins; the compaction then deletes the files it wrote and waits for the next run. The
 * replaced manifests stay, reachable from the old head, until expiry removes that snapshot.
 *
 * Only format version 2: v1 tables have no sequence numbers to keep, and v3 row lineage would need
 * the rewritten manifests' first row ids carried exactly (left for later).
 * `planManifestCompaction` is the pure decision; `compactManifests` does the I/O around it.
 */
import {
  AvroError,
  ManifestContent,
  manifestListEntryInput,
  ManifestEntryStatus,
  readManifest,
  readManifestList,
  writeManifest,
  writeManifestList,
  type FieldSummaryInput,
  type Manifest,
  type ManifestEntry,
  type ManifestEntryInput,
  type ManifestListEntry,
  type ManifestListEntryInput,
  type ManifestPartitionField,
} from '../avro/index.js';
import type { CatalogContext } from '../catalog/context.js';
import { ScopedDeleter } from '../catalog/locations/confined-file-io.js';
import { confinementOf } from '../catalog/locations/confinement.js';
import { confinedRoots, tableOwnLocations } from '../catalog/locations/object-locations.js';
import { commitTable } from '../catalog/tables/commit-table.js';
import { findTablePointer, noSuchTable, type TableIdentifier } from '../catalog/tables/table-lookup.js';
import { CommitFailedError, CommitStateUnknownError } from '../errors.js';
import { mapLimit } from '../map-limit.js';
import { MAX_LONG, type Long } from '../metadata/long.js';
import type { Snapshot, TableMetadata, TableRequirement, TableUpdate } from '../metadata/types.js';
import type { ManifestCompactionPolicy } from './maintenance-policy.js';
import { READ_CONCURRENCY } from './snapshot-files.js';

/** Manifests one run rewrites at most (per branch); the rest waits for the next run. */
export const MAX_MANIFESTS_PER_RUN = 2_000;
/** Bytes of manifests one run reads at most (per branch), so a run fits a Lambda's memory and time. */
export const MAX_BYTES_PER_RUN = 256 * 1024 * 1024;
/** Branch heads compacted in one run: main first, then other branches with heads of their own. */
export const MAX_BRANCHES_PER_RUN = 10;
/** Java writes manifests and lists deflated by default (`write.avro.compression-codec=gzip`). */
const CODEC = 'deflate';
const MAIN = 'main';
/** Only v2 is rewritten (see the file comment). */
const COMPACTED_FORMAT_VERSION = 2;

// --- the plan (pure) -----------------------------------------------------------------------------

/** What the plan needs of a manifest-list entry. */
export type ManifestInfo = Pick<ManifestListEntry, 'manifest_path' | 'manifest_length' | 'partition_spec_id' | 'content'>;

export interface CompactionPlanInput {
  /** The branch head's manifest list, in list order. */
  readonly manifests: readonly ManifestInfo[];
  readonly policy: Pick<ManifestCompactionPolicy, 'minManifests' | 'targetSizeBytes'>;
  /** Manifests that may be read and replaced (inside the table's own locations); all when absent. */
  readonly eligible?: (path: string) => boolean;
  readonly maxManifests?: number;
  readonly maxBytes?: number;
}

/** Manifests of one partition spec merged into one new manifest. */
export interface ManifestGroup {
  readonly specId: number;
  readonly manifests: readonly string[];
  readonly bytes: number;
}

export interface CompactionPlan {
  readonly manifestsBefore: number;
  readonly groups: readonly ManifestGroup[];
  /** Manifests the head would have after the groups are merged. */
  readonly manifestsAfter: number;
  /** Why there is nothing to do. */
  readonly skipped?: 'below-threshold' | 'nothing-to-merge';
}

/**
 * Which manifests go into which new manifest. Only when the head has more than `minManifests`
 * manifests; only data manifests smaller than the target; grouped by partition spec id (a manifest
 * holds one spec); within a spec, consecutive manifests in list order fill a group up to the target
 * size, and a group of one is left alone (rewriting it changes nothing). Groups past the run's
 * bounds wait for the next run.
 */
export function planManifestCompaction(input: CompactionPlanInput): CompactionPlan {
  const before = input.manifests.length;
  const target = input.policy.targetSizeBytes;
  if (before <= input.policy.minManifests) return { manifestsBefore: before, groups: [], manifestsAfter: before, skipped: 'below-threshold' };
  const seen = new Set<string>();
  const bySpec = new Map<number, ManifestInfo[]>();
  for (const manifest of input.manifests) {
    if (seen.has(manifest.manifest_path)) continue;
    seen.add(manifest.manifest_path);
    if (manifest.content !== ManifestContent.DATA || Number(manifest.manifest_length) >= target) continue;
    if (input.eligible !== undefined && !input.eligible(manifest.manifest_path)) continue;
    bySpec.set(manifest.partition_spec_id, [...(bySpec.get(manifest.partition_spec_id) ?? []), manifest]);
  }
  const groups: ManifestGroup[] = [];
  let manifestsLeft = input.maxManifests ?? MAX_MANIFESTS_PER_RUN;
  let bytesLeft = input.maxBytes ?? MAX_BYTES_PER_RUN;
  for (const [specId, small] of bySpec) {
    let bin: ManifestInfo[] = [];
    let binBytes = 0;
    const close = (): void => {
      if (bin.length >= 2 && bin.length <= manifestsLeft && binBytes <= bytesLeft) {
        groups.push({ specId, manifests: bin.map((m) => m.manifest_path), bytes: binBytes });
        manifestsLeft -= bin.length;
        bytesLeft -= binBytes;
      }
      bin = [];
      binBytes = 0;
    };
    for (const manifest of small) {
      const length = Number(manifest.manifest_length);
      if (bin.length > 0 && binBytes + length > target) close();
      bin.push(manifest);
      binBytes += length;
    }
    close();
  }
  const rewritten = groups.reduce((sum, group) => sum + group.manifests.length, 0);
  return {
    manifestsBefore: before,
    groups,
    manifestsAfter: before - rewritten + groups.length,
    ...(groups.length === 0 ? { skipped: 'nothing-to-merge' as const } : {}),
  };
}

// --- one group's new manifest ---------------------------------------------------------------------

/** A group that cannot be merged safely: left as it is, with the reason in the report. */
class GroupRefused extends Error {}

interface SourceManifest {
  readonly listEntry: ManifestListEntry;
  readonly manifest: Manifest;
}

/**
 * An entry as it will be written: EXISTING, with what it inherited from the list made explicit.
 * Java's rule (`InheritableMetadataFactory`): a null data or file sequence number is inherited
 * from the manifest's only for an ADDED entry, or from a manifest of sequence number 0 (v1 files).
 */
export function existingEntry(entry: ManifestEntry, listEntry: Pick<ManifestListEntry, 'added_snapshot_id' | 'sequence_number' | 'manifest_path'>): ManifestEntryInput {
  const inherits = entry.status === ManifestEntryStatus.ADDED || listEntry.sequence_number === 0n;
  const snapshotId = entry.snapshot_id ?? listEntry.added_snapshot_id;
  const sequenceNumber = entry.sequence_number ?? (inherits ? listEntry.sequence_number : null);
  const fileSequenceNumber = entry.file_sequence_number ?? (inherits ? listEntry.sequence_number : null);
  if (snapshotId === null || sequenceNumber === null) {
    throw new GroupRefused(`an entry of ${listEntry.manifest_path.slice(0, 200)} has no snapshot id or sequence number to keep`);
  }
  return { status: ManifestEntryStatus.EXISTING, snapshot_id: snapshotId, sequence_number: sequenceNumber, file_sequence_number: fileSequenceNumber, data_file: entry.data_file };
}

type AvroJson = unknown;

/** The Avro type of each partition field of a manifest, by field id, as its writer declared it. */
function partitionAvroTypes(manifest: Manifest): Map<number, { name: string; avroType: AvroJson }> {
  const schema = JSON.parse(manifest.metadata['avro.schema'] ?? 'null') as { fields?: { name: string; type: AvroJson }[] } | null;
  const dataFile = schema?.fields?.find((f) => f.name === 'data_file')?.type as { fields?: { name: string; type: AvroJson }[] } | undefined;
  const partition = dataFile?.fields?.find((f) => f.name === 'partition')?.type as { fields?: { name: string; type: AvroJson; 'field-id'?: number }[] } | undefined;
  const out = new Map<number, { name: string; avroType: AvroJson }>();
  for (const field of partition?.fields ?? []) {
    const type = Array.isArray(field.type) ? field.type.filter((branch) => branch !== 'null') : [field.type];
    if (typeof field['field-id'] !== 'number' || type.length !== 1) throw new GroupRefused(`partition field ${field.name} has no field id or an unexpected type`);
    out.set(field['field-id'], { name: field.name, avroType: type[0] });
  }
  return out;
}

/** The spec's partition fields with the Avro types every source manifest agrees on. */
function partitionFieldsOf(metadata: TableMetadata, specId: number, sources: readonly SourceManifest[]): ManifestPartitionField[] {
  const spec = metadata.partitionSpecs.find((s) => s.specId === specId);
  if (spec === undefined) throw new GroupRefused(`partition spec ${specId} is not in the table metadata`);
  let agreed: string | undefined;
  let fields: ManifestPartitionField[] = [];
  for (const source of sources) {
    const types = partitionAvroTypes(source.manifest);
    if (types.size !== spec.fields.length) throw new GroupRefused(`a manifest of spec ${specId} has ${types.size} partition fields, the spec ${spec.fields.length}`);
    const mine = spec.fields.map((field): ManifestPartitionField => {
      const declared = types.get(field.fieldId);
      if (declared === undefined || declared.name !== field.name) throw new GroupRefused(`partition field ${field.fieldId} of spec ${specId} differs in a manifest`);
      return { name: field.name, fieldId: field.fieldId, sourceId: field.sourceId, transform: field.transform, avroType: declared.avroType };
    });
    const key = JSON.stringify(mine);
    if (agreed !== undefined && key !== agreed) throw new GroupRefused(`manifests of spec ${specId} declare different partition types (a promoted column)`);
    agreed = key;
    fields = mine;
  }
  return fields;
}

/**
 * Compares two partition bounds (Iceberg single-value serialisation) of the given Avro type;
 * undefined for a type this does not know, or a bound of the wrong width: the group is then left alone.
 */
export function compareBounds(avroType: AvroJson, a: Uint8Array, b: Uint8Array): number | undefined {
  const type = typeof avroType === 'string' ? avroType : (avroType as { type?: unknown }).type;
  const logical = typeof avroType === 'object' && avroType !== null ? (avroType as { logicalType?: unknown }).logicalType : undefined;
  const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sign = (x: number | bigint) => (x < 0 ? -1 : x > 0 ? 1 : 0);
  if (logical === 'decimal') return sign(twosComplement(a) - twosComplement(b));
  switch (type) {
    case 'int':
      return a.length === 4 && b.length === 4 ? sign(view(a).getInt32(0, true) - view(b).getInt32(0, true)) : undefined;
    case 'long':
      return a.length === 8 && b.length === 8 ? sign(view(a).getBigInt64(0, true) - view(b).getBigInt64(0, true)) : undefined;
    case 'float':
      return a.length === 4 && b.length === 4 ? sign(view(a).getFloat32(0, true) - view(b).getFloat32(0, true)) : undefined;
    case 'double':
      return a.length === 8 && b.length === 8 ? sign(view(a).getFloat64(0, true) - view(b).getFloat64(0, true)) : undefined;
    case 'boolean':
      return a.length === 1 && b.length === 1 ? sign(a[0]! - b[0]!) : undefined;
    // UTF-8 in byte order is code point order; binary, fixed and uuid compare unsigned.
    case 'string':
    case 'bytes':
    case 'fixed':
      return unsignedCompare(a, b);
    default:
      return undefined;
  }
}

function unsignedCompare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function twosComplement(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return bytes[0]! & 0x80 ? value - (1n << BigInt(bytes.length * 8)) : value;
}

/**
 * The partition summaries of the merged manifest, from those of its sources (readers prune
 * manifests with them, so they must cover every source): null anywhere, or a type whose bounds
 * cannot be compared, refuses the group rather than guess.
 */
function mergedSummaries(fields: readonly ManifestPartitionField[], sources: readonly SourceManifest[]): FieldSummaryInput[] {
  if (fields.length === 0) return [];
  return fields.map((field, index) => {
    let containsNull = false;
    let containsNan: boolean | null = false;
    let lower: Uint8Array | null = null;
    let upper: Uint8Array | null = null;
    for (const { listEntry } of sources) {
      const summary = listEntry.partitions?.length === fields.length ? listEntry.partitions[index] : undefined;
      if (summary === undefined) throw new GroupRefused(`${listEntry.manifest_path.slice(0, 200)} has no partition summaries`);
      containsNull ||= summary.contains_null;
      containsNan = containsNan === true || summary.contains_nan === true ? true : containsNan === null || summary.contains_nan === null ? null : false;
      const pick = (current: Uint8Array | null, next: Uint8Array | null, keep: (order: number) => boolean): Uint8Array | null => {
        if (next === null) return current;
        if (current === null) return next;
        const order = compareBounds(field.avroType, next, current);
        if (order === undefined) throw new GroupRefused(`partition field ${field.name}: bounds of type ${JSON.stringify(field.avroType).slice(0, 100)} cannot be compared`);
        return keep(order) ? next : current;
      };
      lower = pick(lower, summary.lower_bound, (order) => order < 0);
      upper = pick(upper, summary.upper_bound, (order) => order > 0);
    }
    return { contains_null: containsNull, contains_nan: containsNan, lower_bound: lower, upper_bound: upper };
  });
}

interface MergedGroup {
  /** The new manifest's list entry; undefined when no live entry was left (only DELETED ones). */
  readonly entry: ManifestListEntryInput | undefined;
  readonly entries: number;
}

async function mergeGroup(
  ctx: CatalogContext,
  metadata: TableMetadata,
  group: ManifestGroup,
  listEntries: ReadonlyMap<string, ManifestListEntry>,
  target: { readonly path: string; readonly snapshotId: Long; readonly sequenceNumber: Long },
  written: string[],
): Promise<MergedGroup> {
  const sources = await mapLimit(group.manifests, READ_CONCURRENCY, async (path): Promise<SourceManifest> => {
    const bytes = await ctx.files.read(path);
    if (bytes === undefined) throw new GroupRefused(`${path.slice(0, 200)} is missing`);
    let manifest: Manifest;
    try {
      manifest = readManifest(bytes);
    } catch (error) {
      throw new GroupRefused(`${path.slice(0, 200)} cannot be read: ${(error as Error).message}`);
    }
    if (manifest.content !== 'data') throw new GroupRefused(`${path.slice(0, 200)} is not a data manifest`);
    return { listEntry: listEntries.get(path)!, manifest };
  });
  const fields = partitionFieldsOf(metadata, group.specId, sources);
  const partitions = mergedSummaries(fields, sources);
  const entries = sources.flatMap(({ listEntry, manifest }) => manifest.entries.filter((e) => e.status !== ManifestEntryStatus.DELETED).map((e) => existingEntry(e, listEntry)));
  if (entries.length === 0) return { entry: undefined, entries: 0 };
  // The newest schema the sources were written with (a manifest's schema only describes its columns' stats).
  const newest = sources.reduce((a, b) => (Number(b.manifest.metadata['schema-id'] ?? -1) > Number(a.manifest.metadata['schema-id'] ?? -1) ? b : a));
  let bytes: Uint8Array;
  try {
    bytes = writeManifest(entries, {
      formatVersion: COMPACTED_FORMAT_VERSION,
      content: 'data',
      ...(newest.manifest.metadata['schema'] !== undefined ? { schema: newest.manifest.metadata['schema'] } : {}),
      ...(newest.manifest.metadata['schema-id'] !== undefined ? { schemaId: Number(newest.manifest.metadata['schema-id']) } : {}),
      partitionSpecId: group.specId,
      partitionFields: fields,
      codec: CODEC,
    });
  } catch (error) {
    // An entry or a partition value the v2 writer will not take: this group stays as it is.
    if (error instanceof AvroError) throw new GroupRefused(`manifests of spec ${group.specId} cannot be rewritten: ${error.message}`);
    throw error;
  }
  if ((await ctx.files.create(target.path, bytes)) !== 'created') throw new GroupRefused(`${target.path} already exists`);
  written.push(target.path);
  const sequenceNumbers = entries.map((e) => BigInt(e.sequence_number!));
  return {
    entry: {
      manifest_path: target.path,
      manifest_length: bytes.length,
      partition_spec_id: group.specId,
      content: ManifestContent.DATA,
      sequence_number: target.sequenceNumber,
      min_sequence_number: sequenceNumbers.reduce((a, b) => (b < a ? b : a)),
      added_snapshot_id: target.snapshotId,
      added_files_count: 0,
      existing_files_count: entries.length,
      deleted_files_count: 0,
      added_rows_count: 0,
      existing_rows_count: entries.reduce((sum, e) => sum + BigInt(e.data_file.record_count ?? 0), 0n),
      deleted_rows_count: 0,
      partitions,
    },
    entries: entries.length,
  };
}

// --- the run -------------------------------------------------------------------------------------

export type BranchCompactionStatus =
  /** The replace snapshot landed on the branch. */
  | 'committed'
  /** Dry run: what would be merged; nothing written. */
  | 'dry-run'
  /** Below the threshold, or no two small manifests to merge. */
  | 'nothing-to-do'
  /** A writer moved the branch first: the files written were deleted; the next run tries again. */
  | 'lost-race'
  /** The commit's outcome is unknown: the files written are kept (orphan removal finds them if it did not land). */
  | 'unknown'
  /** The head cannot be compacted here (why in `reason`). */
  | 'skipped';

export interface BranchCompaction {
  readonly branch: string;
  readonly status: BranchCompactionStatus;
  /** The head the run compacted (or would). */
  readonly headSnapshotId?: Long;
  /** The replace snapshot, when committed. */
  readonly snapshotId?: Long;
  readonly manifestsBefore: number;
  readonly manifestsAfter: number;
  /** Small manifests merged (dry run: that would be). */
  readonly manifestsReplaced: number;
  /** New manifests written (dry run: groups planned). */
  readonly manifestsCreated: number;
  /** Entries written into the new manifests (dry run: the list's file counts for the replaced manifests). */
  readonly entriesRewritten: number;
  /** Groups left alone, and why (no partition summaries, a missing manifest, ...). */
  readonly groupsRefused?: readonly string[];
  readonly reason?: string;
}

export interface ManifestCompactionReport {
  readonly branches: readonly BranchCompaction[];
  /** Why no branch was looked at (format version, disabled). */
  readonly skipped?: string;
}

export interface CompactManifestsOptions {
  readonly policy: ManifestCompactionPolicy;
  readonly dryRun?: boolean;
  /** Clock reading (ctx.clock) after which no further group is merged and no further branch started. */
  readonly deadlineMs?: number;
}

export async function compactManifests(ctx: CatalogContext, warehouse: string, id: TableIdentifier, options: CompactManifestsOptions): Promise<ManifestCompactionReport> {
  if (!options.policy.enabled) return { branches: [], skipped: 'catalog.maintenance.manifest-compaction.enabled is false' };
  const first = await loadTable(ctx, warehouse, id);
  if (first.formatVersion !== COMPACTED_FORMAT_VERSION) return { branches: [], skipped: `format version ${first.formatVersion}: only v2 manifests are compacted` };
  const branches: string[] = [];
  const heads = new Set<Long>();
  const names = Object.keys(first.refs).sort((a, b) => (a === MAIN ? -1 : b === MAIN ? 1 : a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const ref = first.refs[name]!;
    // A head shared with a branch already chosen is compacted once: the other keeps pointing at the old one.
    if (ref.type !== 'branch' || heads.has(ref.snapshotId) || branches.length >= MAX_BRANCHES_PER_RUN) continue;
    heads.add(ref.snapshotId);
    branches.push(name);
  }
  const reports: BranchCompaction[] = [];
  for (const branch of branches) {
    if (reports.length > 0 && options.deadlineMs !== undefined && ctx.clock.now() >= options.deadlineMs) break;
    reports.push(await compactBranch(ctx, warehouse, id, branch, options));
  }
  return { branches: reports };
}

async function loadTable(ctx: CatalogContext, warehouse: string, id: TableIdentifier): Promise<TableMetadata> {
  const found = await findTablePointer(ctx, warehouse, id, 'read');
  if (found === undefined) throw noSuchTable(id);
  return ctx.metadataFiles.read(found.pointer.value.metadataLocation);
}

async function compactBranch(ctx: CatalogContext, warehouse: string, id: TableIdentifier, branch: string, options: CompactManifestsOptions): Promise<BranchCompaction> {
  const metadata = await loadTable(ctx, warehouse, id);
  const none = { branch, manifestsBefore: 0, manifestsAfter: 0, manifestsReplaced: 0, manifestsCreated: 0, entriesRewritten: 0 };
  const ref = metadata.refs[branch];
  const head = ref === undefined ? undefined : metadata.snapshots.find((s) => s.snapshotId === ref.snapshotId);
  if (ref === undefined || ref.type !== 'branch' || head === undefined) return { ...none, status: 'skipped', reason: 'the branch is gone' };
  const skipped = (reason: string): BranchCompaction => ({ ...none, headSnapshotId: head.snapshotId, status: 'skipped', reason });
  if (head.manifestList === undefined) return skipped('the head has no manifest list');
  const deleter = new ScopedDeleter(ctx.files, confinedRoots(confinementOf(ctx.config), tableOwnLocations(metadata)));
  // New files go next to the head's list; only inside the table's own locations.
  if (!deleter.within(head.manifestList)) return skipped('the head manifest list lies outside the table location');
  const listBytes = await ctx.files.read(head.manifestList);
  if (listBytes === undefined) return skipped('the head manifest list is missing');
  let listEntries: ManifestListEntry[];
  try {
    listEntries = readManifestList(listBytes);
  } catch (error) {
    return skipped(`the head manifest list cannot be read: ${(error as Error).message}`);
  }

  const plan = planManifestCompaction({ manifests: listEntries, policy: options.policy, eligible: (path) => deleter.within(path) });
  const byPath = new Map(listEntries.map((entry) => [entry.manifest_path, entry]));
  const counts = { branch, headSnapshotId: head.snapshotId, manifestsBefore: plan.manifestsBefore };
  if (plan.groups.length === 0) return { ...none, ...counts, manifestsAfter: plan.manifestsBefore, status: 'nothing-to-do' };
  if (options.dryRun === true) {
    const replaced = plan.groups.flatMap((g) => g.manifests.map((path) => byPath.get(path)!));
    const entries = replaced.reduce((sum, e) => sum + (e.added_files_count ?? 0) + (e.existing_files_count ?? 0), 0);
    return { ...counts, status: 'dry-run', manifestsAfter: plan.manifestsAfter, manifestsReplaced: replaced.length, manifestsCreated: plan.groups.length, entriesRewritten: entries };
  }

  const snapshotId = newSnapshotId(ctx, metadata);
  const sequenceNumber = metadata.lastSequenceNumber + 1n;
  const folder = head.manifestList.slice(0, head.manifestList.lastIndexOf('/'));
  const commitUuid = ctx.newUuid();
  const written: string[] = [];
  try {
    const created: ManifestListEntryInput[] = [];
    const replaced = new Set<string>();
    const refused: string[] = [];
    let entriesRewritten = 0;
    for (const [index, group] of plan.groups.entries()) {
      if (created.length > 0 && options.deadlineMs !== undefined && ctx.clock.now() >= options.deadlineMs) break;
      try {
        const merged = await mergeGroup(ctx, metadata, group, byPath, { path: `${folder}/${commitUuid}-m${index}.avro`, snapshotId, sequenceNumber }, written);
        if (merged.entry !== undefined) created.push(merged.entry);
        for (const path of group.manifests) replaced.add(path);
        entriesRewritten += merged.entries;
      } catch (error) {
        if (!(error instanceof GroupRefused)) throw error;
        refused.push(error.message);
      }
    }
    const withRefused = refused.length > 0 ? { groupsRefused: refused } : {};
    if (replaced.size === 0) return { ...none, ...counts, ...withRefused, manifestsAfter: plan.manifestsBefore, status: 'nothing-to-do' };
    const kept = listEntries.filter((entry) => !replaced.has(entry.manifest_path)).map(manifestListEntryInput);
    const manifestList = `${folder}/snap-${snapshotId}-1-${commitUuid}.avro`;
    const list = writeManifestList([...created, ...kept], { formatVersion: COMPACTED_FORMAT_VERSION, snapshotId, parentSnapshotId: head.snapshotId, sequenceNumber, codec: CODEC });
    if ((await ctx.files.create(manifestList, list)) !== 'created') throw new CommitFailedError(`${manifestList} already exists`);
    written.push(manifestList);
    const result = {
      ...counts,
      ...withRefused,
      manifestsAfter: created.length + kept.length,
      manifestsReplaced: replaced.size,
      manifestsCreated: created.length,
      entriesRewritten,
    };
    const snapshot = replaceSnapshot(ctx, metadata, head, { snapshotId, sequenceNumber, manifestList }, result);
    const requirements: TableRequirement[] = [
      { type: 'assert-table-uuid', uuid: metadata.tableUuid },
      { type: 'assert-ref-snapshot-id', ref: branch, snapshotId: head.snapshotId },
    ];
    const updates: TableUpdate[] = [
      { action: 'add-snapshot', snapshot },
      {
        action: 'set-snapshot-ref',
        refName: branch,
        type: 'branch',
        snapshotId,
        // The branch keeps its own retention.
        ...(ref.minSnapshotsToKeep !== undefined ? { minSnapshotsToKeep: ref.minSnapshotsToKeep } : {}),
        ...(ref.maxSnapshotAgeMs !== undefined ? { maxSnapshotAgeMs: ref.maxSnapshotAgeMs } : {}),
        ...(ref.maxRefAgeMs !== undefined ? { maxRefAgeMs: ref.maxRefAgeMs } : {}),
      },
    ];
    await commitTable(ctx, warehouse, id, requirements, updates);
    return { ...result, status: 'committed', snapshotId };
  } catch (error) {
    // The commit may have landed: its files may be referenced, so they stay.
    if (error instanceof CommitStateUnknownError) return { ...none, ...counts, manifestsAfter: plan.manifestsBefore, status: 'unknown', reason: error.message };
    // Provably not committed: nothing can come to name these files.
    await mapLimit(written, READ_CONCURRENCY, (path) => ctx.files.delete(path).catch(() => undefined));
    if (error instanceof CommitFailedError) return { ...none, ...counts, manifestsAfter: plan.manifestsBefore, status: 'lost-race', reason: error.message };
    // A list entry the writer will not carry over (e.g. without added_snapshot_id): this head stays as it is.
    if (error instanceof AvroError) return skipped(`the head's manifests cannot be rewritten: ${error.message}`);
    throw error;
  }
}

/** The `replace` snapshot (Java's RewriteManifests summary: manifests created, kept, replaced, entries processed; totals unchanged). */
function replaceSnapshot(
  ctx: CatalogContext,
  metadata: TableMetadata,
  head: Snapshot,
  created: { readonly snapshotId: Long; readonly sequenceNumber: Long; readonly manifestList: string },
  counts: { readonly manifestsAfter: number; readonly manifestsReplaced: number; readonly manifestsCreated: number; readonly entriesRewritten: number },
): Snapshot {
  const totals = Object.fromEntries(Object.entries(head.summary ?? {}).filter(([key]) => key.startsWith('total-')));
  return {
    snapshotId: created.snapshotId,
    parentSnapshotId: head.snapshotId,
    sequenceNumber: created.sequenceNumber,
    // Never before the head: a writer's clock may run ahead of ours.
    timestampMs: BigInt(Math.max(ctx.clock.now(), Number(head.timestampMs))),
    manifestList: created.manifestList,
    summary: {
      operation: 'replace',
      'manifests-created': String(counts.manifestsCreated),
      'manifests-kept': String(counts.manifestsAfter - counts.manifestsCreated),
      'manifests-replaced': String(counts.manifestsReplaced),
      'entries-processed': String(counts.entriesRewritten),
      ...totals,
    },
    schemaId: metadata.currentSchemaId,
  };
}

/** A positive 63-bit id no snapshot of the table has, from the context's uuid source (reproducible in tests). */
function newSnapshotId(ctx: CatalogContext, metadata: TableMetadata): Long {
  const taken = new Set(metadata.snapshots.map((s) => s.snapshotId));
  for (;;) {
    const id = BigInt(`0x${ctx.newUuid().replace(/-/g, '').slice(0, 16)}`) & MAX_LONG;
    if (id !== 0n && !taken.has(id)) return id;
  }
}
