/**
 * Orphan file removal (issue 12): files under a table's location that no retained state references
 * and that are older than a safety age. Engines write data files, manifests and manifest lists
 * before their commit lands, and a commit can fail after writing them: such files are garbage no
 * snapshot expiration ever sees. Removing them is the most dangerous maintenance there is (a
 * mistake deletes live data), so every rule here keeps a file when in doubt:
 * - only files inside the table's own location are considered (listed with a trailing `/`, judged
 *   segment-wise: `t10` is not inside `t1`), and never one inside another live object's locations
 *   (a table or view whose location nests inside this one's, e.g. `a.t` and namespace `a.t`'s
 *   tables), nor one a table sharing or enclosing this location references;
 * - a file is compared with the references by canonical location (`s3a://` = `s3://`, `file:/x` =
 *   `file:///x`, percent-encoding of `file:` paths), so no spelling of a path makes it look unused;
 * - a file younger than the safety age is kept: it may belong to a commit in flight;
 * - if anything the reference set depends on cannot be read, the run deletes nothing (fail closed).
 * Deletion goes through the purge's ScopedDeleter (confined to the table location and the
 * warehouses). `planOrphanRemoval` is the pure decision; `removeOrphanFiles` does the I/O around it.
 */
import type { CatalogContext } from '../catalog/context.js';
import { isInside, parseLocation, type CanonicalLocation } from '../catalog/locations/canonical-location.js';
import { ScopedDeleter } from '../catalog/locations/confined-file-io.js';
import { tableOwnLocations, viewOwnLocations } from '../catalog/locations/object-locations.js';
import type { Namespace } from '../catalog/namespace.js';
import { listNamespaces } from '../catalog/namespaces/list-namespaces.js';
import { listObjects } from '../catalog/tables/list-tables.js';
import { requireTable, type TableIdentifier } from '../catalog/tables/table-lookup.js';
import { requireView } from '../catalog/views/view-lookup.js';
import { NoSuchNamespaceError, NotFoundError, type NoSuchTableError } from '../errors.js';
import { mapLimit } from '../map-limit.js';
import { gcEnabled, type Snapshot, type TableMetadata } from '../metadata/index.js';
import type { FileIO, ListedFile } from '../store/file-io.js';
import { FAIL_CLOSED, FileNotReadableError, metadataLogFilesOf, MISSING_IS_DONE, SnapshotFiles, statisticsFilesOf, UnreadableReferenceError } from './snapshot-files.js';

/** The table property that sets the safety age (milliseconds). */
export const ORPHAN_MIN_AGE_PROPERTY = 'catalog.maintenance.orphan-files.min-age-ms';
const HOUR_MS = 60 * 60 * 1000;
/** Days, not minutes: an engine's slow job writes files long before its commit lands. */
export const DEFAULT_ORPHAN_MIN_AGE_MS = 3 * 24 * HOUR_MS;
/** No property or setting goes below this: a writer's files always exist before its commit. */
export const MIN_ORPHAN_AGE_FLOOR_MS = HOUR_MS;

/** What one run may do at most; it stops early, and says where to resume. */
export interface OrphanBudget {
  readonly maxListed: number;
  readonly maxDeleted: number;
  readonly maxDurationMs: number;
}
export const DEFAULT_ORPHAN_BUDGET: OrphanBudget = { maxListed: 10_000, maxDeleted: 1_000, maxDurationMs: 60_000 };

/** S3's largest listing page. */
const LIST_PAGE_SIZE = 1000;
/** As the purge: within S3 request rates and Lambda sockets. */
const DELETE_CONCURRENCY = 16;
const READ_CONCURRENCY = 8;
/**
 * Other tables and views loaded to find locations nested in this one. Beyond this the run refuses
 * rather than guess (a warehouse this big needs a location index, not a walk per run).
 */
export const MAX_OBJECTS_CHECKED = 10_000;

/** The safety age for a table: its property, else the catalog default, never below the floor. */
export function orphanMinAgeMs(properties: Readonly<Record<string, string>>, catalogDefault = DEFAULT_ORPHAN_MIN_AGE_MS): number {
  const text = Object.hasOwn(properties, ORPHAN_MIN_AGE_PROPERTY) ? properties[ORPHAN_MIN_AGE_PROPERTY]?.trim() : undefined;
  // A malformed value is no reason to delete sooner: it falls back to the default, not to zero.
  const value = text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : catalogDefault;
  return Math.max(MIN_ORPHAN_AGE_FLOOR_MS, value);
}

/**
 * The canonical URI of a path retained state names. Engines on local files write `file:/x` (Hadoop's
 * form, one slash): the same file as `file:///x`. Throws on anything else unparseable: a reference
 * the catalog cannot place could name any file, so the caller must not delete.
 */
export function canonicalReference(path: string): string {
  const hadoopFile = /^file:\/(?!\/)/i.test(path) ? `file://${path.slice('file:'.length)}` : path;
  return parseLocation(hadoopFile, 'referenced file').uri;
}

/** The reference set, or why it could not be built (then nothing is deleted). */
export type ReferenceSet = { readonly ok: true; readonly uris: ReadonlySet<string> } | { readonly ok: false; readonly reason: string };

export type OrphanVerdict = 'remove' | 'referenced' | 'young' | 'foreign' | 'outside';

export interface KeptCounts {
  readonly referenced: number;
  readonly young: number;
  readonly foreign: number;
  readonly outside: number;
}

export interface OrphanPlanInput {
  /** Listed files, in listing order. */
  readonly listed: readonly ListedFile[];
  readonly references: ReferenceSet;
  readonly now: number;
  readonly minAgeMs: number;
  /** The table's location: nothing else is ever removed. */
  readonly root: CanonicalLocation;
  /** Other live objects' locations inside the root: kept whatever the references say. */
  readonly foreignRoots: readonly CanonicalLocation[];
  /** Stop before the removal that would exceed this. */
  readonly maxRemovals?: number;
}

export interface OrphanPlan {
  readonly remove: readonly string[];
  readonly kept: KeptCounts;
  /** The last listed location decided on (removed or kept): where the next run resumes. */
  readonly decidedThrough: string | undefined;
  /** Every listed file was decided on. */
  readonly exhausted: boolean;
  /** Set when nothing may be removed at all (the references could not be read). */
  readonly refused?: string;
}

/** One file's fate. Order matters: place first, then references, then age. */
export function judgeOrphan(file: ListedFile, input: Omit<OrphanPlanInput, 'listed' | 'maxRemovals' | 'references'> & { readonly references: ReadonlySet<string> }): OrphanVerdict {
  let canonical: CanonicalLocation;
  try {
    canonical = parseLocation(file.location, 'listed file');
  } catch {
    return 'outside';
  }
  // The root itself is the folder, never a file of the table.
  if (!isInside(canonical, input.root) || canonical.segments.length === input.root.segments.length) return 'outside';
  // Only a file listed in its canonical spelling: the delete goes to the canonical URI, and an S3
  // folder marker `x/` would otherwise be deleted as the object `x` (possibly a referenced file).
  if (canonical.uri !== file.location) return 'outside';
  if (input.foreignRoots.some((foreign) => isInside(canonical, foreign))) return 'foreign';
  if (input.references.has(canonical.uri)) return 'referenced';
  // A time in the future (a skewed clock) is young too: only a provably old file may go.
  if (!(input.now - file.lastModifiedMs >= input.minAgeMs)) return 'young';
  return 'remove';
}

/** Pure: which listed files go, given the references, the clock and the policy. */
export function planOrphanRemoval(input: OrphanPlanInput): OrphanPlan {
  const counts = { referenced: 0, young: 0, foreign: 0, outside: 0 };
  const last = input.listed.at(-1)?.location;
  if (!input.references.ok) return { remove: [], kept: counts, decidedThrough: undefined, exhausted: false, refused: input.references.reason };
  const remove: string[] = [];
  const limit = input.maxRemovals ?? Number.POSITIVE_INFINITY;
  let decidedThrough: string | undefined;
  for (const file of input.listed) {
    const verdict = judgeOrphan(file, { ...input, references: input.references.uris });
    if (verdict === 'remove') {
      if (remove.length >= limit) return { remove, kept: counts, decidedThrough, exhausted: false };
      remove.push(file.location);
    } else {
      counts[verdict] += 1;
    }
    decidedThrough = file.location;
  }
  return { remove, kept: counts, decidedThrough: decidedThrough ?? last, exhausted: true };
}

// --- references -----------------------------------------------------------------------------

class ReferenceReadError extends Error {
  override readonly name = 'ReferenceReadError';
}

/**
 * Collects what retained state references, through the one walker of snapshot files (each list and
 * manifest read once). Fail closed for the current metadata's snapshots (a missing or unreadable
 * file is a failure); for snapshots that only older metadata files in the log still name, a
 * missing file is skipped (expiration removed their files; whatever of them remains is still kept)
 * but one that exists and cannot be read still fails.
 */
class ReferenceCollector {
  readonly uris = new Set<string>();
  private readonly walker: SnapshotFiles;

  constructor(private readonly ctx: CatalogContext) {
    this.walker = new SnapshotFiles({ read: (path) => readReference(ctx, path) });
  }

  add(path: string): void {
    try {
      this.uris.add(canonicalReference(path));
    } catch (error) {
      throw new ReferenceReadError(`cannot place the referenced path '${path.slice(0, 200)}': ${(error as Error).message}`);
    }
  }

  async snapshot(snapshot: Snapshot, strict: boolean): Promise<void> {
    const policy = strict ? FAIL_CLOSED : MISSING_IS_DONE;
    if (snapshot.manifestList !== undefined) this.add(snapshot.manifestList);
    const manifests = (await this.walker.manifestsOf(snapshot, policy)) ?? [...(snapshot.manifests ?? [])];
    for (const manifest of manifests) this.add(manifest);
    for (const files of (await this.walker.contentFilesOfAll(manifests, policy)).values()) for (const file of files) this.add(file);
  }

  /** Everything `metadata` (found at `metadataLocation`) and the metadata files in its log reference. */
  async table(metadataLocation: string, metadata: TableMetadata): Promise<void> {
    this.add(metadataLocation);
    const retained = new Set(metadata.snapshots.map((s) => String(s.snapshotId)));
    this.metadataFiles(metadata);
    for (const snapshot of metadata.snapshots) await this.snapshot(snapshot, true);
    for (const entry of metadata.metadataLog) {
      let older: TableMetadata | undefined;
      try {
        older = await this.ctx.metadataFiles.readIfPresent(canonicalReference(entry.metadataFile));
      } catch (error) {
        throw new ReferenceReadError(`cannot read metadata file '${entry.metadataFile.slice(0, 200)}': ${(error as Error).message}`);
      }
      if (older === undefined) continue; // trimmed or deleted after commit: its name is still kept
      this.metadataFiles(older);
      for (const snapshot of older.snapshots) if (!retained.has(String(snapshot.snapshotId))) await this.snapshot(snapshot, false);
    }
  }

  private metadataFiles(metadata: TableMetadata): void {
    for (const path of [...metadataLogFilesOf(metadata), ...statisticsFilesOf(metadata)]) this.add(path);
  }
}

/** Reads a referenced file by its canonical URI; any failure, the store's included, makes it unreadable (the run refuses). */
async function readReference(ctx: CatalogContext, path: string): Promise<Uint8Array | undefined> {
  try {
    return await ctx.files.read(canonicalReference(path));
  } catch (error) {
    throw new FileNotReadableError((error as Error).message);
  }
}

// --- other objects nested in or enclosing this table's location --------------------------------

interface Neighbours {
  /** Own locations of other objects that lie inside this table's location. */
  readonly foreignRoots: CanonicalLocation[];
  /** Other tables whose own locations contain (or equal) this one: their references count too. */
  readonly enclosing: { readonly metadataLocation: string; readonly metadata: TableMetadata }[];
  /** Current metadata files of views whose locations contain this one. */
  readonly enclosingViewFiles: string[];
}

/** A namespace dropped while the walk runs holds no live objects: undefined, not a failure. */
async function dropped<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof NoSuchNamespaceError) return undefined;
    throw error;
  }
}

/** Another object's location, placed as references are; one that cannot be placed could be anywhere. */
function placeOwnLocation(location: string): CanonicalLocation {
  try {
    return parseLocation(canonicalReference(location));
  } catch (error) {
    throw new ReferenceReadError(`cannot place another object's location '${location.slice(0, 200)}': ${(error as Error).message}`);
  }
}

/**
 * Walks every namespace of the warehouse and loads every other table and view. Not only the same
 * namespace: a child namespace named like the table lives inside its default location, a table
 * in an ancestor namespace may be given a location inside it, and a renamed table keeps its
 * location wherever it was (docs/security.md, "Confinement", residual risks).
 */
async function findNeighbours(ctx: CatalogContext, warehouse: string, self: TableIdentifier, root: CanonicalLocation): Promise<Neighbours> {
  const out: Neighbours = { foreignRoots: [], enclosing: [], enclosingViewFiles: [] };
  let checked = 0;
  const place = (locations: readonly string[]): 'enclosing' | 'apart' => {
    let enclosing = false;
    for (const location of locations) {
      const canonical = placeOwnLocation(location);
      if (isInside(canonical, root) && canonical.segments.length > root.segments.length) out.foreignRoots.push(canonical);
      else if (isInside(root, canonical)) enclosing = true;
    }
    return enclosing ? 'enclosing' : 'apart';
  };
  const visit = async (namespace: Namespace): Promise<void> => {
    for (const kind of ['table', 'view'] as const) {
      const identifiers = await dropped(listObjects(ctx, warehouse, namespace, kind, {}).then((page) => page.identifiers));
      if (identifiers === undefined) return;
      checked += identifiers.length;
      if (checked > MAX_OBJECTS_CHECKED) throw new ReferenceReadError(`more than ${MAX_OBJECTS_CHECKED} tables and views to check for nested locations`);
      await mapLimit(identifiers, READ_CONCURRENCY, async (id) => {
        const same = kind === 'table' && id.name === self.name && id.namespace.length === self.namespace.length && id.namespace.every((level, i) => level === self.namespace[i]);
        if (same) return;
        try {
          if (kind === 'table') {
            const table = await requireTable(ctx, warehouse, id);
            if (place(tableOwnLocations(table.metadata)) === 'enclosing') out.enclosing.push({ metadataLocation: table.pointer.value.metadataLocation, metadata: table.metadata });
          } else {
            const view = await requireView(ctx, warehouse, id);
            if (place(viewOwnLocations(view.metadata)) === 'enclosing') out.enclosingViewFiles.push(view.pointer.value.metadataLocation);
          }
        } catch (error) {
          // Dropped since the listing: its files are the purge's (or nobody's) now.
          if (error instanceof NotFoundError) return;
          if (error instanceof ReferenceReadError) throw error;
          throw new ReferenceReadError(`cannot load ${kind} ${[...id.namespace, id.name].join('.')}: ${(error as Error).message}`);
        }
      });
    }
    const children = await dropped(listNamespaces(ctx, warehouse, namespace, {}).then((page) => page.namespaces));
    for (const child of children ?? []) await visit(child);
  };
  const { namespaces } = await listNamespaces(ctx, warehouse, undefined, {});
  for (const namespace of namespaces) await visit(namespace);
  return out;
}

// --- the run ------------------------------------------------------------------------------------

export interface RemoveOrphanFilesOptions {
  /** Decide and report only; delete nothing. */
  readonly dryRun?: boolean;
  readonly budget?: Partial<OrphanBudget>;
  /** The `cursor` of the previous run's result: listing resumes after it. */
  readonly cursor?: string;
}

export interface OrphanRemovalResult {
  readonly dryRun: boolean;
  /** Deleted (dry run: would be deleted). */
  readonly deleted: readonly string[];
  readonly kept: KeptCounts;
  readonly listed: number;
  /** Pass to the next run to resume; undefined when this run reached the end of the listing. */
  readonly cursor: string | undefined;
  readonly minAgeMs: number;
  /** Why the run deleted nothing on purpose (gc disabled, references unreadable, ...). */
  readonly refused?: string;
  /** Deletions the confinement refused (never expected: the plan keeps only the table location). */
  readonly notDeleted: readonly string[];
  /** True when every listed file was younger than the safety age: counted as young, references not read. */
  readonly allYoung?: boolean;
}

/** A missing table; storage failures surface as they are (nothing is deleted after one). */
export type RemoveOrphanFilesError = NoSuchTableError;

const NO_KEPT: KeptCounts = { referenced: 0, young: 0, foreign: 0, outside: 0 };

/** How many files the table location holds when every one is younger than `minAgeMs` (to its end); undefined otherwise. */
async function allYoung(
  listPage: NonNullable<FileIO['listPage']>,
  root: CanonicalLocation,
  now: number,
  minAgeMs: number,
  maxListed: number,
  cursor: string | undefined,
): Promise<number | undefined> {
  let listed = 0;
  let after = cursor;
  while (listed < maxListed) {
    const page = await listPage(`${root.uri}/`, { maxFiles: Math.min(LIST_PAGE_SIZE, maxListed - listed), ...(after !== undefined ? { startAfter: after } : {}) });
    // The same test as judgeOrphan's: a time in the future is young too.
    if (page.files.some((file) => now - file.lastModifiedMs >= minAgeMs)) return undefined;
    listed += page.files.length;
    if (!page.truncated || page.files.length === 0) return listed;
    after = page.files.at(-1)!.location;
  }
  return undefined;
}

function addCounts(a: KeptCounts, b: KeptCounts): KeptCounts {
  return { referenced: a.referenced + b.referenced, young: a.young + b.young, foreign: a.foreign + b.foreign, outside: a.outside + b.outside };
}

async function referencesOf(ctx: CatalogContext, metadataLocation: string, metadata: TableMetadata, neighbours: Neighbours): Promise<Set<string>> {
  const collector = new ReferenceCollector(ctx);
  await collector.table(metadataLocation, metadata);
  for (const other of neighbours.enclosing) await collector.table(other.metadataLocation, other.metadata);
  for (const file of neighbours.enclosingViewFiles) collector.add(file);
  return collector.uris;
}

/**
 * One bounded run of orphan removal on a table. `now` judges file ages (injected: the engine of
 * the decision never reads the clock); the time budget is measured with `ctx.clock`. Returns a
 * cursor to resume from. Refuses (deletes nothing) when gc.enabled=false, when the storage cannot
 * list with file ages, or when any reference cannot be read.
 */
export async function removeOrphanFiles(
  ctx: CatalogContext,
  warehouse: string,
  tableId: TableIdentifier,
  now: number,
  options: RemoveOrphanFilesOptions = {},
): Promise<OrphanRemovalResult> {
  const budget = { ...DEFAULT_ORPHAN_BUDGET, ...options.budget };
  const dryRun = options.dryRun ?? false;
  const started = ctx.clock.now();
  const table = await requireTable(ctx, warehouse, tableId);
  const minAgeMs = orphanMinAgeMs(table.metadata.properties, ctx.config.orphanFilesMinAgeMs ?? DEFAULT_ORPHAN_MIN_AGE_MS);
  const refuse = (reason: string, listed = 0): OrphanRemovalResult => ({
    dryRun, deleted: [], kept: NO_KEPT, listed, cursor: options.cursor, minAgeMs, refused: reason, notDeleted: [],
  });
  if (!gcEnabled(table.metadata.properties)) return refuse('gc.enabled is false');
  const listPage = ctx.files.listPage?.bind(ctx.files);
  if (listPage === undefined) return refuse('the file IO cannot list files with their ages');
  let root: CanonicalLocation;
  try {
    root = parseLocation(table.metadata.location, 'table location');
  } catch (error) {
    return refuse(`the table location cannot be placed: ${(error as Error).message}`);
  }

  // Only a file older than the safety age can go. A table whose files are all younger (a new or a
  // streaming table under the default days) is answered from its listing alone, without the walk of
  // every retained snapshot's manifests and of the warehouse's other tables.
  const young = await allYoung(listPage, root, now, minAgeMs, budget.maxListed, options.cursor);
  if (young !== undefined) return { dryRun, deleted: [], kept: { ...NO_KEPT, young }, listed: young, cursor: undefined, minAgeMs, notDeleted: [], allYoung: true };

  let neighbours: Neighbours;
  let references: Set<string>;
  try {
    neighbours = await findNeighbours(ctx, warehouse, tableId, root);
    references = await referencesOf(ctx, table.pointer.value.metadataLocation, table.metadata, neighbours);
  } catch (error) {
    if (error instanceof ReferenceReadError || error instanceof UnreadableReferenceError) return refuse(`references could not be read, nothing deleted: ${error.message}`);
    throw error;
  }

  // List and decide, page by page, within the budget.
  let cursor = options.cursor;
  let listed = 0;
  let kept = NO_KEPT;
  let complete = false;
  const candidates: string[] = [];
  while (listed < budget.maxListed && candidates.length < budget.maxDeleted && ctx.clock.now() - started < budget.maxDurationMs) {
    const page = await listPage(`${root.uri}/`, { maxFiles: Math.min(LIST_PAGE_SIZE, budget.maxListed - listed), ...(cursor !== undefined ? { startAfter: cursor } : {}) });
    const plan = planOrphanRemoval({ listed: page.files, references: { ok: true, uris: references }, now, minAgeMs, root, foreignRoots: neighbours.foreignRoots, maxRemovals: budget.maxDeleted - candidates.length });
    candidates.push(...plan.remove);
    kept = addCounts(kept, plan.kept);
    const decided = plan.exhausted ? page.files.length : page.files.findIndex((f) => f.location === plan.decidedThrough) + 1;
    listed += decided;
    if (plan.decidedThrough !== undefined) cursor = plan.decidedThrough;
    if (plan.exhausted && !page.truncated) {
      complete = true;
      break;
    }
    if (page.files.length === 0) break;
  }

  // A commit may have landed while we listed: whatever the table references now is kept too.
  let remove = candidates;
  try {
    const current = await requireTable(ctx, warehouse, tableId);
    if (current.pointer.value.metadataLocation !== table.pointer.value.metadataLocation) {
      const collector = new ReferenceCollector(ctx);
      await collector.table(current.pointer.value.metadataLocation, current.metadata);
      remove = candidates.filter((location) => !collector.uris.has(canonicalReference(location)));
      kept = { ...kept, referenced: kept.referenced + candidates.length - remove.length };
    }
  } catch (error) {
    if (error instanceof ReferenceReadError || error instanceof UnreadableReferenceError) return refuse(`references could not be read again before deleting, nothing deleted: ${error.message}`, listed);
    throw error;
  }

  const deleter = new ScopedDeleter(ctx.files, [root]);
  let deleted: string[] = remove;
  if (!dryRun) {
    const outcomes = await mapLimit(remove, DELETE_CONCURRENCY, async (location) => ((await deleter.delete(location)) ? location : undefined));
    deleted = outcomes.filter((location): location is string => location !== undefined);
  }
  return { dryRun, deleted, kept, listed, cursor: complete ? undefined : cursor, minAgeMs, notDeleted: deleter.refused() };
}
