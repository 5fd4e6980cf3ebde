import { isJsonObject, type JsonValue } from '../../json/lossless-json.js';
import type { VersionedRecord, WriteOptions } from '../../store/record-store.js';
import { TRANSITION_EXPIRY_MS, WRITER_DEADLINE_MS } from '../deadlines.js';

/**
 * The record behind a table or view name: which metadata file is current. Changing a table is a
 * compare-and-swap of this record. `creating` and `dropped` are transitional: readers treat both
 * as absent, and they expire so that a writer that died mid-way never blocks the name for long.
 */
export type ObjectKind = 'table' | 'view';
export type PointerState = 'creating' | 'active' | 'dropped';

export interface ObjectPointer {
  readonly kind: ObjectKind;
  readonly state: PointerState;
  readonly stateSinceMs: number;
  readonly uuid: string;
  readonly metadataLocation: string;
  /**
   * The metadata locations this pointer named before, newest first (at most REMEMBERED_LOCATIONS):
   * lets a writer whose swap was in doubt tell whether its change is in the chain (swap-pointer.ts).
   */
  readonly previous?: readonly string[];
  /**
   * Set while a multi-object transaction holds this pointer: the transaction record decides whether
   * readers see `next` (committed; null means the object is gone) or this pointer (anything else).
   */
  readonly pending?: PendingChange;
  /**
   * Set by a group-commit fold (core/catalog/group-commit): until then the table is under
   * contention, and a commit that may wait as an intent goes straight to the queue instead of
   * racing the folder for the swap. A hint only: correctness never depends on it.
   */
  readonly groupingUntilMs?: number;
}

export interface PendingChange {
  readonly transactionKey: string;
  readonly next: Omit<ObjectPointer, 'pending'> | null;
}

export type PointerRecord = VersionedRecord<ObjectPointer>;

/** A transitional pointer older than this belongs to a writer that died; it may be replaced. */
export { TRANSITION_EXPIRY_MS };
/** A writer finishes its transition within this time or stops (leaving it to expire). */
export const TRANSITION_DEADLINE_MS = WRITER_DEADLINE_MS;

/**
 * Pointers that are plainly live (active, no pending change) are stored with an even size, all
 * others odd: a listing then reads only the few pointers it must resolve (see list-tables.ts).
 */
export function pointerWriteOptions(pointer: ObjectPointer): WriteOptions {
  return { flagged: !(pointer.state === 'active' && pointer.pending === undefined) };
}

export function isVisible(pointer: ObjectPointer): boolean {
  return pointer.state === 'active';
}

export function isExpiredTransition(pointer: ObjectPointer, nowMs: number): boolean {
  return pointer.state !== 'active' && nowMs - pointer.stateSinceMs >= TRANSITION_EXPIRY_MS;
}

export function pointerToJson(pointer: ObjectPointer): JsonValue {
  const json: Record<string, JsonValue> = {
    kind: pointer.kind,
    state: pointer.state,
    'state-since-ms': pointer.stateSinceMs,
    uuid: pointer.uuid,
    'metadata-location': pointer.metadataLocation,
  };
  if (pointer.previous !== undefined && pointer.previous.length > 0) json['previous'] = [...pointer.previous];
  if (pointer.groupingUntilMs !== undefined) json['grouping-until-ms'] = pointer.groupingUntilMs;
  if (pointer.pending !== undefined) {
    json['pending'] = {
      'transaction-key': pointer.pending.transactionKey,
      next: pointer.pending.next === null ? null : pointerToJson(pointer.pending.next),
    };
  }
  return json;
}

/** How many earlier metadata locations a pointer remembers. */
export const REMEMBERED_LOCATIONS = 8;

/** The pointer after a commit to `metadataLocation`: the location it named joins its history. */
export function advancedTo(pointer: ObjectPointer, metadataLocation: string): ObjectPointer {
  const previous = [pointer.metadataLocation, ...(pointer.previous ?? [])].slice(0, REMEMBERED_LOCATIONS);
  return { ...withoutPending(pointer), metadataLocation, previous };
}

/** The pointer as it stands, without a transaction's pending change. */
export function withoutPending(pointer: ObjectPointer): ObjectPointer {
  const { pending: _pending, ...rest } = pointer;
  return rest;
}

export function readObjectPointer(value: JsonValue, key: string): ObjectPointer {
  const fail = (): never => {
    throw new Error(`Corrupt table or view pointer at ${key}`);
  };
  if (!isJsonObject(value)) return fail();
  const { kind, state, uuid } = value;
  const since = value['state-since-ms'];
  const location = value['metadata-location'];
  if (kind !== 'table' && kind !== 'view') return fail();
  if (state !== 'creating' && state !== 'active' && state !== 'dropped') return fail();
  if (typeof since !== 'number' || typeof uuid !== 'string' || typeof location !== 'string') return fail();
  const previous = value['previous'];
  if (previous !== undefined && !(Array.isArray(previous) && previous.every((entry) => typeof entry === 'string'))) return fail();
  const grouping = value['grouping-until-ms'];
  if (grouping !== undefined && typeof grouping !== 'number') return fail();
  const pointer: ObjectPointer = {
    kind,
    state,
    stateSinceMs: since,
    uuid,
    metadataLocation: location,
    ...(previous !== undefined ? { previous: previous as string[] } : {}),
    ...(grouping !== undefined ? { groupingUntilMs: grouping } : {}),
  };
  const pending = value['pending'];
  if (pending === undefined || pending === null) return pointer;
  if (!isJsonObject(pending) || typeof pending['transaction-key'] !== 'string') return fail();
  const next = pending['next'] === null || pending['next'] === undefined ? null : withoutPending(readObjectPointer(pending['next'], key));
  return { ...pointer, pending: { transactionKey: pending['transaction-key'], next } };
}
