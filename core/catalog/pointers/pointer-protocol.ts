import { AlreadyExistsError, ConcurrentModificationError, type NoSuchNamespaceError } from '../../errors.js';
import type { VersionedRecord } from '../../store/record-store.js';
import type { CatalogContext } from '../context.js';
import { formatNamespace, type Namespace } from '../namespace.js';
import { createInsideNamespace } from '../namespaces/create-inside-namespace.js';
import { MAX_CAS_ATTEMPTS, pause } from '../retry.js';
import { effectivePointer, settlePointer } from '../transactions/resolve-pointer.js';
import {
  isExpiredTransition,
  isVisible,
  pointerToJson,
  readObjectPointer,
  TRANSITION_DEADLINE_MS,
  type ObjectKind,
  type ObjectPointer,
} from './object-pointer.js';

/**
 * Creating and retiring table and view pointers with conditional writes only.
 *
 * Create (invariants 3 and 4): write our pointer as `creating` (If-None-Match: *), check the
 * namespace is still there (see create-inside-namespace.ts), check no object of the other kind
 * holds the name, then swap ours to `active` (If-Match). A table create and a view create of the
 * same name each write before they check, so at least one sees the other: both may fail, both
 * can never succeed. A crash leaves only an invisible `creating` pointer that expires.
 *
 * Retire (drop): swap the pointer to `dropped` (If-Match): that swap is the drop. The tombstone is
 * then deleted, unconditionally (Ceph ignores If-Match on DELETE), but only before our deadline, so a
 * late delete can never hit a pointer that someone created over an expired tombstone.
 */
export type { PointerRecord } from '../transactions/resolve-pointer.js';
type PointerRecord = VersionedRecord<ObjectPointer>;

export function pointerKey(ctx: CatalogContext, warehouse: string, namespace: Namespace, kind: ObjectKind, name: string): string {
  return kind === 'table' ? ctx.keys.tablePointer(warehouse, namespace, name) : ctx.keys.viewPointer(warehouse, namespace, name);
}

/** The stored pointer as it is, pending change included (for diagnostics and the namespace drop check). */
export async function readPointer(ctx: CatalogContext, key: string): Promise<PointerRecord | undefined> {
  return ctx.records.read(key, readObjectPointer);
}

/**
 * For readers: the pointer as of now, a pending transaction resolved through its record without
 * writing anything. Transitional pointers read as absent.
 */
export async function findVisiblePointer(ctx: CatalogContext, key: string): Promise<PointerRecord | undefined> {
  const found = await readPointer(ctx, key);
  if (found === undefined) return undefined;
  const effective = await effectivePointer(ctx, found.value);
  return effective !== undefined && isVisible(effective) ? { value: effective, etag: found.etag } : undefined;
}

/**
 * For writers: the pointer with any transaction it took part in finished, so it can be swapped
 * with If-Match. Transitional pointers read as absent.
 */
export async function findActivePointer(ctx: CatalogContext, key: string): Promise<PointerRecord | undefined> {
  const found = await settlePointer(ctx, key);
  return found !== undefined && isVisible(found.value) ? found : undefined;
}

const otherKind = (kind: ObjectKind): ObjectKind => (kind === 'table' ? 'view' : 'table');
const label = (kind: ObjectKind) => (kind === 'table' ? 'Table' : 'View');

export type CreatePointerError = AlreadyExistsError | NoSuchNamespaceError | ConcurrentModificationError;

export async function createPointer(
  ctx: CatalogContext,
  warehouse: string,
  namespace: Namespace,
  name: string,
  pointer: Omit<ObjectPointer, 'state' | 'stateSinceMs'>,
  options: { readonly namespaceJustRead?: boolean } = {},
): Promise<{ etag: string }> {
  const identifier = `${formatNamespace(namespace)}.${name}`;
  const key = pointerKey(ctx, warehouse, namespace, pointer.kind, name);
  const startedAt = ctx.clock.now();
  const creating: ObjectPointer = { ...pointer, state: 'creating', stateSinceMs: startedAt };
  let ownEtag: string | undefined;
  const undo = async () => {
    if (ctx.clock.now() - startedAt < TRANSITION_DEADLINE_MS) await ctx.records.delete(key);
  };

  const outcome = await createInsideNamespace(ctx, warehouse, namespace, {
    write: async () => {
      ownEtag = await claimKey(ctx, key, creating);
      return ownEtag !== undefined;
    },
    undo,
  }, { parentJustRead: options.namespaceJustRead === true });
  if (outcome === 'exists') throw new AlreadyExistsError(`${label(pointer.kind)} already exists: ${identifier}`);

  await refuseRival(ctx, warehouse, namespace, pointer.kind, name, undo);

  const active: ObjectPointer = { ...pointer, state: 'active', stateSinceMs: ctx.clock.now() };
  const activated = await ctx.records.replace(key, pointerToJson(active), ownEtag!);
  if (!activated.ok) throw new ConcurrentModificationError(`${label(pointer.kind)} ${identifier} changed while it was being created; retry`);
  return { etag: activated.etag };
}

/**
 * The other kind's pointer of the same name, checked after our own write (see above): live, or in
 * a fresh transition (it may be about to become live), it wins and we undo.
 */
export async function refuseRival(
  ctx: CatalogContext,
  warehouse: string,
  namespace: Namespace,
  kind: ObjectKind,
  name: string,
  undo: () => Promise<void>,
): Promise<void> {
  const rival = await readPointer(ctx, pointerKey(ctx, warehouse, namespace, otherKind(kind), name));
  if (rival === undefined) return;
  const effective = await effectivePointer(ctx, rival.value);
  const live = effective !== undefined && (isVisible(effective) || (effective.state === 'creating' && !isExpiredTransition(effective, ctx.clock.now())));
  if (!live) return;
  await undo();
  throw new AlreadyExistsError(`${label(otherKind(kind))} with same name already exists: ${formatNamespace(namespace)}.${name}`);
}

/**
 * Writes `value` at `key` unless a live pointer is there. An expired transitional pointer is
 * replaced (If-Match); a fresh tombstone means a drop is finishing, so we wait for it briefly.
 */
export async function claimKey(ctx: CatalogContext, key: string, value: ObjectPointer): Promise<string | undefined> {
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const created = await ctx.records.create(key, pointerToJson(value));
    if (created.ok) return created.etag;
    const existing = await settlePointer(ctx, key);
    if (existing === undefined) continue;
    if (isExpiredTransition(existing.value, ctx.clock.now())) {
      const replaced = await ctx.records.replace(key, pointerToJson(value), existing.etag);
      if (replaced.ok) return replaced.etag;
      continue;
    }
    if (existing.value.state !== 'dropped') return undefined;
    await pause(ctx, attempt + 2);
  }
  return undefined;
}

/** Drops the object behind `current`; false when the pointer moved since it was read. */
export async function retirePointer(ctx: CatalogContext, key: string, current: PointerRecord): Promise<boolean> {
  const startedAt = ctx.clock.now();
  const tombstone: ObjectPointer = { ...current.value, state: 'dropped', stateSinceMs: startedAt };
  const swapped = await ctx.records.replace(key, pointerToJson(tombstone), current.etag);
  if (!swapped.ok) return false;
  if (ctx.clock.now() - startedAt < TRANSITION_DEADLINE_MS) await ctx.records.delete(key);
  return true;
}
