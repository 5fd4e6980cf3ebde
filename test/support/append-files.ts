/**
 * The Avro files of one fast append, as an engine writes them before it commits: a data manifest
 * with one ADDED data file whose sequence numbers are inherited (null), and a manifest list made of
 * that manifest plus every manifest of the parent snapshot (read from the parent's list). Written
 * through a FileIO with If-None-Match, like the catalog's own files. The data file itself is only
 * named, never written: nothing here reads it. Used by the integration tests and the bench.
 */
import { randomUUID } from 'node:crypto';
import { DataFileContent, manifestListEntryInput, readManifest, readManifestList, writeManifest, writeManifestList, type DataFileInput, type ManifestListEntryInput } from '../../core/avro/index.js';
import type { FileIO } from '../../core/store/file-io.js';

type Json = Record<string, unknown>;
type SnapshotJson = { 'snapshot-id': number | bigint; 'manifest-list'?: string; summary?: Record<string, string> };

/** What the writer knows about the table when it prepares the append (from its last load). */
export interface AppendBase {
  readonly location: string;
  readonly formatVersion: 2 | 3;
  /** The branch head the append builds on (null: the first append). */
  readonly parentSnapshotId: bigint | null;
  /** The parent's manifest list, when there is a parent. */
  readonly parentManifestList?: string;
  /** last-sequence-number + 1, as the client assigns it. */
  readonly sequenceNumber: bigint;
  /** v3: the table's next-row-id, the snapshot's first-row-id. */
  readonly nextRowId?: bigint;
  readonly schemaId: number;
  /** The parent's summary, to carry `total-*` forward. */
  readonly parentSummary?: Readonly<Record<string, string>>;
}

/** Reads an AppendBase off a loadTable answer's `metadata`, building on `branch`. */
export function appendBaseOf(metadata: Json, branch = 'main'): AppendBase {
  const refs = (metadata['refs'] ?? {}) as Record<string, { 'snapshot-id': number | bigint }>;
  const head = refs[branch]?.['snapshot-id'];
  const parent = head === undefined ? undefined : ((metadata['snapshots'] ?? []) as SnapshotJson[]).find((s) => BigInt(s['snapshot-id']) === BigInt(head));
  const formatVersion = metadata['format-version'] as number;
  if (formatVersion !== 2 && formatVersion !== 3) throw new Error(`format version ${formatVersion}`);
  return {
    location: metadata['location'] as string,
    formatVersion,
    parentSnapshotId: head === undefined ? null : BigInt(head),
    ...(parent?.['manifest-list'] !== undefined ? { parentManifestList: parent['manifest-list'] } : {}),
    ...(parent?.summary !== undefined ? { parentSummary: parent.summary } : {}),
    sequenceNumber: BigInt((metadata['last-sequence-number'] as number | bigint | undefined) ?? 0) + 1n,
    ...(formatVersion >= 3 ? { nextRowId: BigInt((metadata['next-row-id'] as number | bigint | undefined) ?? 0) } : {}),
    schemaId: metadata['current-schema-id'] as number,
  };
}

/**
 * The CommitTableRequest of a fast append (Java's FastAppend): add-snapshot + set-snapshot-ref,
 * guarded by assert-ref-snapshot-id on the branch's head when the files were written.
 */
export function appendRequest(base: AppendBase, snapshotId: bigint, written: AppendFiles, options: { branch?: string; operation?: string } = {}): Json {
  const branch = options.branch ?? 'main';
  const total = (key: string, added: bigint): Record<string, string> => {
    const before = base.parentSnapshotId === null ? '0' : base.parentSummary?.[key];
    return before === undefined ? {} : { [key]: String(BigInt(before) + added) };
  };
  const snapshot: Json = {
    'snapshot-id': snapshotId,
    ...(base.parentSnapshotId !== null ? { 'parent-snapshot-id': base.parentSnapshotId } : {}),
    'sequence-number': base.sequenceNumber,
    'timestamp-ms': Date.now(),
    'manifest-list': written.manifestList,
    summary: {
      operation: options.operation ?? 'append',
      'added-data-files': '1',
      'added-records': String(written.records),
      ...total('total-data-files', 1n),
      ...total('total-records', written.records),
    },
    'schema-id': base.schemaId,
    ...(base.formatVersion >= 3 ? { 'first-row-id': base.nextRowId ?? 0n, 'added-rows': written.records } : {}),
  };
  return {
    requirements: [{ type: 'assert-ref-snapshot-id', ref: branch, 'snapshot-id': base.parentSnapshotId }],
    updates: [
      { action: 'add-snapshot', snapshot },
      { action: 'set-snapshot-ref', 'ref-name': branch, type: 'branch', 'snapshot-id': snapshotId },
    ],
  };
}

export interface AppendFiles {
  readonly manifestList: string;
  readonly manifest: string;
  readonly manifestLength: number;
  readonly dataFile: string;
  readonly records: bigint;
}

export const RECORDS_PER_APPEND = 10n;

/**
 * Writes the manifest and the manifest list of one append of one data file; returns their locations.
 * A retry passes the files of its previous attempt: the manifest is kept (as Java's FastAppend keeps
 * it) and only a new manifest list is written, on top of the new parent. `metrics` adds column
 * metrics (bounds, counts) to the data file's entry, for tests of what a scan prunes.
 */
export async function writeAppendFiles(
  files: FileIO,
  base: AppendBase,
  snapshotId: bigint,
  previous?: AppendFiles,
  metrics: Pick<DataFileInput, 'lower_bounds' | 'upper_bounds' | 'value_counts' | 'null_value_counts'> = {},
): Promise<AppendFiles> {
  const run = randomUUID();
  const records = previous?.records ?? RECORDS_PER_APPEND;
  const dataFile = previous?.dataFile ?? `${base.location}/data/${run}-00000.parquet`;
  const manifest = previous?.manifest ?? `${base.location}/metadata/${run}-m0.avro`;
  const manifestLength =
    previous?.manifestLength ??
    (await create(
      files,
      manifest,
      writeManifest(
        [{ status: 1, snapshot_id: snapshotId, data_file: { content: DataFileContent.DATA, file_path: dataFile, file_format: 'PARQUET', record_count: records, file_size_in_bytes: 1024, ...metrics } }],
        { formatVersion: base.formatVersion, content: 'data' },
      ),
    ));

  const carried: ManifestListEntryInput[] =
    base.parentManifestList === undefined ? [] : readManifestList(await mustRead(files, base.parentManifestList)).map(manifestListEntryInput);
  const ours: ManifestListEntryInput = {
    manifest_path: manifest,
    manifest_length: manifestLength,
    added_snapshot_id: snapshotId,
    sequence_number: base.sequenceNumber,
    min_sequence_number: base.sequenceNumber,
    added_files_count: 1,
    added_rows_count: records,
    ...(base.formatVersion >= 3 ? { first_row_id: base.nextRowId ?? 0n } : {}),
  };
  const manifestList = `${base.location}/metadata/snap-${snapshotId}-1-${run}.avro`;
  await create(
    files,
    manifestList,
    writeManifestList([ours, ...carried], {
      formatVersion: base.formatVersion,
      snapshotId,
      parentSnapshotId: base.parentSnapshotId,
      sequenceNumber: base.sequenceNumber,
      ...(base.formatVersion >= 3 ? { firstRowId: base.nextRowId ?? 0n } : {}),
    }),
  );
  return { manifestList, manifest, manifestLength, dataFile, records };
}

/** The data files main's current snapshot reaches: every entry of every manifest of its list. */
export async function dataFilesOf(files: FileIO, manifestList: string): Promise<string[]> {
  const paths: string[] = [];
  for (const entry of readManifestList(await mustRead(files, manifestList))) {
    for (const file of readManifest(await mustRead(files, entry.manifest_path)).entries) paths.push(file.data_file.file_path);
  }
  return paths;
}

/** Creates the file (If-None-Match); returns its length. */
async function create(files: FileIO, location: string, bytes: Uint8Array): Promise<number> {
  if ((await files.create(location, bytes)) !== 'created') throw new Error(`${location} already exists`);
  return bytes.length;
}

async function mustRead(files: FileIO, location: string): Promise<Uint8Array> {
  const bytes = await files.read(location);
  if (bytes === undefined) throw new Error(`${location} does not exist`);
  return bytes;
}
