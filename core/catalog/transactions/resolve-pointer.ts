import { ConcurrentModificationError } from '../../errors.js';
import type { VersionedRecord } from '../../store/record-store.js';
import type { CatalogContext } from '../context.js';
import { pointerToJson, readObjectPointer, TRANSITION_DEADLINE_MS, withoutPending, type ObjectPointer } from '../pointers/object-pointer.js';
import { MAX_CAS_ATTEMPTS, pause } from '../retry.js';
import { readTransactionRecord, transactionToJson, type TransactionRecord } from './transaction-record.js';

export type PointerRecord = VersionedRecord<ObjectPointer>;

/** What a pending change resolves to, from its transaction record alone. */
type Verdict = 'new' | 'old' | 'undecided';

async function readTransaction(ctx: CatalogContext, key: string): Promise<VersionedRecord<TransactionRecord> | undefined> {
  return ctx.records.read(key, readTransactionRecord);
}

function verdictOf(tx: TransactionRecord | undefined, nowMs: number): Verdict {
  // A missing record: its writer removed it only after settling every pointer, so ours was rolled back.
  if (tx === undefined) return 'old';
  if (tx.state === 'committed') return 'new';
  if (tx.state === 'aborted') return 'old';
  return nowMs >= tx.expiresAtMs ? 'old' : 'undecided';
}

/**
 * The pointer a reader sees, without writing anything: a pending change counts only once its
 * transaction committed. Undecided transactions read as their old state, which is exactly what a
 * reader just before the commit point would have seen.
 */
export async function effectivePointer(ctx: CatalogContext, record: ObjectPointer): Promise<ObjectPointer | undefined> {
  if (record.pending === undefined) return record;
  const tx = await readTransaction(ctx, record.pending.transactionKey);
  return verdictOf(tx?.value, ctx.clock.now()) === 'new' ? (record.pending.next ?? undefined) : withoutPending(record);
}

/**
 * Makes a decision on an expired transaction: abort it (If-Match), so its writer cannot commit it
 * afterwards. Returns the transaction's final state.
 */
async function decideExpired(ctx: CatalogContext, key: string): Promise<Verdict> {
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const tx = await readTransaction(ctx, key);
    const verdict = verdictOf(tx?.value, ctx.clock.now());
    if (tx === undefined || tx.value.state !== 'pending') return verdict;
    if (verdict === 'undecided') return 'undecided';
    const aborted = await ctx.records.replace(key, transactionToJson({ ...tx.value, state: 'aborted' }), tx.etag);
    if (aborted.ok) return 'old';
  }
  return 'undecided';
}

/**
 * Reads the pointer at `key` and finishes any transaction it is part of (rolling its change
 * forward or back with If-Match), so the caller may compare-and-swap it. Undefined when no
 * pointer exists (or the settled outcome was a removal). Waits briefly for a live transaction.
 */
export async function settlePointer(ctx: CatalogContext, key: string): Promise<PointerRecord | undefined> {
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const record = await ctx.records.read(key, readObjectPointer);
    if (record === undefined || record.value.pending === undefined) return record;
    const pending = record.value.pending;
    const tx = await readTransaction(ctx, pending.transactionKey);
    let verdict = verdictOf(tx?.value, ctx.clock.now());
    if (verdict === 'old' && tx?.value.state === 'pending') verdict = await decideExpired(ctx, pending.transactionKey);
    if (verdict === 'undecided') {
      await pause(ctx, attempt + 3);
      continue;
    }
    await applyVerdict(ctx, key, record, verdict);
  }
  throw new ConcurrentModificationError('A concurrent transaction holds this table or view; retry');
}

/** Rolls one pending pointer forward ('new') or back ('old'); losing the swap to someone else doing the same is fine. */
export async function applyVerdict(ctx: CatalogContext, key: string, record: PointerRecord, verdict: 'new' | 'old'): Promise<void> {
  const pending = record.value.pending;
  if (pending === undefined) return;
  const target = verdict === 'new' ? pending.next : withoutPending(record.value);
  if (target === null || target.state === 'creating') {
    // A removal, or an object that never came to be: retire it like a drop (tombstone, then delete).
    const startedAt = ctx.clock.now();
    const tombstone = { ...withoutPending(record.value), state: 'dropped' as const, stateSinceMs: startedAt };
    const swapped = await ctx.records.replace(key, pointerToJson(tombstone), record.etag);
    if (swapped.ok && ctx.clock.now() - startedAt < TRANSITION_DEADLINE_MS) await ctx.records.delete(key);
    return;
  }
  await ctx.records.replace(key, pointerToJson(target), record.etag);
}
