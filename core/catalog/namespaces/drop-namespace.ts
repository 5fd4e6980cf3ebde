import { randomUUID } from 'node:crypto';
import { ConcurrentModificationError, NamespaceNotEmptyError, type NoSuchNamespaceError } from '../../errors.js';
import { CHILD_NAMESPACE_MARK, NAMESPACE_RECORD, unescapeName } from '../catalog-keys.js';
import { isFlagged } from '../../store/record-store.js';
import { deleteBeforeDeadline } from '../deadlines.js';
import { listAll } from '../../store/object-store.js';
import { isExpiredTransition } from '../pointers/object-pointer.js';
import { readPointer, sweepExpiredPointer } from '../pointers/pointer-protocol.js';
import type { CatalogContext } from '../context.js';
import { formatNamespace, type Namespace } from '../namespace.js';
import { MAX_CAS_ATTEMPTS, pause } from '../retry.js';
import { findNamespace, noSuchNamespace } from './namespace-lookup.js';
import { DROP_DEADLINE_MS, isEffectivelyDropping, namespaceRecordToJson, type NamespaceRecord } from './namespace-record.js';

export type DropNamespaceError = NoSuchNamespaceError | NamespaceNotEmptyError | ConcurrentModificationError;

/**
 * Mark `dropping` (CAS), list the contents, then delete or revert. Writers that create inside the
 * namespace check the mark after their own write (see create-inside-namespace.ts), so one of the two
 * always sees the other. The record is deleted with If-Match where the store enforces it, and
 * otherwise only while our mark is fresh (deadlines.ts): once it may have expired, someone may have
 * treated the namespace as active again. A mark carrying our own token is ours even when the store
 * could not confirm writing it.
 */
export async function dropNamespace(ctx: CatalogContext, warehouse: string, namespace: Namespace): Promise<void> {
  const key = ctx.keys.namespaceRecord(warehouse, namespace);
  const dropToken = randomUUID();
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const current = await findNamespace(ctx, warehouse, namespace);
    if (current === undefined) throw noSuchNamespace(namespace);
    const status = current.value.status;
    let held: { etag: string; sinceMs: number } | undefined;
    if (status.state === 'dropping' && status.dropToken === dropToken) held = { etag: current.etag, sinceMs: status.sinceMs };
    else if (isEffectivelyDropping(current.value, ctx.clock.now())) {
      await pause(ctx, attempt + 2);
      continue;
    } else {
      const sinceMs = ctx.clock.now();
      const marked: NamespaceRecord = { ...current.value, status: { state: 'dropping', dropToken, sinceMs } };
      const mark = await ctx.records.replace(key, namespaceRecordToJson(marked), current.etag);
      if (mark.ok) held = { etag: mark.etag, sinceMs };
      else if (mark.reason === 'precondition-failed') await pause(ctx, attempt);
      // moved or unknown: the next read tells whether our mark is the one there.
      if (held === undefined) continue;
    }
    const deadline = held.sinceMs + DROP_DEADLINE_MS;
    if (await hasContents(ctx, warehouse, namespace)) {
      await revertMark(ctx, warehouse, namespace, dropToken);
      throw new NamespaceNotEmptyError(`Namespace ${formatNamespace(namespace)} is not empty`);
    }
    if (ctx.clock.now() >= deadline || !(await deleteBeforeDeadline(ctx, key, held.etag, deadline))) {
      if ((await findNamespace(ctx, warehouse, namespace)) === undefined) return;
      await revertMark(ctx, warehouse, namespace, dropToken);
      throw new ConcurrentModificationError(`Dropping namespace ${formatNamespace(namespace)} took too long; retry`);
    }
    return;
  }
  throw new ConcurrentModificationError(`Namespace ${formatNamespace(namespace)} changed concurrently; retry the drop`);
}

/**
 * Anything in the folder but the record itself: a child namespace, or a table or view pointer that
 * is live or in a fresh transition. Expired transitional pointers (left by writers that died) are
 * swept here, and a child folder without its record is no child: neither keeps a namespace from
 * being dropped. Plainly live pointers are known from the listing alone (their size).
 */
async function hasContents(ctx: CatalogContext, warehouse: string, namespace: Namespace): Promise<boolean> {
  const folder = ctx.keys.namespaceFolder(warehouse, namespace);
  for await (const page of listAll(ctx.records.objects, { prefix: folder, delimiter: '/', maxKeys: 50 })) {
    for (const object of page.objects) {
      if (object.key === folder + NAMESPACE_RECORD) continue;
      if (!isFlagged(object.size)) return true;
      const pointer = await readPointer(ctx, object.key);
      if (pointer === undefined) continue;
      if (!isExpiredTransition(pointer.value, ctx.clock.now()) || pointer.value.pending !== undefined) return true;
      await sweepExpiredPointer(ctx, object.key, pointer);
    }
    for (const prefix of page.commonPrefixes) {
      const child = unescapeChild(prefix.slice(folder.length));
      if (child === undefined) return true;
      // Without its record the folder is no namespace, and what is left in it can never become live:
      // a create checks its namespace after writing and undoes. The sweeper clears it.
      if ((await findNamespace(ctx, warehouse, [...namespace, child])) !== undefined) return true;
    }
  }
  return false;
}

/** `n=<escaped>/` to the child's name; anything else in a namespace folder counts as contents. */
function unescapeChild(entry: string): string | undefined {
  if (!entry.startsWith(CHILD_NAMESPACE_MARK) || !entry.endsWith('/')) return undefined;
  return unescapeName(entry.slice(CHILD_NAMESPACE_MARK.length, -1));
}

async function revertMark(ctx: CatalogContext, warehouse: string, namespace: Namespace, dropToken: string): Promise<void> {
  const key = ctx.keys.namespaceRecord(warehouse, namespace);
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const current = await findNamespace(ctx, warehouse, namespace);
    const status = current?.value.status;
    if (current === undefined || status?.state !== 'dropping' || status.dropToken !== dropToken) return;
    const reverted: NamespaceRecord = { ...current.value, status: { state: 'active' } };
    if ((await ctx.records.replace(key, namespaceRecordToJson(reverted), current.etag)).ok) return;
    await pause(ctx, attempt);
  }
  // Left as is, the mark expires after DROP_MARK_EXPIRY_MS and the namespace reads as active again.
}
