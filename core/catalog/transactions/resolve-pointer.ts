import { ConcurrentModificationError } from '../../errors.js';
import type { VersionedRecord } from '../../store/record-store.js';
import type { CatalogContext } from '../context.js';
import { readObjectPointer, withoutPending, type PointerRecord } from '../pointers/object-pointer.js';
import { putPointer, retireToTombstone } from '../pointers/pointer-writes.js';
import { MAX_CAS_ATTEMPTS, pause } from '../retry.js';
import { readTransactionRecord, transactionToJson, type TransactionRecord } from './transaction-record.js';

export type { PointerRecord } from '../pointers/object-pointer.js';

/** What a pending change resolves to, from its transaction record alone. */
type Verdict = 'new' | 'old' | 'undecided';

export async function readTransaction(ctx: CatalogContext, key: string): Promise<VersionedRecord<TransactionRecord> | undefined> {
  return ctx.records.read(key, readTransactionRecord);
}

function verdictOf(tx: TransactionRecord, nowMs: number): Verdict {
  if (tx.state === 'committed') return 'new';
  if (tx.state === 'aborted') return 'old';
  return nowMs >= tx.expiresAtMs ? 'old' : 'undecided';
}

/**
 * A transaction record is removed only once no pointer it names still carries its pending change
 * (removeTransactionIfSettled). So a pointer that names a missing record was either settled since
 * we read it (read it again: no state goes backwards), or is a mark that landed late, after its
 * transaction had been aborted and removed (its old state stands).
 */
async function resolveMissingRecord(ctx: CatalogContext, key: string, read: PointerRecord): Promise<PointerRecord | 'old' | undefined> {
  const again = await ctx.records.read(key, readObjectPointer);
  if (again === undefined) return undefined;
  return again.etag === read.etag ? 'old' : again;
}

/**
 * The pointer a reader sees, without writing anything: a pending change counts only once its
 * transaction committed. Undecided transactions read as their old state, which is exactly what a
 * reader just before the commit point would have seen.
 */
export async function effectivePointer(ctx: CatalogContext, key: string, record: PointerRecord): Promise<PointerRecord | undefined> {
  let current = record;
  for (let round = 0; round < 2; round++) {
    const pending = current.value.pending;
    if (pending === undefined) return current;
    const tx = await readTransaction(ctx, pending.transactionKey);
    let verdict: Verdict;
    if (tx !== undefined) verdict = verdictOf(tx.value, ctx.clock.now());
    else {
      const resolved = round === 0 ? await resolveMissingRecord(ctx, key, current) : 'old';
      if (resolved === undefined) return undefined;
      if (resolved !== 'old') {
        current = resolved;
        continue;
      }
      verdict = 'old';
    }
    if (verdict === 'new') return pending.next === null ? undefined : { value: pending.next, etag: current.etag };
    return { value: withoutPending(current.value), etag: current.etag };
  }
  return { value: withoutPending(current.value), etag: current.etag };
}

/**
 * Decides a transaction that is still `pending`: aborts it (If-Match), so its writer can no longer
 * commit it. Only an abort that is known to have landed, or a re-read, decides; an open outcome
 * stays 'undecided'.
 */
export async function decideTransaction(ctx: CatalogContext, key: string, onlyIfExpired: boolean): Promise<'committed' | 'aborted' | 'undecided' | 'missing'> {
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const tx = await readTransaction(ctx, key);
    if (tx === undefined) return 'missing';
    if (tx.value.state !== 'pending') return tx.value.state;
    if (onlyIfExpired && ctx.clock.now() < tx.value.expiresAtMs) return 'undecided';
    const aborted = await ctx.records.replace(key, transactionToJson({ ...tx.value, state: 'aborted' }), tx.etag);
    if (aborted.ok) return 'aborted';
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
    const transactionKey = record.value.pending.transactionKey;
    const tx = await readTransaction(ctx, transactionKey);
    let verdict: Verdict;
    if (tx === undefined) {
      const resolved = await resolveMissingRecord(ctx, key, record);
      if (resolved !== 'old') continue;
      verdict = 'old';
    } else {
      verdict = verdictOf(tx.value, ctx.clock.now());
      if (verdict === 'old' && tx.value.state === 'pending') {
        const decided = await decideTransaction(ctx, transactionKey, true);
        verdict = decided === 'committed' ? 'new' : decided === 'aborted' || decided === 'missing' ? 'old' : 'undecided';
      }
    }
    if (verdict === 'undecided') {
      await pause(ctx, attempt + 3);
      continue;
    }
    if ((await applyVerdict(ctx, key, record, verdict)) === 'settled' && tx !== undefined) {
      await removeTransactionIfSettled(ctx, transactionKey, tx.value.keys);
    }
  }
  throw new ConcurrentModificationError('A concurrent transaction holds this table or view; retry');
}

export type VerdictOutcome = 'settled' | 'moved' | 'unknown';

/**
 * Rolls one pending pointer forward ('new') or back ('old'). `moved`: someone else changed it first
 * (usually by settling it the same way); `unknown`: our swap may still land.
 */
export async function applyVerdict(ctx: CatalogContext, key: string, record: PointerRecord, verdict: 'new' | 'old'): Promise<VerdictOutcome> {
  const pending = record.value.pending;
  if (pending === undefined) return 'settled';
  const target = verdict === 'new' ? pending.next : withoutPending(record.value);
  if (target === null || target.state === 'creating') {
    // A removal, or an object that never came to be: retire it like a drop (tombstone, then delete).
    const outcome = await retireToTombstone(ctx, key, record, withoutPending(record.value));
    return outcome === 'retired' ? 'settled' : outcome;
  }
  const swapped = await putPointer(ctx, key, target, record.etag);
  return swapped.ok ? 'settled' : swapped.reason === 'unknown' ? 'unknown' : 'moved';
}

/** True once the pointer at `key` no longer carries a pending change of this transaction. */
export async function isSettledFor(ctx: CatalogContext, key: string, transactionKey: string): Promise<boolean> {
  const now = await ctx.records.read(key, readObjectPointer);
  return now?.value.pending?.transactionKey !== transactionKey;
}

/**
 * Removes a decided transaction's record once every pointer it names has been re-read as settled
 * (invariant 8: a record goes only when nothing can need it). Otherwise it stays for readers.
 */
export async function removeTransactionIfSettled(ctx: CatalogContext, transactionKey: string, keys: readonly string[]): Promise<boolean> {
  try {
    const settled = await Promise.all(keys.map((key) => isSettledFor(ctx, key, transactionKey)));
    if (!settled.every(Boolean)) return false;
    await ctx.records.delete(transactionKey);
    return true;
  } catch {
    return false;
  }
}
