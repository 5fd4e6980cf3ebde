import { AlreadyExistsError, CommitFailedError, CommitStateUnknownError } from '../../errors.js';
import type { CatalogContext } from '../context.js';
import type { Namespace } from '../namespace.js';
import { createInsideNamespace } from '../namespaces/create-inside-namespace.js';
import { pointerToJson, withoutPending, type ObjectKind, type ObjectPointer } from '../pointers/object-pointer.js';
import { claimKey, refuseRival } from '../pointers/pointer-protocol.js';
import { applyVerdict, type PointerRecord } from './resolve-pointer.js';
import { readTransactionRecord, TRANSACTION_EXPIRY_MS, transactionToJson, type TransactionRecord } from './transaction-record.js';

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
 * The transaction did not commit and never will (a pointer moved since it was read, or it was
 * aborted): the caller may recompute the change and try again. Any other error from
 * runTransaction leaves the outcome open unless it happened before anything was marked.
 */
export class TransactionConflict extends CommitFailedError {}

/** Observes each step, for the crash tests (a fault injector stops the protocol after any store call). */
export type StepObserver = (step: string) => void;

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
 * 4. roll each pointer forward and remove the record.
 * Readers resolve a pending pointer through the record; a writer that meets one finishes it, and
 * aborts it once expired. On any failure before step 3 we abort and roll our marks back.
 */
export async function runTransaction(ctx: CatalogContext, warehouse: string, changes: readonly PointerChange[]): Promise<void> {
  const ordered = [...changes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const transactionKey = ctx.keys.transaction(warehouse, ctx.newUuid());
  const now = ctx.clock.now();
  const record: TransactionRecord = { state: 'pending', createdAtMs: now, expiresAtMs: now + TRANSACTION_EXPIRY_MS, keys: ordered.map((c) => c.key) };
  const created = await ctx.records.create(transactionKey, transactionToJson(record));
  if (!created.ok) throw new Error(`Transaction record ${transactionKey} already exists`);
  const recordEtag = created.etag;

  const marked: Marked[] = [];
  try {
    for (const change of ordered) marked.push(await mark(ctx, transactionKey, change));
  } catch (error) {
    await abort(ctx, transactionKey, marked);
    throw error;
  }
  let committed: boolean;
  try {
    const swapped = await ctx.records.replace(transactionKey, transactionToJson({ ...record, state: 'committed' }), recordEtag);
    committed = swapped.ok || (await finalState(ctx, transactionKey)) === 'committed';
  } catch (error) {
    // The commit point itself failed mid-flight: only the record can say what happened.
    const state = await finalState(ctx, transactionKey).catch(() => undefined);
    if (state === undefined || state === 'pending') throw new CommitStateUnknownError('Commit state unknown: the transaction record could not be updated', { cause: error });
    committed = state === 'committed';
  }
  if (!committed) {
    await abort(ctx, transactionKey, marked);
    throw new TransactionConflict('Commit failed: the transaction was aborted by a concurrent writer; retry');
  }
  const settled = await Promise.allSettled(marked.map((m) => rollForward(ctx, m)));
  if (settled.every((s) => s.status === 'fulfilled')) await ctx.records.delete(transactionKey);
}

async function mark(ctx: CatalogContext, transactionKey: string, change: PointerChange): Promise<Marked> {
  const pending = { transactionKey, next: change.next };
  if (change.expected !== undefined) {
    const value: ObjectPointer = { ...withoutPending(change.expected.value), pending };
    const swapped = await ctx.records.replace(change.key, pointerToJson(value), change.expected.etag);
    if (!swapped.ok) throw new TransactionConflict(`Commit failed: a table or view changed concurrently; retry`);
    return { key: change.key, record: { value, etag: swapped.etag } };
  }
  const target = change.create;
  if (target === undefined || change.next === null) throw new Error('A create needs its target and a next pointer');
  const value: ObjectPointer = { ...change.next, state: 'creating', stateSinceMs: ctx.clock.now(), pending };
  let etag: string | undefined;
  const undo = () => ctx.records.delete(change.key);
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
  await refuseRival(ctx, target.warehouse, target.namespace, target.kind, target.name, undo);
  return { key: change.key, record: { value, etag: etag! } };
}

async function finalState(ctx: CatalogContext, transactionKey: string): Promise<string | undefined> {
  return (await ctx.records.read(transactionKey, readTransactionRecord))?.value.state;
}

async function rollForward(ctx: CatalogContext, marked: Marked): Promise<void> {
  await applyVerdict(ctx, marked.key, marked.record, 'new');
}

/** Best effort: whatever is not rolled back here is rolled back by the next reader or writer. */
async function abort(ctx: CatalogContext, transactionKey: string, marked: readonly Marked[]): Promise<void> {
  try {
    const current = await ctx.records.read(transactionKey, readTransactionRecord);
    if (current?.value.state === 'pending') {
      const aborted = await ctx.records.replace(transactionKey, transactionToJson({ ...current.value, state: 'aborted' }), current.etag);
      if (!aborted.ok) return;
    } else if (current?.value.state === 'committed') {
      return;
    }
    await Promise.allSettled(marked.map((m) => applyVerdict(ctx, m.key, m.record, 'old')));
  } catch {
    // The store is failing (or this process is going down): readers resolve the marks themselves.
  }
}
