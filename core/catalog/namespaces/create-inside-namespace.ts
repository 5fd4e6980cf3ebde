import { CommitStateUnknownError, ConcurrentModificationError } from '../../errors.js';
import type { CatalogContext } from '../context.js';
import { formatNamespace, type Namespace } from '../namespace.js';
import { pause } from '../retry.js';
import { findNamespace, noSuchNamespace } from './namespace-lookup.js';
import { isEffectivelyDropping } from './namespace-record.js';

/** How long a writer waits for a concurrent drop of the parent to finish before giving up. */
const DROP_WAIT_ATTEMPTS = 10;

export type CreateOutcome = 'created' | 'exists';

export interface GuardedWrite {
  /** Creates the object; false when something already holds the key. */
  readonly write: () => Promise<boolean>;
  /** Removes what `write` created, when the parent turned out to be gone. */
  readonly undo: () => Promise<void>;
}

/**
 * Creates an object inside `parent`, never leaving it in a namespace that a concurrent drop removed
 * (invariant 3). The write happens first and the parent is checked after: a dropper marks the
 * namespace `dropping` before it lists the contents, so either the dropper's listing sees our
 * object (and refuses to drop), or our check after the write sees the mark or the missing record
 * (and we undo the write).
 */
export async function createInsideNamespace(
  ctx: CatalogContext,
  warehouse: string,
  parent: Namespace,
  guarded: GuardedWrite,
  options: { readonly parentJustRead?: boolean } = {},
): Promise<CreateOutcome> {
  // The read before the write only spares a write into a missing parent; the check after the
  // write is the guard. A caller that has just read the parent itself skips it (one round trip).
  if (options.parentJustRead !== true && (await findNamespace(ctx, warehouse, parent)) === undefined) throw noSuchNamespace(parent);
  if (!(await guarded.write())) return 'exists';
  for (let attempt = 0; ; attempt++) {
    const current = await findNamespace(ctx, warehouse, parent);
    if (current === undefined) {
      await guarded.undo();
      throw noSuchNamespace(parent);
    }
    if (!isEffectivelyDropping(current.value, ctx.clock.now())) return 'created';
    if (attempt >= DROP_WAIT_ATTEMPTS) {
      await guarded.undo();
      throw new ConcurrentModificationError(`Namespace ${formatNamespace(parent)} is being dropped; retry`);
    }
    await pause(ctx, attempt + 3);
  }
}

/** The plain case: a record created with If-None-Match: *, undone by deleting it. */
export function createRecord(ctx: CatalogContext, key: string, value: Parameters<CatalogContext['records']['create']>[1]): GuardedWrite {
  return {
    write: async () => {
      const created = await ctx.records.create(key, value);
      if (created.ok) return true;
      if (created.reason === 'precondition-failed') return false;
      // `moved`: ours may have landed and been changed since; `unknown`: it may still land.
      throw new CommitStateUnknownError(`Commit state unknown: the store could not confirm the write of ${key.split('/').at(-1) ?? key}; load it to find out`);
    },
    undo: () => ctx.records.delete(key),
  };
}
