import { randomUUID } from 'node:crypto';
import { ConcurrentModificationError, NamespaceNotEmptyError, type NoSuchNamespaceError } from '../../errors.js';
import { NAMESPACE_RECORD } from '../../store/catalog-keys.js';
import { listAll } from '../../store/object-store.js';
import { isExpiredTransition } from '../pointers/object-pointer.js';
import { readPointer } from '../pointers/pointer-protocol.js';
import type { CatalogContext } from '../context.js';
import { formatNamespace, type Namespace } from '../namespace.js';
import { MAX_CAS_ATTEMPTS, pause } from '../retry.js';
import { findNamespace, noSuchNamespace } from './namespace-lookup.js';
import { DROP_DEADLINE_MS, isEffectivelyDropping, namespaceRecordToJson, type NamespaceRecord } from './namespace-record.js';

export type DropNamespaceError = NoSuchNamespaceError | NamespaceNotEmptyError | ConcurrentModificationError;

/**
 * Mark `dropping` (CAS), list the contents, then delete or revert. Writers that create inside the
 * namespace check the mark after their own write (see create-inside-namespace.ts), so one of the two
 * always sees the other. The delete is unconditional (RGW ignores If-Match on DELETE), so it is only
 * sent while our mark is fresh: once it may have expired, someone may have treated the namespace as
 * active again.
 */
export async function dropNamespace(ctx: CatalogContext, warehouse: string, namespace: Namespace): Promise<void> {
  const key = ctx.keys.namespaceRecord(warehouse, namespace);
  const dropToken = randomUUID();
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const current = await findNamespace(ctx, warehouse, namespace);
    if (current === undefined) throw noSuchNamespace(namespace);
    const startedAt = ctx.clock.now();
    if (isEffectivelyDropping(current.value, startedAt)) {
      await pause(ctx, attempt + 2);
      continue;
    }
    const marked: NamespaceRecord = { ...current.value, status: { state: 'dropping', dropToken, sinceMs: startedAt } };
    const mark = await ctx.records.replace(key, namespaceRecordToJson(marked), current.etag);
    if (!mark.ok) {
      await pause(ctx, attempt);
      continue;
    }
    if (await hasContents(ctx, warehouse, namespace)) {
      await revertMark(ctx, warehouse, namespace, dropToken);
      throw new NamespaceNotEmptyError(`Namespace ${formatNamespace(namespace)} is not empty`);
    }
    if (ctx.clock.now() - startedAt > DROP_DEADLINE_MS) {
      await revertMark(ctx, warehouse, namespace, dropToken);
      throw new ConcurrentModificationError(`Dropping namespace ${formatNamespace(namespace)} took too long; retry`);
    }
    await ctx.records.delete(key);
    return;
  }
  throw new ConcurrentModificationError(`Namespace ${formatNamespace(namespace)} changed concurrently; retry the drop`);
}

/**
 * Anything in the folder but the record itself: a child namespace, or a table or view pointer that
 * is live or in a fresh transition. Expired transitional pointers (left by writers that died) are
 * garbage and are removed here; a writer racing us re-checks the namespace after its write anyway.
 */
async function hasContents(ctx: CatalogContext, warehouse: string, namespace: Namespace): Promise<boolean> {
  const folder = ctx.keys.namespaceFolder(warehouse, namespace);
  for await (const page of listAll(ctx.records.objects, { prefix: folder, delimiter: '/', maxKeys: 50 })) {
    if (page.commonPrefixes.length > 0) return true;
    for (const object of page.objects) {
      if (object.key === folder + NAMESPACE_RECORD) continue;
      const pointer = await readPointer(ctx, object.key);
      if (pointer === undefined) continue;
      if (!isExpiredTransition(pointer.value, ctx.clock.now())) return true;
      await ctx.records.delete(object.key);
    }
  }
  return false;
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
