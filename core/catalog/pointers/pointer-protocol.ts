import { AlreadyExistsError, CommitStateUnknownError, ConcurrentModificationError, ServiceUnavailableError, type NoSuchNamespaceError } from '../../errors.js';
import { isFlagged } from '../../store/record-store.js';
import type { CatalogContext } from '../context.js';
import { deleteBeforeDeadline } from '../deadlines.js';
import { formatNamespace, type Namespace } from '../namespace.js';
import { createInsideNamespace } from '../namespaces/create-inside-namespace.js';
import { MAX_CAS_ATTEMPTS, pause } from '../retry.js';
import { effectivePointer, settlePointer } from '../transactions/resolve-pointer.js';
import {
  isExpiredTransition,
  isVisible,
  readObjectPointer,
  TRANSITION_DEADLINE_MS,
  type ObjectKind,
  type ObjectPointer,
  type PointerRecord,
} from './object-pointer.js';
import { putPointer, retireToTombstone } from './pointer-writes.js';

/**
 * Creating and retiring table and view pointers with conditional writes only.
 *
 * Create (invariants 3 and 4): write our pointer as `creating` (If-None-Match: *), check the
 * namespace is still there (see create-inside-namespace.ts), check the other kind's pointer of the
 * same name, then swap ours to `active` (If-Match). Both kinds write before they check, so each
 * sees the other; two fresh `creating` pointers are ordered by (since, uuid) and only the first
 * goes on, once the other is gone: exactly one of a racing table and view create wins. A crash
 * leaves only an invisible `creating` pointer that expires.
 *
 * Retire (drop): swap the pointer to `dropped` (If-Match): that swap is the drop. The tombstone is
 * then deleted before our deadline (deadlines.ts).
 *
 * Outcomes the store cannot give (invariant 8): a create whose activation may still land answers
 * CommitStateUnknown, and is the one error after which its metadata file must stay
 * (discardUnlessUnknown).
 */
export type { PointerRecord } from './object-pointer.js';

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
  const effective = await effectivePointer(ctx, key, found);
  return effective !== undefined && isVisible(effective.value) ? effective : undefined;
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

export type CreatePointerError = AlreadyExistsError | NoSuchNamespaceError | ConcurrentModificationError | CommitStateUnknownError;

/**
 * The metadata file a failed create wrote may go, unless the pointer naming it may still become
 * active (CommitStateUnknown): then it stays, and at worst is garbage.
 */
export async function discardUnlessUnknown(error: unknown, discard: () => Promise<void>): Promise<never> {
  if (!(error instanceof CommitStateUnknownError)) await discard();
  throw error;
}

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
  const deadline = startedAt + TRANSITION_DEADLINE_MS;
  const creating: ObjectPointer = { ...pointer, state: 'creating', stateSinceMs: startedAt };
  let ownEtag: string | undefined;
  const undo = undoClaim(ctx, key, () => ownEtag, deadline);
  // Any failure before the activation is sent leaves a claim that can never become live: remove it
  // now rather than have the name read as taken until it expires.
  try {
    const outcome = await createInsideNamespace(ctx, warehouse, namespace, {
      write: async () => {
        ownEtag = await claimKey(ctx, key, creating);
        return ownEtag !== undefined;
      },
      undo,
    }, { parentJustRead: options.namespaceJustRead === true });
    if (outcome === 'exists') throw new AlreadyExistsError(`${label(pointer.kind)} already exists: ${identifier}`);
    await refuseRival(ctx, warehouse, namespace, creating, name, undo);
    // Past the deadline our `creating` pointer may be about to expire and be taken over: let it.
    if (ctx.clock.now() >= deadline) throw new ConcurrentModificationError(`${label(pointer.kind)} ${identifier} took too long to create; retry`);
  } catch (error) {
    await undo();
    throw error;
  }
  const active: ObjectPointer = { ...pointer, state: 'active', stateSinceMs: ctx.clock.now() };
  const activated = await putPointer(ctx, key, active, ownEtag!);
  if (activated.ok) return { etag: activated.etag };
  if (activated.reason === 'moved') {
    // Ours may have landed and been changed since (a commit keeps the uuid): then it was created.
    const now = await readPointer(ctx, key);
    if (now !== undefined && now.value.uuid === pointer.uuid && now.value.state !== 'creating') return { etag: now.etag };
  }
  if (activated.reason === 'unknown') {
    throw new CommitStateUnknownError(`Commit state unknown: ${label(pointer.kind).toLowerCase()} ${identifier} may or may not have been created; load it to find out`);
  }
  throw new ConcurrentModificationError(`${label(pointer.kind)} ${identifier} changed while it was being created; retry`);
}

/**
 * The undo of a claim: a deadline-bound delete of our `creating` pointer, sent at most once (a
 * second, unconditional delete could remove a claim someone made after the first).
 */
export function undoClaim(ctx: CatalogContext, key: string, etag: () => string | undefined, deadline: number): () => Promise<void> {
  let done = false;
  return async () => {
    const claimed = etag();
    if (claimed === undefined || done) return;
    done = true;
    await deleteBeforeDeadline(ctx, key, claimed, deadline);
  };
}

/** How long a create waits for a rival `creating` pointer of the other kind that it outranks to go. */
const RIVAL_WAIT_ATTEMPTS = 8;

/**
 * The other kind's pointer of the same name, checked after our own write (see above). A live one
 * wins and we undo. A fresh `creating` one is ordered against ours by (since, uuid): the earlier
 * goes on, the later undoes, so the two never both give up nor both go on.
 */
export async function refuseRival(
  ctx: CatalogContext,
  warehouse: string,
  namespace: Namespace,
  ours: Pick<ObjectPointer, 'kind' | 'uuid' | 'stateSinceMs'>,
  name: string,
  undo: () => Promise<void>,
): Promise<void> {
  const rivalKey = pointerKey(ctx, warehouse, namespace, otherKind(ours.kind), name);
  const taken = () => new AlreadyExistsError(`${label(otherKind(ours.kind))} with same name already exists: ${formatNamespace(namespace)}.${name}`);
  for (let attempt = 0; ; attempt++) {
    const rival = await readPointer(ctx, rivalKey);
    const effective = rival === undefined ? undefined : (await effectivePointer(ctx, rivalKey, rival))?.value;
    if (effective === undefined || effective.state === 'dropped' || isExpiredTransition(effective, ctx.clock.now())) return;
    if (isVisible(effective) || !outranks(ours, effective)) {
      await undo();
      throw taken();
    }
    if (attempt >= RIVAL_WAIT_ATTEMPTS) {
      await undo();
      throw new ConcurrentModificationError(`A concurrent create of ${formatNamespace(namespace)}.${name} is in progress; retry`);
    }
    await pause(ctx, attempt + 2);
  }
}

function outranks(ours: Pick<ObjectPointer, 'uuid' | 'stateSinceMs'>, theirs: Pick<ObjectPointer, 'uuid' | 'stateSinceMs'>): boolean {
  if (ours.stateSinceMs !== theirs.stateSinceMs) return ours.stateSinceMs < theirs.stateSinceMs;
  return ours.uuid < theirs.uuid;
}

/**
 * Writes `value` at `key` unless a live pointer is there. An expired transitional pointer is
 * replaced (If-Match); a fresh tombstone means a drop is finishing, so we wait for it briefly.
 * A claim whose outcome stays unknown answers 503: at worst it lands as an invisible `creating`
 * pointer that expires.
 */
export async function claimKey(ctx: CatalogContext, key: string, value: ObjectPointer): Promise<string | undefined> {
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const created = await putPointer(ctx, key, value);
    if (created.ok) return created.etag;
    if (created.reason === 'unknown') throw unsettledClaim(key);
    const existing = await settlePointer(ctx, key);
    if (existing === undefined) continue;
    if (isExpiredTransition(existing.value, ctx.clock.now())) {
      const replaced = await putPointer(ctx, key, value, existing.etag);
      if (replaced.ok) return replaced.etag;
      if (replaced.reason === 'unknown') throw unsettledClaim(key);
      continue;
    }
    if (existing.value.state !== 'dropped') return undefined;
    await pause(ctx, attempt + 2);
  }
  return undefined;
}

function unsettledClaim(key: string): ServiceUnavailableError {
  return new ServiceUnavailableError(`The object store did not confirm the write of ${key.split('/').at(-1) ?? key}; retry`);
}

/**
 * Drops the object behind `current`: true when our tombstone landed, false when the pointer moved
 * first (the caller re-reads). An outcome the store cannot give is CommitStateUnknown.
 */
export async function retirePointer(ctx: CatalogContext, key: string, current: PointerRecord): Promise<boolean> {
  const outcome = await retireToTombstone(ctx, key, current);
  if (outcome === 'unknown') throw new CommitStateUnknownError('Commit state unknown: the drop may or may not have taken effect; load the object to find out');
  return outcome === 'retired';
}

/**
 * For listings: a pointer stored with an even size is plainly live (pointerWriteOptions) and is
 * shown unread; any other is read, shown only if a load would find it, and swept if expired.
 */
export async function isListedPointerLive(ctx: CatalogContext, key: string, size: number | undefined): Promise<boolean> {
  if (size !== undefined && !isFlagged(size)) return true;
  const found = await readPointer(ctx, key);
  if (found === undefined) return false;
  const effective = await effectivePointer(ctx, key, found);
  if (effective !== undefined && isVisible(effective.value)) return true;
  await sweepExpiredPointer(ctx, key, found);
  return false;
}

/**
 * Clears an expired transitional pointer met by a listing or a namespace drop: swapped (If-Match)
 * for a fresh tombstone of ours, which is then deleted before our deadline. Never deletes what it
 * did not just swap, so a writer that claimed the name in between keeps it.
 */
export async function sweepExpiredPointer(ctx: CatalogContext, key: string, found: PointerRecord): Promise<boolean> {
  if (found.value.state === 'active' || found.value.pending !== undefined || !isExpiredTransition(found.value, ctx.clock.now())) return false;
  return (await retireToTombstone(ctx, key, found).catch(() => 'unknown' as const)) === 'retired';
}
