/**
 * The I/O half of the server-side rebase of fast appends (`catalog.rebase-appends=true`; the rules
 * are in core/metadata/rebase-append.ts): read S's manifest list, X's and Y's, and S's new
 * manifests; write the rebased list next to S's with If-None-Match; hand back the request rewritten
 * against Y. The client's own list is left alone (Java's client deletes its uncommitted list).
 */
import { AvroError, manifestListEntryInput, readManifest, readManifestList, writeManifestList } from '../../avro/index.js';
import {
  checkNewManifests,
  newManifestsOf,
  planAppendRebase,
  rebasedAppendRequest,
  rebasedManifestListEntries,
  rebasedManifestListHeader,
  type TableMetadata,
  type TableRequirement,
  type TableUpdate,
} from '../../metadata/index.js';
import { UnsupportedLocationError } from '../../store/file-io.js';
import { isRefusedByStorage } from '../../store/storage-refusal.js';
import type { CatalogContext } from '../context.js';

/** Java writes manifest lists deflated by default (`write.avro.compression-codec=gzip`). */
const REBASED_LIST_CODEC = 'deflate';

export interface RebasedAppend {
  readonly requirements: readonly TableRequirement[];
  readonly updates: readonly TableUpdate[];
  /** The manifest list written for it: discard it if the commit does not land. */
  readonly manifestList: string;
}

export type RebaseAttempt = { readonly rebased: RebasedAppend } | { readonly refused: string };

class Refused extends Error {}

/**
 * Manifest lists and manifests are immutable, so the files one request reads (its own list, the
 * parent's, its new manifests, earlier heads) are read once however often it has to rebase.
 */
export type ImmutableFileCache = Map<string, Promise<Uint8Array | undefined>>;

/**
 * Rebases an append that failed on `base` onto the ref's current snapshot, or says why not. `round`
 * numbers the rebases of one request (`snap-<id>-r<round>-<uuid>.avro`).
 */
export async function rebaseAppend(
  ctx: CatalogContext,
  base: TableMetadata,
  requirements: readonly TableRequirement[],
  updates: readonly TableUpdate[],
  round: number,
  cache: ImmutableFileCache = new Map(),
  deferred?: DeferredWrites,
): Promise<RebaseAttempt> {
  const plan = planAppendRebase(base, requirements, updates);
  if (!plan.ok) return { refused: plan.reason };
  const rebase = plan.value;
  const listLocation = rebase.snapshot.manifestList!;
  const read = (location: string) => readFile(ctx, cache, location);
  try {
    const [list, parentList, headList] = await Promise.all([
      read(listLocation).then(readManifestList),
      rebase.parent === undefined ? [] : read(manifestListOf(rebase.parent)).then(readManifestList),
      rebase.head === undefined ? [] : read(manifestListOf(rebase.head)).then(readManifestList),
    ]);
    const added = newManifestsOf(rebase, list);
    const manifests = await Promise.all(added.map(async (entry) => ({ entry, entries: readManifest(await read(entry.manifest_path)).entries })));
    const checked = checkNewManifests(rebase, manifests);
    if (!checked.ok) return { refused: checked.reason };
    const entries = rebasedManifestListEntries(rebase, list, parentList, headList);
    if (!entries.ok) return { refused: entries.reason };

    const bytes = writeManifestList(entries.value.map(manifestListEntryInput), { ...rebasedManifestListHeader(rebase), codec: REBASED_LIST_CODEC });
    const manifestList = `${folderOf(listLocation)}/snap-${rebase.snapshot.snapshotId}-r${round}-${ctx.newUuid()}.avro`;
    // A group commit rebases the next append onto this one: its head list is read from here.
    cache.set(manifestList, Promise.resolve(bytes));
    if (deferred !== undefined) {
      deferred.push(ctx.files.create(manifestList, bytes).then((created) => created === 'created'));
    } else if ((await ctx.files.create(manifestList, bytes)) !== 'created') {
      return { refused: `${manifestList} already exists` };
    }
    const request = rebasedAppendRequest(rebase, manifestList, BigInt(ctx.clock.now()));
    return { rebased: { ...request, manifestList } };
  } catch (error) {
    // A list or manifest that is missing or unreadable: the client's 409 stands, it rebuilds anyway.
    if (error instanceof Refused || error instanceof AvroError || error instanceof UnsupportedLocationError || isRefusedByStorage(error)) {
      return { refused: error instanceof Error ? error.message : String(error) };
    }
    throw error;
  }
}

/**
 * Writes a group commit starts without waiting (each rebased list is only needed once the metadata
 * file naming it is written): true when the file was created. The fold awaits them all first.
 */
export type DeferredWrites = Promise<boolean>[];

/**
 * Reads, all at once, what rebasing this append will read one by one (its manifest list, its parent's,
 * its new manifests) into the cache, so that a fold of many appends waits for the store about once.
 * Best effort: anything it cannot plan or read is left for the rebase itself to meet and report.
 */
export async function prefetchAppend(ctx: CatalogContext, base: TableMetadata, requirements: readonly TableRequirement[], updates: readonly TableUpdate[], cache: ImmutableFileCache): Promise<void> {
  const plan = planAppendRebase(base, requirements, updates);
  if (!plan.ok || plan.value.snapshot.manifestList === undefined) return;
  const rebase = plan.value;
  try {
    const parentList = rebase.parent?.manifestList;
    if (parentList !== undefined) void readFile(ctx, cache, parentList).catch(() => undefined);
    const list = readManifestList(await readFile(ctx, cache, rebase.snapshot.manifestList!));
    await Promise.all(newManifestsOf(rebase, list).map((entry) => readFile(ctx, cache, entry.manifest_path)));
  } catch {
    // The rebase reads again and refuses with the reason.
  }
}

/** A rebased list whose commit did not land: nobody references it. */
export async function discardRebasedList(ctx: CatalogContext, rebased: RebasedAppend | undefined): Promise<void> {
  // Best effort: an orphaned list is garbage, never a reason to fail the request.
  if (rebased !== undefined) await ctx.files.delete(rebased.manifestList).catch(() => undefined);
}

function manifestListOf(snapshot: { readonly snapshotId: bigint; readonly manifestList?: string }): string {
  if (snapshot.manifestList === undefined) throw new Refused(`snapshot ${snapshot.snapshotId} has no manifest list`);
  return snapshot.manifestList;
}

async function readFile(ctx: CatalogContext, cache: ImmutableFileCache, location: string): Promise<Uint8Array> {
  let pending = cache.get(location);
  if (pending === undefined) {
    pending = ctx.files.read(location);
    cache.set(location, pending);
  }
  const bytes = await pending;
  if (bytes === undefined) throw new Refused(`${location} does not exist`);
  return bytes;
}

function folderOf(location: string): string {
  return location.slice(0, location.lastIndexOf('/'));
}
