import { AlreadyExistsError, CommitFailedError, CommitStateUnknownError } from '../../errors.js';
import type { CatalogContext } from '../context.js';
import { TRANSITION_EXPIRY_MS, WRITER_DEADLINE_MS } from '../deadlines.js';
import type { Namespace } from '../namespace.js';
import { createInsideNamespace } from '../namespaces/create-inside-namespace.js';
import { withoutPending, type ObjectKind, type ObjectPointer } from '../pointers/object-pointer.js';
import { claimKey, refuseRival, undoClaim } from '../pointers/pointer-protocol.js';
import { putPointer } from '../pointers/pointer-writes.js';
import { applyVerdict, decideTransaction, isSettledFor, removeTransactionIfSettled, type PointerRecord } from './resolve-pointer.js';
import { transactionToJson, type TransactionRecord } from './transaction-record.js';

/** One pointer's part in a transaction. */
export interface PointerChange {
  readonly key: string;
  /** The settled pointer the change was computed from; its ETag guards the swap. Absent: a create. */
  readonly expected?: PointerRecord;
  /** The pointer after the commit; null removes the object. */
  readonly next: Omit<ObjectPointer, 'pending'> | null;
  /** For a create: where the name lives, for the namespace guard and the table/view name check. */
  readonly create?: { readonly warehouse: string; readonly namespace: Namespace; readonly name: string; readonly kind: ObjectKind };
}

/**
 * The transaction did not commit and never will: the caller may recompute the change and try
 * again. Thrown only when that is proven: every failure before the commit point is one (we never
 * sent the commit), and after it only an abort that landed (ours or another's).
 */
export class TransactionConflict extends CommitFailedError {}

interface Marked {
  readonly key: string;
  readonly record: PointerRecord;
}

/**
 * All pointers change or none does, even if this process dies between any two store calls:
 * 1. write the transaction record, `pending` (If-None-Match: *);
 * 2. mark each pointer, in key order (so two transactions never wait on each other in a cycle),
 *    with a pending change naming the record (If-Match; creates: If-None-Match plus the guards);
 * 3. swap the record to `committed` (If-Match): the single commit point;
 * 4. roll each pointer forward, re-read each, and remove the record only once all are settled.
 * Readers resolve a pending pointer through the record; a writer that meets one finishes it, and
 * aborts it once expired. Any failure before step 3 aborts and rolls our marks back (best effort:
 * whatever is left, readers resolve as old). An outcome of step 3 that no re-read settles is
 * CommitStateUnknown: nothing is rolled back or cleaned up then.
 */
export async function runTransaction(ctx: CatalogContext, warehouse: string, changes: readonly PointerChange[]): Promise<void> {
  const ordered = [...changes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const transactionKey = ctx.keys.transaction(warehouse, ctx.newUuid());
  const now = ctx.clock.now();
  const deadline = now + WRITER_DEADLINE_MS;
  const record: TransactionRecord = { state: 'pending', createdAtMs: now, expiresAtMs: now + TRANSITION_EXPIRY_MS, keys: ordered.map((c) => c.key) };
  const created = await ctx.records.create(transactionKey, transactionToJson(record));
  // No pointer names this record yet: whatever became of the write, nothing can commit through it.
  if (!created.ok) throw new TransactionConflict('Commit failed: the transaction could not be started; retry');
  const recordEtag = created.etag;

  const marked: Marked[] = [];
  try {
    for (const change of ordered) marked.push(await mark(ctx, transactionKey, change, deadline));
    if (ctx.clock.now() >= deadline) throw new TransactionConflict('Commit failed: the transaction took too long to prepare; retry');
  } catch (error) {
    // Before the commit point: this transaction never commits, whatever the abort below achieves.
    await abort(ctx, transactionKey, record, marked);
    throw error;
  }

  const swapped = await ctx.records
    .replace(transactionKey, transactionToJson({ ...record, state: 'committed' }), recordEtag)
    .catch(() => ({ ok: false, reason: 'unknown' }) as const);
  const state = swapped.ok ? 'committed' : await decideTransaction(ctx, transactionKey, false).catch(() => 'undecided' as const);
  if (state === 'aborted') {
    await abort(ctx, transactionKey, record, marked);
    throw new TransactionConflict('Commit failed: the transaction was aborted by a concurrent writer; retry');
  }
  if (state !== 'committed') {
    throw new CommitStateUnknownError('Commit state unknown: the transaction may or may not have committed; load the tables to find out');
  }
  const rolled = await Promise.all(marked.map((m) => rollForward(ctx, transactionKey, m)));
  // A pointer we could not confirm keeps its pending change; readers resolve it through the record.
  if (rolled.every(Boolean)) await ctx.records.delete(transactionKey).catch(() => undefined);
}

async function rollForward(ctx: CatalogContext, transactionKey: string, marked: Marked): Promise<boolean> {
  try {
    if ((await applyVerdict(ctx, marked.key, marked.record, 'new')) === 'settled') return true;
    return await isSettledFor(ctx, marked.key, transactionKey);
  } catch {
    return false;
  }
}

async function mark(ctx: CatalogContext, transactionKey: string, change: PointerChange, deadline: number): Promise<Marked> {
  const pending = { transactionKey, next: change.next };
  if (change.expected !== undefined) {
    const value: ObjectPointer = { ...withoutPending(change.expected.value), pending };
    const swapped = await putPointer(ctx, change.key, value, change.expected.etag);
    // A mark that may still land is harmless once the transaction is aborted: it resolves as old.
    if (!swapped.ok) throw new TransactionConflict(`Commit failed: a table or view changed concurrently; retry`);
    return { key: change.key, record: { value, etag: swapped.etag } };
  }
  const target = change.create;
  if (target === undefined || change.next === null) throw new Error('A create needs its target and a next pointer');
  const value: ObjectPointer = { ...change.next, state: 'creating', stateSinceMs: ctx.clock.now(), pending };
  let etag: string | undefined;
  const undo = undoClaim(ctx, change.key, () => etag, deadline);
  try {
    const outcome = await createInsideNamespace(ctx, target.warehouse, target.namespace, {
      write: async () => {
        etag = await claimKey(ctx, change.key, value);
        return etag !== undefined;
      },
      undo,
    });
    if (outcome === 'exists') {
      throw new AlreadyExistsError(`${target.kind === 'table' ? 'Table' : 'View'} already exists: ${[...target.namespace, target.name].join('.')}`);
    }
    await refuseRival(ctx, target.warehouse, target.namespace, value, target.name, undo);
  } catch (error) {
    await undo();
    throw error;
  }
  return { key: change.key, record: { value, etag: etag! } };
}

/**
 * Aborts (unless someone already decided) and rolls our marks back, then removes the record once
 * every pointer is re-read as settled. Best effort: what is left, the next reader or writer
 * resolves as old, because an aborted or expired transaction never commits.
 */
async function abort(ctx: CatalogContext, transactionKey: string, record: TransactionRecord, marked: readonly Marked[]): Promise<void> {
  try {
    const state = await decideTransaction(ctx, transactionKey, false);
    if (state !== 'aborted') return;
    await Promise.allSettled(marked.map((m) => applyVerdict(ctx, m.key, m.record, 'old')));
    await removeTransactionIfSettled(ctx, transactionKey, record.keys);
  } catch {
    // The store is failing (or this process is going down): readers resolve the marks themselves.
  }
}
