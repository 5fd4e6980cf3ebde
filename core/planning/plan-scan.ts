/**
 * Server-side scan planning (issue 13, the REST spec's planTableScan): the files a scan of one
 * snapshot reads, with the delete files that apply to each and the filter each still has to apply.
 *
 * 1. Snapshot: `snapshotId`, else main's head; a table without snapshots plans nothing. An
 *    incremental scan (`startSnapshotId`, exclusive, to `endSnapshotId`, inclusive, default main's
 *    head) plans the data files the `append` snapshots of that range added, read from their own
 *    manifest lists, as Java's IncrementalAppendScan does: other snapshots in the range
 *    (overwrite, delete, replace) are skipped, the start must be an ancestor of the end, and no
 *    delete files are attached.
 * 2. Schema: the snapshot's with `useSnapshotSchema`, else the current one; the filter is bound to
 *    it (`caseSensitive`), and `select` and `statsFields` must name its columns.
 * 3. Manifests: the manifest list, then each manifest whose partition summaries might match the
 *    filter projected onto its spec (one projection per spec), at most MANIFEST_READ_CONCURRENCY at
 *    once. Only the table's own locations are read (as maintenance reads, snapshot-files.ts): a
 *    list or manifest elsewhere, missing or corrupt is an UnreadableScanFileError, never read.
 * 4. Files: live (ADDED, EXISTING) data files whose partition and metrics might match, each a
 *    FileScanTask with its residual (`residual-filter`, when there is a filter) and the indexes of
 *    its delete files in `deleteFiles` (scan/delete-index.ts for the sequence-number rules).
 *
 * One plan reads at most MAX_PLAN_MANIFESTS manifests and MAX_PLAN_ENTRIES manifest entries, and a
 * larger scan is a ScanTooLargeError. The next step is to answer a larger scan with `plan-tasks`
 * (groups of manifests fetched through fetchScanTasks) instead of refusing it.
 *
 * Values in the result are the spec's JSON (content files as scan/content-file-json.ts writes them);
 * longs are bigints, for the lossless JSON writer. Sequence numbers, snapshot ids and v3 first row
 * ids a manifest entry leaves null are inherited from its manifest, as readers must.
 *
 * Where this differs from Java's planning: equality deletes are matched by partition and sequence
 * number only (Java also skips those whose column bounds cannot overlap the data file's: a plan
 * here may list a delete a reader then finds applies to no row); `min-rows-requested` is a hint
 * that is not used; a v1 snapshot listing its manifests inline (no manifest list) is an
 * UnsupportedOperationError.
 */
import {
  DataFileContent,
  ManifestContent,
  ManifestEntryStatus,
  readManifest,
  readManifestList,
  type DataFile,
  type ManifestEntry,
  type ManifestListEntry,
} from '../avro/iceberg-manifests.js';
import type { CatalogContext } from '../catalog/context.js';
import { BadRequestError, IllegalArgumentError, UnsupportedOperationError } from '../errors.js';
import type { JsonObject } from '../json/lossless-json.js';
import type { Long } from '../metadata/long.js';
import { indexSchemaFields, type IndexedField } from '../metadata/schema-index.js';
import type { IcebergType, PartitionSpec, Schema, Snapshot, TableMetadata } from '../metadata/types.js';
import { mapLimit } from '../map-limit.js';
import { ALWAYS_TRUE, bindExpression, serializeBoundExpression, type BoundExpression, type UnboundExpression } from './expressions/index.js';
import {
  fileMightMatch,
  manifestMightMatch,
  partitionFieldsOf,
  partitionMightMatch,
  projectInclusive,
  residualFor,
  type PartitionFieldInfo,
} from './pruning/index.js';
import { readConfined, tableReader, type ConfinedReader } from './scan/confined-reads.js';
import { dataFileJson, deleteFileJson, partitionJson } from './scan/content-file-json.js';
import { DeleteFileIndex, type IndexedDelete } from './scan/delete-index.js';
import { ScanTooLargeError, UnreadableScanFileError } from './scan/scan-errors.js';

export { ScanTooLargeError, UnreadableScanFileError } from './scan/scan-errors.js';

/** Manifests one plan may read. */
export const MAX_PLAN_MANIFESTS = 10_000;
/** Manifest entries one plan may read. */
export const MAX_PLAN_ENTRIES = 1_000_000;
/** Manifests read at once (as maintenance's walk). */
export const MANIFEST_READ_CONCURRENCY = 8;

/** A validated PlanTableScanRequest. */
export interface ScanRequest {
  readonly snapshotId?: Long;
  readonly filter?: UnboundExpression;
  readonly select?: readonly string[];
  /** Default true. */
  readonly caseSensitive?: boolean;
  /** Default false. */
  readonly useSnapshotSchema?: boolean;
  readonly startSnapshotId?: Long;
  readonly endSnapshotId?: Long;
  readonly statsFields?: readonly string[];
  /** A hint only; every matching file is planned. */
  readonly minRowsRequested?: Long;
}

/** The ScanTasks of a completed plan. */
export interface ScanPlan {
  /** The snapshot scanned (the end of an incremental scan); null for a table without snapshots. */
  readonly snapshotId: Long | null;
  /** FileScanTask JSON: `data-file`, `delete-file-references`, `residual-filter`. */
  readonly fileScanTasks: JsonObject[];
  /** DeleteFile JSON, referenced by index from the tasks. */
  readonly deleteFiles: JsonObject[];
}

/** What planScan throws (besides storage failures, which propagate). */
export type PlanScanError = IllegalArgumentError | BadRequestError | UnsupportedOperationError | ScanTooLargeError | UnreadableScanFileError;

interface SpecEvaluator {
  readonly specId: number;
  readonly fields: readonly PartitionFieldInfo[];
  /** The filter projected onto the spec's partition fields. */
  readonly partitionFilter: BoundExpression;
  readonly unpartitioned: boolean;
}

/** What to plan: the snapshot whose manifests are read, and for an incremental scan the snapshots whose additions count. */
interface Selection {
  readonly snapshot: Snapshot;
  readonly appends?: ReadonlySet<Long>;
}

export async function planScan(ctx: CatalogContext, table: { readonly metadata: TableMetadata }, request: ScanRequest): Promise<ScanPlan> {
  const metadata = table.metadata;
  const selection = selectSnapshot(metadata, request);
  const schema = scanSchema(metadata, selection?.snapshot, request.useSnapshotSchema === true);
  const caseSensitive = request.caseSensitive ?? true;
  const filter = request.filter === undefined ? ALWAYS_TRUE : bindExpression(request.filter, schema, { caseSensitive });
  const columns = indexSchemaFields(schema.fields);
  for (const name of request.select ?? []) resolveColumn(columns, name, caseSensitive, 'select');
  const statsColumns = new Map<number, IcebergType>();
  for (const name of request.statsFields ?? []) {
    const column = resolveColumn(columns, name, caseSensitive, 'stats-fields');
    statsColumns.set(column.id, column.type);
  }
  if (selection === undefined) return { snapshotId: null, fileScanTasks: [], deleteFiles: [] };

  const reader = tableReader(ctx, metadata);
  const evaluators = new Map<number, SpecEvaluator>();
  const evaluatorFor = (specId: number, location: string): SpecEvaluator => {
    let evaluator = evaluators.get(specId);
    if (evaluator === undefined) {
      const spec = metadata.partitionSpecs.find((candidate) => candidate.specId === specId);
      if (spec === undefined) throw new UnreadableScanFileError('manifest', location, 'unreadable', { cause: new Error(`unknown partition spec ${specId}`) });
      evaluator = specEvaluator(spec, schema, filter);
      evaluators.set(specId, evaluator);
    }
    return evaluator;
  };

  const listed = await manifestsToScan(reader, metadata, selection);
  const surviving = listed.filter((manifest) => {
    if (selection.appends !== undefined && (manifest.content !== ManifestContent.DATA || !selection.appends.has(manifest.added_snapshot_id ?? -1n))) return false;
    const evaluator = evaluatorFor(manifest.partition_spec_id, manifest.manifest_path);
    return manifestMightMatch(evaluator.partitionFilter, evaluator.fields, manifest.partitions);
  });
  checkManifestBudget(surviving);

  let entriesRead = 0;
  const manifests = await mapLimit(surviving, MANIFEST_READ_CONCURRENCY, async (manifest) => {
    const entries = withInheritedRowIds(await readConfined(reader, 'manifest', manifest.manifest_path, (bytes) => readManifest(bytes).entries), manifest);
    entriesRead += entries.length;
    if (entriesRead > MAX_PLAN_ENTRIES) throw new ScanTooLargeError(`The scan reads more than ${MAX_PLAN_ENTRIES} manifest entries; planning it in one response is not supported`);
    return { manifest, entries };
  });

  const { data, deletes } = collectLiveFiles(manifests, evaluatorFor, filter, selection.appends);
  const index = new DeleteFileIndex(deletes);
  const fileScanTasks = data.map((live): JsonObject => {
    const references = index.referencesFor({ path: live.file.file_path, sequenceNumber: live.sequenceNumber, partitionKey: live.partitionKey });
    return {
      'data-file': dataFileJson(live.file, live.evaluator, statsColumns),
      ...(references.length > 0 ? { 'delete-file-references': references } : {}),
      ...(request.filter !== undefined ? { 'residual-filter': serializeBoundExpression(residualFor(filter, live.evaluator.fields, live.file.partition)) } : {}),
    };
  });
  return { snapshotId: selection.snapshot.snapshotId, fileScanTasks, deleteFiles: index.deleteFiles() };
}

interface LiveFile {
  readonly file: DataFile;
  readonly evaluator: SpecEvaluator;
  /** The data sequence number, inherited from the manifest when the entry leaves it null. */
  readonly sequenceNumber: bigint;
  readonly partitionKey: string;
}

/**
 * The live files of the manifests that might match: data files (from data manifests) whose
 * partition and metrics might match, and delete files (from delete manifests) whose partition
 * might. An incremental scan keeps only the data files its append snapshots ADDED.
 */
function collectLiveFiles(
  manifests: readonly { readonly manifest: ManifestListEntry; readonly entries: readonly ManifestEntry[] }[],
  evaluatorFor: (specId: number, location: string) => SpecEvaluator,
  filter: BoundExpression,
  appends: ReadonlySet<Long> | undefined,
): { data: LiveFile[]; deletes: IndexedDelete[] } {
  const data: LiveFile[] = [];
  const deletes: IndexedDelete[] = [];
  for (const { manifest, entries } of manifests) {
    const evaluator = evaluatorFor(manifest.partition_spec_id, manifest.manifest_path);
    const isDeletes = manifest.content === ManifestContent.DELETES;
    for (const entry of entries) {
      const file = entry.data_file;
      if (entry.status === ManifestEntryStatus.DELETED || (file.content === DataFileContent.DATA) === isDeletes) continue;
      if (appends !== undefined && (entry.status !== ManifestEntryStatus.ADDED || !appends.has(entry.snapshot_id ?? manifest.added_snapshot_id ?? -1n))) continue;
      if (!partitionMightMatch(evaluator.partitionFilter, evaluator.fields, file.partition)) continue;
      if (!isDeletes && !fileMightMatch(filter, file)) continue;
      const live = liveFile(entry, manifest, evaluator);
      if (!isDeletes) data.push(live);
      else deletes.push({ ...live, specId: evaluator.specId, unpartitioned: evaluator.unpartitioned, json: deleteFileJson(file, evaluator) });
    }
  }
  return { data, deletes };
}

/**
 * v3 row lineage: a data file whose entry leaves `first_row_id` null takes the manifest's
 * `first_row_id` plus the records of the files before it in the manifest that inherit too (Java's
 * ManifestReader, over the entries in file order).
 */
function withInheritedRowIds(entries: readonly ManifestEntry[], manifest: ManifestListEntry): readonly ManifestEntry[] {
  if (manifest.first_row_id === null || manifest.content !== ManifestContent.DATA) return entries;
  let next = manifest.first_row_id;
  return entries.map((entry) => {
    const file = entry.data_file;
    if (file.content !== DataFileContent.DATA || file.first_row_id !== null) return entry;
    const firstRowId = next;
    next += file.record_count;
    return { ...entry, data_file: { ...file, first_row_id: firstRowId } };
  });
}

function liveFile(entry: ManifestEntry, manifest: ManifestListEntry, evaluator: SpecEvaluator): LiveFile {
  const partition = partitionJson(evaluator.fields, entry.data_file.partition);
  return {
    file: entry.data_file,
    evaluator,
    sequenceNumber: entry.sequence_number ?? manifest.sequence_number,
    partitionKey: `${evaluator.specId}:${JSON.stringify(partition, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))}`,
  };
}

function specEvaluator(spec: PartitionSpec, schema: Schema, filter: BoundExpression): SpecEvaluator {
  const fields = partitionFieldsOf(spec, schema);
  const unpartitioned = spec.fields.every((field) => field.transform === 'void');
  return { specId: spec.specId, fields, partitionFilter: projectInclusive(filter, fields), unpartitioned };
}

/**
 * The manifests to consider: the snapshot's; for an incremental scan, those of each append
 * snapshot in the range (as Java: a later rewrite of the manifests, or a later snapshot's delete,
 * must not hide the files an append added), each once.
 */
async function manifestsToScan(reader: ConfinedReader, metadata: TableMetadata, selection: Selection): Promise<readonly ManifestListEntry[]> {
  if (selection.appends === undefined) return manifestsOf(reader, selection.snapshot);
  const appends = metadata.snapshots.filter((snapshot) => selection.appends!.has(snapshot.snapshotId));
  if (appends.length > MAX_PLAN_MANIFESTS) {
    throw new ScanTooLargeError(`The scan reads the manifest lists of ${appends.length} snapshots, more than ${MAX_PLAN_MANIFESTS}; planning it in one response is not supported`);
  }
  const lists = await mapLimit(appends, MANIFEST_READ_CONCURRENCY, (snapshot) => manifestsOf(reader, snapshot));
  const byPath = new Map<string, ManifestListEntry>();
  for (const manifest of lists.flat()) if (!byPath.has(manifest.manifest_path)) byPath.set(manifest.manifest_path, manifest);
  return [...byPath.values()];
}

async function manifestsOf(reader: ConfinedReader, snapshot: Snapshot): Promise<readonly ManifestListEntry[]> {
  if (snapshot.manifestList === undefined) {
    if ((snapshot.manifests ?? []).length === 0) return [];
    throw new UnsupportedOperationError(`Snapshot ${snapshot.snapshotId} lists its manifests inline (format v1); planning it is not supported`);
  }
  return readConfined(reader, 'manifest list', snapshot.manifestList, (bytes) => readManifestList(bytes));
}

function checkManifestBudget(manifests: readonly ManifestListEntry[]): void {
  if (manifests.length > MAX_PLAN_MANIFESTS) {
    throw new ScanTooLargeError(`The scan reads ${manifests.length} manifests, more than ${MAX_PLAN_MANIFESTS}; planning it in one response is not supported`);
  }
  // The list's counts say in advance how many entries the manifests hold (when the writer kept them).
  const entries = manifests.reduce((sum, m) => sum + (m.added_files_count ?? 0) + (m.existing_files_count ?? 0) + (m.deleted_files_count ?? 0), 0);
  if (entries > MAX_PLAN_ENTRIES) {
    throw new ScanTooLargeError(`The scan reads ${entries} manifest entries, more than ${MAX_PLAN_ENTRIES}; planning it in one response is not supported`);
  }
}

function snapshotById(metadata: TableMetadata, id: Long, what: string): Snapshot {
  const snapshot = metadata.snapshots.find((candidate) => candidate.snapshotId === id);
  if (snapshot === undefined) throw new IllegalArgumentError(`Cannot find ${what} snapshot with ID ${id}`);
  return snapshot;
}

function mainHead(metadata: TableMetadata): Long | undefined {
  return metadata.refs['main']?.snapshotId ?? metadata.currentSnapshotId ?? undefined;
}

function selectSnapshot(metadata: TableMetadata, request: ScanRequest): Selection | undefined {
  const incremental = request.startSnapshotId !== undefined || request.endSnapshotId !== undefined;
  if (!incremental) {
    const id = request.snapshotId ?? mainHead(metadata);
    return id === undefined ? undefined : { snapshot: snapshotById(metadata, id, 'the') };
  }
  if (request.snapshotId !== undefined) throw new BadRequestError('snapshot-id cannot be combined with start-snapshot-id or end-snapshot-id');
  const endId = request.endSnapshotId ?? mainHead(metadata);
  if (endId === undefined) throw new IllegalArgumentError('An incremental scan needs an end snapshot: the table has no snapshots');
  const end = snapshotById(metadata, endId, 'the end');
  const start = request.startSnapshotId;
  if (start !== undefined) snapshotById(metadata, start, 'the start');
  const appends = new Set<Long>();
  const seen = new Set<Long>();
  let current: Snapshot | undefined = end;
  while (current !== undefined && current.snapshotId !== start && !seen.has(current.snapshotId)) {
    seen.add(current.snapshotId);
    if (current.summary?.operation === 'append') appends.add(current.snapshotId);
    const parent: Long | undefined = current.parentSnapshotId;
    current = parent === undefined ? undefined : metadata.snapshots.find((candidate) => candidate.snapshotId === parent);
  }
  if (start !== undefined && current?.snapshotId !== start) {
    throw new IllegalArgumentError(`Starting snapshot (exclusive) ${start} is not a parent ancestor of end snapshot ${endId}`);
  }
  return { snapshot: end, appends };
}

function scanSchema(metadata: TableMetadata, snapshot: Snapshot | undefined, useSnapshotSchema: boolean): Schema {
  const id = useSnapshotSchema && snapshot?.schemaId !== undefined ? snapshot.schemaId : metadata.currentSchemaId;
  const schema = metadata.schemas.find((candidate) => candidate.schemaId === id);
  if (schema === undefined) throw new IllegalArgumentError(`Cannot find schema with ID ${id}`);
  return schema;
}

function resolveColumn(columns: ReturnType<typeof indexSchemaFields>, name: string, caseSensitive: boolean, where: string): IndexedField {
  const exact = columns.byName.get(name);
  if (exact !== undefined) return exact;
  if (!caseSensitive) {
    const lower = name.toLowerCase();
    for (const [candidate, field] of columns.byName) if (candidate.toLowerCase() === lower) return field;
  }
  throw new IllegalArgumentError(`${where}: cannot find field '${name.slice(0, 200)}' in the scan schema`);
}
