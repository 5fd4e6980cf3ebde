/**
 * Scheduled maintenance: which tables a tick maintains, and how a tick stays bounded.
 *
 * A bounded round-robin. Each warehouse keeps one small cursor record (the last table pointer key a
 * tick finished with); a tick lists the warehouse's catalog keys in key order after that cursor and
 * runs `maintainTable` on the next tables until it has done `maxTables` or its time is up, then
 * saves where it stopped. The listing is of pointer keys only (S3 lists 1,000 per call and reports
 * nothing we need to read), so a tick reads the metadata of at most `maxTables` tables, never of
 * every table; over several ticks every table is visited in turn, and a table whose policy says
 * there is nothing to do costs one pointer and one metadata read. Why not "due" markers written by
 * commits: that puts a write (and its failure modes) on the commit path of every table, for a
 * saving the round-robin already gets from the listing being cheap; see docs/maintenance.md.
 *
 * The cursor is saved with a conditional write on the version read at the start: two ticks that
 * overlap (a slow Lambda and the next one) both maintain tables safely (every step of maintainTable
 * is safe beside another run), and the one that saves second loses its write, which only means its
 * stretch is visited again. Orphan listings that stopped early resume from their own cursors, kept
 * in the same record per table.
 *
 * With a job queue (`options.jobs`: SQS in production, the in-process queue locally) a tick does not
 * run the tables itself: it enqueues one `maintain-table` job per table it visits (carrying the
 * table's orphan cursor) and the job worker runs them (maintainQueuedTable, below), each with a
 * run's own budget; the round-robin and its cursor are the same. The worker saves the table's next
 * orphan cursor back into the record (a read and a conditional write, retried a few times).
 */
import type { CatalogContext } from '../catalog/context.js';
import { TABLE_MARK, unescapeName, CHILD_NAMESPACE_MARK } from '../catalog/catalog-keys.js';
import type { TableIdentifier } from '../catalog/tables/table-lookup.js';
import { isJsonObject, type JsonValue } from '../json/lossless-json.js';
import type { JobQueue, MaintainTableJob } from './jobs/job-queue.js';
import { maintainTable, type MaintenanceReport, type OrphanStep } from './maintain-table.js';
import { removeOrphanFiles } from './orphan-files.js';

/** Tables one tick maintains at most (across warehouses), whatever time is left. */
export const DEFAULT_TABLES_PER_TICK = 50;
/** Orphan cursors kept per warehouse; beyond it the oldest are dropped (their listing then starts over). */
export const MAX_ORPHAN_CURSORS = 1_000;
/** Where a warehouse's cursor lives, beside `tx/` and `idem/` under the warehouse's root. */
const CURSOR_KEY_SUFFIX = 'maintenance/cursor';
const LIST_PAGE = 1_000;
/** Conditional writes a queued run tries to save a table's orphan cursor (others write the record too). */
export const MAX_ORPHAN_CURSOR_WRITES = 3;

export interface MaintenanceTickOptions {
  /** Time for the whole tick, measured with ctx.clock; no table is started after it. */
  readonly budgetMs: number;
  readonly maxTables?: number;
  /** The time that judges snapshot and file ages (default ctx.clock.now()). */
  readonly nowMs?: number;
  /** The per-table run (tests inject one; default maintainTable). */
  readonly maintain?: typeof maintainTable;
  /** Enqueue a `maintain-table` job per table instead of running it in the tick. */
  readonly jobs?: JobQueue;
}

export interface TableTick {
  readonly table: TableIdentifier;
  readonly ran?: boolean;
  /** Handed to the job queue; the worker reports the run. */
  readonly queued?: boolean;
  readonly expiry?: string;
  readonly expired?: number;
  readonly filesDeleted?: number;
  readonly orphansDeleted?: number;
  /** The run failed (table gone, commit outcome unknown, store error): the next cycle tries again. */
  readonly error?: string;
}

export interface WarehouseTick {
  readonly tables: readonly TableTick[];
  /** Where the next tick resumes; undefined when this one reached the end (the next starts over). */
  readonly cursor: string | undefined;
  /** `true` when the tick stopped for its table count or time, not at the end of the listing. */
  readonly stopped: boolean;
  /** False when another tick saved the cursor first (this stretch is visited again: harmless). */
  readonly cursorSaved: boolean;
}

interface CursorRecord {
  readonly after?: string;
  /** Pointer key → the orphan listing's cursor for that table. */
  readonly orphanCursors: Readonly<Record<string, string>>;
}

function readCursor(value: JsonValue): CursorRecord {
  if (!isJsonObject(value)) return { orphanCursors: {} };
  const after = typeof value['after'] === 'string' ? value['after'] : undefined;
  const raw = value['orphanCursors'];
  const orphanCursors: Record<string, string> = {};
  if (isJsonObject(raw)) for (const [key, cursor] of Object.entries(raw)) if (typeof cursor === 'string') orphanCursors[key] = cursor;
  return { ...(after !== undefined ? { after } : {}), orphanCursors };
}

/** The warehouse's root (`…/wh/<warehouse>/`), from the namespaces prefix (`…/wh/<warehouse>/n=`). */
function warehouseRoot(ctx: CatalogContext, warehouse: string): string {
  return ctx.keys.namespacesPrefix(warehouse).slice(0, -CHILD_NAMESPACE_MARK.length);
}

export function maintenanceCursorKey(ctx: CatalogContext, warehouse: string): string {
  return warehouseRoot(ctx, warehouse) + CURSOR_KEY_SUFFIX;
}

/** `…/n=<a>/n=<b>/t=<name>` → `{ namespace: [a, b], name }`; undefined for any other key. */
export function tableOfPointerKey(root: string, key: string): TableIdentifier | undefined {
  if (!key.startsWith(root)) return undefined;
  const segments = key.slice(root.length).split('/');
  const last = segments.pop();
  if (last === undefined || !last.startsWith(TABLE_MARK) || segments.length === 0) return undefined;
  if (!segments.every((s) => s.startsWith(CHILD_NAMESPACE_MARK))) return undefined;
  return { namespace: segments.map((s) => unescapeName(s.slice(CHILD_NAMESPACE_MARK.length))), name: unescapeName(last.slice(TABLE_MARK.length)) };
}

function summary(table: TableIdentifier, report: MaintenanceReport): TableTick {
  return {
    table,
    ran: report.ran,
    expiry: report.expiry.status,
    expired: report.expiredSnapshotIds.length,
    ...(report.files !== undefined ? { filesDeleted: report.files.deleted } : {}),
    ...(report.orphans !== undefined ? { orphansDeleted: report.orphans.deleted.length } : {}),
  };
}

/**
 * One tick on one warehouse: at most `maxTables` tables, none started after `deadlineMs` (ctx.clock).
 * A table's run gets the time that is left as its budget, so a tick overshoots its deadline by at
 * most what one run does past its own budget (one manifest's deletes, the orphan step's reference
 * read): the scheduled function's timeout leaves room for that.
 */
export async function maintainWarehouseTick(ctx: CatalogContext, warehouse: string, deadlineMs: number, maxTables: number, options: Pick<MaintenanceTickOptions, 'nowMs' | 'maintain' | 'jobs'> = {}): Promise<WarehouseTick> {
  const cursorKey = maintenanceCursorKey(ctx, warehouse);
  const stored = await ctx.records.read(cursorKey, readCursor);
  const state = stored?.value ?? { orphanCursors: {} };
  const orphanCursors: Record<string, string> = { ...state.orphanCursors };
  const maintain = options.maintain ?? maintainTable;
  const root = warehouseRoot(ctx, warehouse);
  const tables: TableTick[] = [];
  let after = state.after;
  let stopped = false;
  let continuationToken: string | undefined;

  listing: do {
    const page = await ctx.records.objects.list({
      prefix: ctx.keys.namespacesPrefix(warehouse),
      maxKeys: LIST_PAGE,
      ...(continuationToken !== undefined ? { continuationToken } : after !== undefined ? { startAfter: after } : {}),
    });
    for (const object of page.objects) {
      if (tables.length >= maxTables || ctx.clock.now() >= deadlineMs) {
        stopped = true;
        break listing;
      }
      after = object.key;
      const id = tableOfPointerKey(root, object.key);
      if (id === undefined) continue;
      if (options.jobs !== undefined) {
        tables.push(await enqueueTable(ctx, options.jobs, warehouse, id, orphanCursors[object.key]));
        continue;
      }
      const left = Math.max(1, deadlineMs - ctx.clock.now());
      const orphanCursor = orphanCursors[object.key];
      // The orphan step gets the tick's remaining time too (its own default is 60 s).
      const removeOrphans: OrphanStep = (c, w, t, now, o) => removeOrphanFiles(c, w, t, now, { ...o, budget: { maxDurationMs: left } });
      try {
        const report = await maintain(ctx, warehouse, id, options.nowMs ?? ctx.clock.now(), {
          budgetMs: left,
          removeOrphans,
          ...(orphanCursor !== undefined ? { orphanCursor } : {}),
        });
        if (report.orphans?.cursor !== undefined) orphanCursors[object.key] = report.orphans.cursor;
        else delete orphanCursors[object.key];
        tables.push(summary(id, report));
      } catch (error) {
        // One table's failure must not stop the tick; it is reported and retried next cycle.
        tables.push({ table: id, error: error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300) });
      }
    }
    continuationToken = page.nextContinuationToken;
  } while (continuationToken !== undefined);

  const cursor = stopped ? after : undefined;
  const keys = Object.keys(orphanCursors);
  for (const key of keys.slice(0, Math.max(0, keys.length - MAX_ORPHAN_CURSORS))) delete orphanCursors[key];
  const value: JsonValue = { ...(cursor !== undefined ? { after: cursor } : {}), orphanCursors };
  const write = stored === undefined ? await ctx.records.create(cursorKey, value) : await ctx.records.replace(cursorKey, value, stored.etag);
  return { tables, cursor, stopped, cursorSaved: write.ok };
}

/** A queued table's orphan cursor stays in the record: the worker replaces it when its run ends. */
async function enqueueTable(ctx: CatalogContext, jobs: JobQueue, warehouse: string, id: TableIdentifier, orphanCursor: string | undefined): Promise<TableTick> {
  try {
    await jobs.enqueue({ type: 'maintain-table', warehouse, namespace: id.namespace, table: id.name, requestedAtMs: ctx.clock.now(), ...(orphanCursor !== undefined ? { orphanCursor } : {}) });
    return { table: id, queued: true };
  } catch (error) {
    // Not queued: reported, and the table comes round again on a later cycle.
    return { table: id, error: error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300) };
  }
}

export interface QueuedRunReport {
  readonly report: MaintenanceReport;
  /** False when the table's next orphan cursor could not be saved (the next run lists from the old one: harmless). */
  readonly cursorSaved: boolean;
}

/**
 * The job worker's side of a queued tick: one maintenance run on the job's table, with a run's own
 * budget (maintainTable's default), resuming the orphan listing from the job's cursor; then the next
 * cursor is saved in the warehouse's cursor record for the next tick to hand out. A run that throws
 * saves nothing (the job is retried from the same cursor).
 */
export async function maintainQueuedTable(ctx: CatalogContext, job: MaintainTableJob, options: Pick<MaintenanceTickOptions, 'maintain'> = {}): Promise<QueuedRunReport> {
  const id: TableIdentifier = { namespace: job.namespace, name: job.table };
  const maintain = options.maintain ?? maintainTable;
  const report = await maintain(ctx, job.warehouse, id, ctx.clock.now(), {
    dryRun: job.dryRun === true,
    ...(job.orphanCursor !== undefined ? { orphanCursor: job.orphanCursor } : {}),
  });
  if (job.dryRun === true || !report.ran) return { report, cursorSaved: true };
  const cursorSaved = await saveOrphanCursor(ctx, job.warehouse, ctx.keys.tablePointer(job.warehouse, job.namespace, job.table), report.orphans?.cursor);
  return { report, cursorSaved };
}

/** Sets (or clears) one table's orphan cursor, keeping whatever else the record holds. */
async function saveOrphanCursor(ctx: CatalogContext, warehouse: string, pointerKey: string, cursor: string | undefined): Promise<boolean> {
  const cursorKey = maintenanceCursorKey(ctx, warehouse);
  for (let attempt = 0; attempt < MAX_ORPHAN_CURSOR_WRITES; attempt++) {
    const stored = await ctx.records.read(cursorKey, readCursor);
    const state = stored?.value ?? { orphanCursors: {} };
    if (state.orphanCursors[pointerKey] === cursor) return true;
    const orphanCursors: Record<string, string> = { ...state.orphanCursors };
    delete orphanCursors[pointerKey];
    if (cursor !== undefined) orphanCursors[pointerKey] = cursor;
    const keys = Object.keys(orphanCursors);
    for (const key of keys.slice(0, Math.max(0, keys.length - MAX_ORPHAN_CURSORS))) delete orphanCursors[key];
    const value: JsonValue = { ...(state.after !== undefined ? { after: state.after } : {}), orphanCursors };
    const write = stored === undefined ? await ctx.records.create(cursorKey, value) : await ctx.records.replace(cursorKey, value, stored.etag);
    if (write.ok) return true;
  }
  return false;
}

/**
 * One scheduled tick over every warehouse (the maintenance cron and the local server's timer). Each
 * warehouse gets an equal share of the tables and of the time, so a big warehouse cannot starve
 * the others. With CATALOG_MAINTENANCE=off the tick still runs, because a table may opt in with
 * `catalog.maintenance.enabled=true` (the documented contract); every other table is left alone
 * after one metadata read (`ran: false`).
 */
export async function maintenanceTick(ctx: CatalogContext, options: MaintenanceTickOptions): Promise<Record<string, WarehouseTick>> {
  const reports: Record<string, WarehouseTick> = {};
  const warehouses = ctx.config.warehouses;
  const maxTables = options.maxTables ?? DEFAULT_TABLES_PER_TICK;
  const start = ctx.clock.now();
  const share = Math.max(1, Math.ceil(maxTables / warehouses.length));
  for (const [i, warehouse] of warehouses.entries()) {
    // Each warehouse's deadline is its share's end; time a warehouse leaves unused passes to the next.
    const deadlineMs = start + Math.floor((options.budgetMs * (i + 1)) / warehouses.length);
    if (ctx.clock.now() >= deadlineMs) continue;
    reports[warehouse.name] = await maintainWarehouseTick(ctx, warehouse.name, deadlineMs, share, options);
  }
  return reports;
}
