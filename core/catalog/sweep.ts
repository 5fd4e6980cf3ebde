import { isFlagged } from '../store/record-store.js';
import { listAll } from '../store/object-store.js';
import { TABLE_MARK, VIEW_MARK } from './catalog-keys.js';
import type { CatalogContext } from './context.js';
import { INTENT_EXPIRY_MS } from './group-commit/group-commit-policy.js';
import { readPointer, sweepExpiredPointer } from './pointers/pointer-protocol.js';
import { decideTransaction, readTransaction, removeTransactionIfSettled, settlePointer } from './transactions/resolve-pointer.js';

export interface SweepReport {
  /** Transaction records read. */
  readonly transactions: number;
  /** Expired `pending` transactions aborted here. */
  readonly transactionsAborted: number;
  /** Decided transaction records removed (every pointer they name re-read as settled). */
  readonly transactionsRemoved: number;
  /** Pointers read because their listing size flagged them (in transition, or pending). */
  readonly pointersRead: number;
  /** Expired transitional pointers retired (tombstone, then delete). */
  readonly pointersSwept: number;
  /** Group-commit intents and fold leases left by writers that died (older than INTENT_EXPIRY_MS), deleted. */
  readonly intentsRemoved: number;
  /** True when the time budget ran out before the pass ended; the next pass starts over. */
  readonly incomplete: boolean;
}

/**
 * Clears what writers that died or gave up leave behind, in one warehouse: expired `pending`
 * transactions are aborted and their pointers rolled back; decided transaction records whose
 * pointers are all settled are removed; expired `creating` pointers and tombstones are retired.
 * Everything here is also done by the next reader or writer that meets it: the sweeper only makes
 * sure nothing waits for one. Safe beside live writers: every change is a compare-and-swap on what
 * was just read, or a deadline-bound delete of a tombstone of its own (see deadlines.ts). Plainly
 * live pointers are recognised from the listing alone (their size), so a pass reads few objects.
 */
export async function sweepWarehouse(ctx: CatalogContext, warehouse: string, budgetMs: number): Promise<SweepReport> {
  const stopAt = ctx.clock.now() + budgetMs;
  let transactions = 0;
  let transactionsAborted = 0;
  let transactionsRemoved = 0;
  let pointersRead = 0;
  let pointersSwept = 0;
  let intentsRemoved = 0;
  const overBudget = () => ctx.clock.now() >= stopAt;
  const report = (incomplete: boolean): SweepReport => ({ transactions, transactionsAborted, transactionsRemoved, pointersRead, pointersSwept, intentsRemoved, incomplete });

  for await (const page of listAll(ctx.records.objects, { prefix: ctx.keys.transactionsPrefix(warehouse) })) {
    for (const object of page.objects) {
      if (overBudget()) return report(true);
      const tx = await readTransaction(ctx, object.key).catch(() => undefined);
      if (tx === undefined) continue;
      transactions++;
      if (tx.value.state === 'pending') {
        if (ctx.clock.now() < tx.value.expiresAtMs) continue;
        if ((await decideTransaction(ctx, object.key, true)) === 'aborted') transactionsAborted++;
      }
      // Settling each pointer rolls it forward or back through the (now decided) record.
      for (const key of tx.value.keys) await settlePointer(ctx, key).catch(() => undefined);
      if (await removeTransactionIfSettled(ctx, object.key, tx.value.keys)) transactionsRemoved++;
    }
  }

  for await (const page of listAll(ctx.records.objects, { prefix: ctx.keys.namespacesPrefix(warehouse) })) {
    for (const object of page.objects) {
      if (overBudget()) return report(true);
      const name = object.key.slice(object.key.lastIndexOf('/') + 1);
      if (!isFlagged(object.size) || !(name.startsWith(TABLE_MARK) || name.startsWith(VIEW_MARK))) continue;
      pointersRead++;
      const found = await readPointer(ctx, object.key).catch(() => undefined);
      if (found === undefined) continue;
      if (found.value.pending !== undefined) {
        await settlePointer(ctx, object.key).catch(() => undefined);
        continue;
      }
      if (await sweepExpiredPointer(ctx, object.key, found)) pointersSwept++;
    }
  }

  // A fold deletes the expired intents of the table it folds; these are the ones of tables nobody
  // commits to any more (dropped, or quiet). Their writers answered minutes ago: the listing's date
  // is enough, nothing is read.
  for await (const page of listAll(ctx.records.objects, { prefix: ctx.keys.groupCommitPrefix(warehouse) })) {
    for (const object of page.objects) {
      if (overBudget()) return report(true);
      if (object.lastModifiedMs === undefined || ctx.clock.now() - object.lastModifiedMs <= INTENT_EXPIRY_MS) continue;
      await ctx.records.delete(object.key).catch(() => undefined);
      intentsRemoved++;
    }
  }
  return report(false);
}

/** Every warehouse in turn, within one time budget (the scheduled sweeper and the local server's timer). */
export async function sweepCatalog(ctx: CatalogContext, budgetMs: number): Promise<Record<string, SweepReport>> {
  const stopAt = ctx.clock.now() + budgetMs;
  const reports: Record<string, SweepReport> = {};
  for (const warehouse of ctx.config.warehouses) {
    const left = stopAt - ctx.clock.now();
    if (left <= 0) break;
    reports[warehouse.name] = await sweepWarehouse(ctx, warehouse.name, left);
  }
  return reports;
}
