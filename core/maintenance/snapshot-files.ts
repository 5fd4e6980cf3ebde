/**
 * The files a snapshot references, found one way for every caller (issue 12): its manifest list,
 * the manifests the list names (plus a v1 snapshot's inline `manifests`), and the data and delete
 * files those manifests name (entries of every status: a DELETED entry still names a file that
 * exists until its snapshots expire); and for a metadata file, its statistics and partition
 * statistics files and the older metadata files its log names.
 *
 * The purge, the deletion of expired files and orphan removal differ only in what they do with a
 * file they cannot read, so that is a parameter of each call (`ReadPolicy`), not a copy of the walk:
 * - `BEST_EFFORT` (the purge; a manifest already deleted by an earlier run): skip it;
 * - `FAIL_CLOSED` (what a retained snapshot reaches): throw `UnreadableReferenceError`, and the
 *   caller deletes nothing, since no file can be proven unused;
 * - `MISSING_IS_DONE` (snapshots only older metadata files name, whose files expiry may have
 *   removed already): a missing file is skipped, one that exists but cannot be read fails.
 * Confinement stays the caller's: `within` says where reads may go (a path elsewhere is never read
 * and counts as unreadable), and the FileIO is the catalog's confined one. A storage failure (an
 * error the FileIO throws that is not about the location) always propagates: skipping it would
 * make a transient outage look like a missing file.
 *
 * Each list and manifest is read at most once per walker, whatever the policies it is asked with.
 */
import { readManifest, readManifestList, type ManifestListEntry } from '../avro/iceberg-manifests.js';
import { InvalidLocationError } from '../catalog/locations/canonical-location.js';
import { LocationOutsideError } from '../catalog/locations/confinement.js';
import { mapLimit } from '../map-limit.js';
import type { Snapshot, TableMetadata } from '../metadata/types.js';

/** What a call does with a file that is missing, or that exists but cannot be read or parsed (or lies outside `within`). */
export interface ReadPolicy {
  readonly missing: 'skip' | 'fail';
  readonly unreadable: 'skip' | 'fail';
}
export const BEST_EFFORT: ReadPolicy = { missing: 'skip', unreadable: 'skip' };
export const FAIL_CLOSED: ReadPolicy = { missing: 'fail', unreadable: 'fail' };
export const MISSING_IS_DONE: ReadPolicy = { missing: 'skip', unreadable: 'fail' };

/** Lists and manifests read at once. */
export const READ_CONCURRENCY = 8;
/** Paths in messages are cut to this length (they are client input). */
const MAX_PATH_IN_MESSAGE = 200;

export type ReferenceKind = 'manifest list' | 'manifest';
export type UnreadableReason = 'missing' | 'outside' | 'unreadable';

/** A file a `fail` policy could not read: the caller must not delete anything the walk was to protect. */
export class UnreadableReferenceError extends Error {
  override readonly name = 'UnreadableReferenceError';
  constructor(
    readonly kind: ReferenceKind,
    readonly location: string,
    readonly reason: UnreadableReason,
    detail?: string,
  ) {
    const where = `${kind} '${location.slice(0, MAX_PATH_IN_MESSAGE)}'`;
    const why = reason === 'missing' ? 'is missing' : reason === 'outside' ? 'lies outside the locations that may be read' : `cannot be read${detail !== undefined ? `: ${detail}` : ''}`;
    super(`${where} ${why}`);
  }
}

/**
 * Thrown by a caller's `read` to say "this file cannot be read" rather than "storage failed": the
 * walker then applies the policy's `unreadable` instead of propagating.
 */
export class FileNotReadableError extends Error {
  override readonly name = 'FileNotReadableError';
}

export interface SnapshotFilesOptions {
  /** The file's bytes, or undefined when it does not exist. */
  readonly read: (location: string) => Promise<Uint8Array | undefined>;
  /** Where reads may go (e.g. `ScopedDeleter.within`); everywhere when absent. */
  readonly within?: (location: string) => boolean;
}

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: UnreadableReason; readonly detail?: string };

export class SnapshotFiles {
  private readonly lists = new Map<string, Promise<Outcome<readonly ManifestListEntry[]>>>();
  private readonly manifests = new Map<string, Promise<Outcome<readonly string[]>>>();

  constructor(private readonly options: SnapshotFilesOptions) {}

  /** The entries of a manifest list; undefined when the policy skips it. */
  async manifestListEntries(list: string, policy: ReadPolicy): Promise<readonly ManifestListEntry[] | undefined> {
    return apply('manifest list', list, policy, await once(this.lists, list, () => this.load(list, readManifestList)));
  }

  /** The manifests a manifest list names; undefined when the policy skips it. */
  async manifestsInList(list: string, policy: ReadPolicy): Promise<string[] | undefined> {
    return (await this.manifestListEntries(list, policy))?.map((entry) => entry.manifest_path);
  }

  /** A snapshot's manifests (v1 inline ones, then its list's); undefined when the policy skips its list. */
  async manifestsOf(snapshot: Snapshot, policy: ReadPolicy): Promise<string[] | undefined> {
    const inline = [...(snapshot.manifests ?? [])];
    if (snapshot.manifestList === undefined) return inline;
    const listed = await this.manifestsInList(snapshot.manifestList, policy);
    return listed === undefined ? undefined : [...new Set([...inline, ...listed])];
  }

  /** The data and delete files a manifest names (entries of every status); undefined when the policy skips it. */
  async contentFilesOf(manifest: string, policy: ReadPolicy): Promise<readonly string[] | undefined> {
    const parse = (bytes: Uint8Array): readonly string[] => readManifest(bytes).entries.map((entry) => entry.data_file.file_path);
    return apply('manifest', manifest, policy, await once(this.manifests, manifest, () => this.load(manifest, parse)));
  }

  /** Every manifest the snapshots reach, each once; lists the policy skips add nothing. */
  async manifestsOfAll(snapshots: readonly Snapshot[], policy: ReadPolicy): Promise<Set<string>> {
    const found = await mapLimit(snapshots, READ_CONCURRENCY, (snapshot) => this.manifestsOf(snapshot, policy));
    return new Set(found.flatMap((manifests) => manifests ?? []));
  }

  /** Each manifest's content files, by manifest; manifests the policy skips are left out. */
  async contentFilesOfAll(manifests: Iterable<string>, policy: ReadPolicy): Promise<Map<string, readonly string[]>> {
    const paths = [...new Set(manifests)];
    const found = await mapLimit(paths, READ_CONCURRENCY, (manifest) => this.contentFilesOf(manifest, policy));
    const out = new Map<string, readonly string[]>();
    for (const [index, files] of found.entries()) if (files !== undefined) out.set(paths[index]!, files);
    return out;
  }

  private async load<T>(location: string, parse: (bytes: Uint8Array) => T): Promise<Outcome<T>> {
    if (this.options.within !== undefined && !this.options.within(location)) return { ok: false, reason: 'outside' };
    let bytes: Uint8Array | undefined;
    try {
      bytes = await this.options.read(location);
    } catch (error) {
      if (error instanceof LocationOutsideError || error instanceof InvalidLocationError) return { ok: false, reason: 'outside' };
      if (error instanceof FileNotReadableError) return { ok: false, reason: 'unreadable', detail: error.message };
      throw error;
    }
    if (bytes === undefined) return { ok: false, reason: 'missing' };
    try {
      return { ok: true, value: parse(bytes) };
    } catch (error) {
      // Not an Avro file Iceberg would write (corrupt, hostile, or another format): unreadable.
      return { ok: false, reason: 'unreadable', detail: error instanceof Error ? error.message : String(error) };
    }
  }
}

function once<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let pending = cache.get(key);
  if (pending === undefined) {
    pending = load();
    cache.set(key, pending);
  }
  return pending;
}

function apply<T>(kind: ReferenceKind, location: string, policy: ReadPolicy, outcome: Outcome<T>): T | undefined {
  if (outcome.ok) return outcome.value;
  const action = outcome.reason === 'missing' ? policy.missing : policy.unreadable;
  if (action === 'skip') return undefined;
  throw new UnreadableReferenceError(kind, location, outcome.reason, outcome.detail);
}

/** The manifest lists of the snapshots (v1 snapshots with inline manifests have none), each once. */
export function manifestListsOf(snapshots: readonly Snapshot[]): Set<string> {
  return new Set(snapshots.flatMap((snapshot) => (snapshot.manifestList !== undefined ? [snapshot.manifestList] : [])));
}

/** The statistics and partition statistics files a metadata file names. */
export function statisticsFilesOf(metadata: TableMetadata): string[] {
  return [...metadata.statistics.map((s) => s.statisticsPath), ...metadata.partitionStatistics.map((s) => s.statisticsPath)];
}

/** The older metadata files a metadata file's log names, oldest first. */
export function metadataLogFilesOf(metadata: TableMetadata): string[] {
  return metadata.metadataLog.map((entry) => entry.metadataFile);
}
