/**
 * One pointer swap that applies every foldable intent waiting beside a table, in the order they were
 * left (docs/storage-protocol.md, "Group commit"):
 *   read pointer → read base → list and read intents → claim each (If-Match on the intent, naming
 *   the metadata file about to be built) → apply them in order on the base (rebasing fast appends)
 *   → un-claim those that did not apply → write the metadata file → swap the pointer (If-Match).
 * Every claimed file is built on the same base, so at most one of them lands: an intent is applied
 * once or not at all, whoever folds it and however many folders race.
 */
import { CatalogError, CommitStateUnknownError } from '../../errors.js';
import { nextMetadataLocation, validateCatalogRequirements, validateTableUpdates, type TableMetadata, type TableRequirement, type TableUpdate } from '../../metadata/index.js';
import { mapLimit } from '../../map-limit.js';
import type { CatalogContext } from '../context.js';
import { confinementOf } from '../locations/confinement.js';
import { checkTableLocations } from '../locations/object-locations.js';
import { advancedTo, type PointerRecord } from '../pointers/object-pointer.js';
import { swapPointer } from '../pointers/swap-pointer.js';
import { applyOrRebase, descendsFrom, removeExpiredMetadata } from '../tables/commit-steps.js';
import { discardRebasedList, prefetchAppend, type DeferredWrites, type ImmutableFileCache, type RebasedAppend } from '../tables/rebase-append.js';
import type { TableIdentifier } from '../tables/table-lookup.js';
import { FOLD_WINDOW_MS, GROUPING_MIN_BATCH, GROUPING_WINDOW_MS, INTENT_EXPIRY_MS, MAX_FOLDED_INTENTS, STALE_CLAIM_MS } from './group-commit-policy.js';
import { claimedBy, intentToJson, readIntentRecord, unclaimedBy, type IntentRecord } from './intent-record.js';
import { stateOfClaims } from './intent-state.js';

/** Reads and claims in flight at once: a fold meets at most MAX_FOLDED_INTENTS of them. */
const IO_CONCURRENCY = 64;
const UNCLAIM_ATTEMPTS = 8;

export interface FoldTarget {
  readonly warehouse: string;
  readonly id: TableIdentifier;
  readonly tableUuid: string;
  readonly pointerKey: string;
}

export type FoldOutcome =
  | {
      readonly landed: true;
      readonly metadataLocation: string;
      readonly metadata: TableMetadata;
      readonly etag?: string;
      /** Keys of the intents the new metadata file applied. */
      readonly applied: readonly string[];
      /** Keys of the intents that were claimed but did not apply on this base, and why. */
      readonly refused: ReadonlyMap<string, Error>;
    }
  | {
      readonly landed: false;
      readonly refused: ReadonlyMap<string, Error>;
      /** True when the fold swapped and lost (another commit moved the pointer first). */
      readonly attempted: boolean;
    };

interface Claimed {
  readonly key: string;
  readonly intent: IntentRecord;
  readonly etag: string;
}

/**
 * `abandoned` collects the metadata files this caller claimed intents for and will never swap in
 * (its own claims on them are void); a file leaves it only if its swap landed or is in doubt.
 */
export async function foldIntents(ctx: CatalogContext, target: FoldTarget, pointer: PointerRecord, abandoned: Set<string>, options: FoldOptions = {}): Promise<FoldOutcome> {
  const baseLocation = pointer.value.metadataLocation;
  const base = await ctx.metadataFiles.read(baseLocation);
  const waiting = await readWaitingIntents(ctx, target, pointer, base, abandoned);
  const refused = new Map<string, Error>();
  const own = options.own;
  if (waiting.length === 0 && own === undefined) return { landed: false, refused, attempted: false };

  const metadataLocation = nextMetadataLocation(base, baseLocation, ctx.newUuid());
  abandoned.add(metadataLocation);
  // Claims and the build do not depend on each other until the file is written: run them together,
  // and build again only in the rare case that some intent could not be claimed.
  const [claimed, speculative] = await Promise.all([
    claimAll(ctx, waiting, baseLocation, metadataLocation),
    applyInOrder(ctx, target, base, baseLocation, folded(waiting, own)).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
  ]);
  let built: Built;
  if (claimed.length === waiting.length && speculative.ok) {
    built = speculative.value;
  } else {
    if (speculative.ok) await discardAll(ctx, speculative.value.rebased);
    if (claimed.length === 0 && own === undefined) return { landed: false, refused, attempted: false };
    if (claimed.length === waiting.length && !speculative.ok) throw speculative.error;
    built = await applyInOrder(ctx, target, base, baseLocation, folded(claimed, own));
  }
  for (const [key, error] of built.refused) refused.set(key, error);
  const rejected = claimed.filter((c) => built.refused.has(c.key));
  const released = await Promise.all(rejected.map((c) => unclaim(ctx, c.key, metadataLocation)));
  const applied = [...claimed, ...(own !== undefined ? [{ key: OWN_REQUEST }] : [])].filter((c) => !built.refused.has(c.key));
  // A claim we could not take back would read as applied if this file landed: it must not land.
  if (released.includes(false) || applied.length === 0) {
    await discardAll(ctx, built.rebased);
    return { landed: false, refused, attempted: false };
  }

  await ctx.metadataFiles.write(metadataLocation, built.metadata);
  let swapped;
  try {
    const advanced = advancedTo(pointer.value, metadataLocation);
    const next = groupingHinted(pointer, applied.length, options, ctx.clock.now()) ? { ...advanced, groupingUntilMs: ctx.clock.now() + GROUPING_WINDOW_MS } : advanced;
    swapped = await swapPointer(ctx, target.pointerKey, pointer, next, (current) => descendsFrom(ctx, current, metadataLocation));
  } catch (error) {
    // In doubt: the file may be current, so our claims on it stand and nothing is deleted.
    if (error instanceof CommitStateUnknownError) abandoned.delete(metadataLocation);
    throw error;
  }
  if (!swapped.landed) {
    await ctx.metadataFiles.discard(metadataLocation);
    await discardAll(ctx, built.rebased);
    return { landed: false, refused, attempted: true };
  }
  abandoned.delete(metadataLocation);
  await removeExpiredMetadata(ctx, built.metadata, built.expiredMetadataLog);
  return {
    landed: true,
    metadataLocation,
    metadata: built.metadata,
    ...(swapped.etag !== undefined ? { etag: swapped.etag } : {}),
    applied: applied.map((c) => c.key),
    refused,
  };
}

export interface FoldOptions {
  /** This writer's previous fold lost its swap to another commit: the table is contended. */
  readonly contended?: boolean;
  /**
   * The folding writer's own commit, applied after the waiting intents (it arrived last). It is
   * never written as an intent: nobody else can apply it, so it needs no claim, and its outcome is
   * this fold's (in `applied` or `refused` under OWN_REQUEST).
   */
  readonly own?: OwnRequest;
}

export interface OwnRequest {
  readonly requirements: readonly TableRequirement[];
  readonly updates: readonly TableUpdate[];
}

/** The key under which a fold reports the folding writer's own request (never an intent's key: those are store keys). */
export const OWN_REQUEST = '(own request)';

/**
 * Whether the new pointer tells commits to queue at once (`grouping-until-ms`): once a fold lost its
 * swap to direct commits, and for as long as big folds keep coming. A table whose writers collide
 * now and then never sets it, and keeps the direct path (one swap, no waiting) for most commits.
 */
function groupingHinted(pointer: PointerRecord, applied: number, options: FoldOptions, nowMs: number): boolean {
  if (applied < GROUPING_MIN_BATCH) return false;
  return options.contended === true || (pointer.value.groupingUntilMs ?? 0) > nowMs;
}

interface Waiting {
  readonly key: string;
  readonly intent: IntentRecord;
  readonly etag: string;
  /** Another folder's claim on the same base: ours joins it (only one of the files can land). */
  readonly joinClaim: boolean;
}

/** The intents a fold on this pointer may apply, oldest first; expired leftovers are deleted on the way. */
async function readWaitingIntents(ctx: CatalogContext, target: FoldTarget, pointer: PointerRecord, base: TableMetadata, abandoned: ReadonlySet<string>): Promise<Waiting[]> {
  const page = await ctx.records.objects.list({ prefix: ctx.keys.intentsPrefix(target.warehouse, target.tableUuid), maxKeys: 1000 });
  const keys = page.objects.map((o) => o.key).sort();
  const now = ctx.clock.now();
  const read = await mapLimit(keys.slice(0, MAX_FOLDED_INTENTS * 2), IO_CONCURRENCY, async (key) => {
    const record = await ctx.records.read(key, readIntentRecord).catch(() => undefined);
    if (record === undefined) return undefined;
    const age = now - record.value.createdMs;
    if (age > INTENT_EXPIRY_MS) {
      await ctx.records.delete(key).catch(() => undefined);
      return undefined;
    }
    if (record.value.state !== 'pending' || age > FOLD_WINDOW_MS) return undefined;
    const state = await stateOfClaims(ctx, record.value.claims, pointer.value, abandoned, base);
    if (state.kind !== 'free' && state.kind !== 'in-flight') return undefined;
    // Another folder is building on this base with it: leave it to that fold unless the folder stopped.
    if (state.kind === 'in-flight' && now - record.value.claims!.claimedMs < STALE_CLAIM_MS) return undefined;
    return { key, intent: record.value, etag: record.etag, joinClaim: state.kind === 'in-flight' };
  });
  return read.filter((w): w is Waiting => w !== undefined).slice(0, MAX_FOLDED_INTENTS);
}

/** If-Match on each intent: one changed since we read it (claimed, withdrawn) is left to the next fold. */
async function claimAll(ctx: CatalogContext, waiting: readonly Waiting[], baseLocation: string, metadataLocation: string): Promise<Claimed[]> {
  const claimedMs = ctx.clock.now();
  const results = await mapLimit(waiting, IO_CONCURRENCY, async (w) => {
    const intent = claimedBy(w.intent, baseLocation, metadataLocation, claimedMs, w.joinClaim);
    const written = await ctx.records.replace(w.key, intentToJson(intent), w.etag);
    if (written.ok) return { key: w.key, intent, etag: written.etag };
    if (written.reason === 'precondition-failed') return undefined;
    // Our claim may have landed and been built on since (another folder joined it): what the record
    // says now decides, because a claim naming our file must be in it if the file lands.
    const now = await ctx.records.read(w.key, readIntentRecord);
    if (now?.value.claims?.metadata.includes(metadataLocation) === true) return { key: w.key, intent: now.value, etag: now.etag };
    if (written.reason === 'unknown') throw new Error(`Could not settle the claim on commit intent ${w.key}`);
    return undefined;
  });
  return results.filter((c): c is Claimed => c !== undefined);
}

interface Built {
  readonly metadata: TableMetadata;
  readonly expiredMetadataLog: readonly { readonly metadataFile: string }[];
  readonly rebased: readonly RebasedAppend[];
  readonly refused: ReadonlyMap<string, Error>;
}

/**
 * Each intent on the metadata the previous ones produced, as its writer's own retry would apply it
 * on a newer base. Only the first change appends the base to the metadata log: the later ones are
 * part of the same new file.
 */
/** What a fold applies, in order: the intents' requests as stored (JSON, validated here), then the folder's own, already validated. */
type Folded = { readonly key: string; readonly request: IntentRecord['request'] } | { readonly key: typeof OWN_REQUEST; readonly own: OwnRequest };

function folded(intents: readonly { readonly key: string; readonly intent: IntentRecord }[], own: OwnRequest | undefined): Folded[] {
  const items: Folded[] = intents.map((i) => ({ key: i.key, request: i.intent.request }));
  if (own !== undefined) items.push({ key: OWN_REQUEST, own });
  return items;
}

async function applyInOrder(ctx: CatalogContext, target: FoldTarget, base: TableMetadata, baseLocation: string, items: readonly Folded[]): Promise<Built> {
  const confinement = confinementOf(ctx.config);
  let metadata = base;
  let changed = false;
  const expiredMetadataLog: { readonly metadataFile: string }[] = [];
  const rebased: RebasedAppend[] = [];
  const refused = new Map<string, Error>();
  const cache: ImmutableFileCache = new Map();
  const deferred: DeferredWrites = [];
  const parsed = items.map((c) => {
    if ('own' in c) return { c, requirements: c.own.requirements, updates: c.own.updates };
    try {
      return { c, requirements: validateCatalogRequirements(c.request.requirements), updates: validateTableUpdates(c.request.updates) as readonly TableUpdate[] };
    } catch (error) {
      return { c, error: error as Error };
    }
  });
  // Each append's own files are read at once; the rebases then wait only on each other, in memory.
  await Promise.all(parsed.map((p) => (p.error === undefined ? prefetchAppend(ctx, base, p.requirements!, p.updates!, cache) : undefined)));
  let round = 0;
  for (const { c, requirements, updates, error: invalid } of parsed) {
    try {
      if (invalid !== undefined) throw invalid;
      const context = { now: ctx.clock.now(), newUuid: ctx.newUuid, ...(changed ? {} : { previousMetadataLocation: baseLocation }) };
      const { result, rebased: list } = await applyOrRebase(ctx, metadata, requirements!, updates!, context, ++round, cache, deferred);
      try {
        checkTableLocations(confinement, target.warehouse, target.id.namespace, metadata, result.metadata);
      } catch (error) {
        await discardRebasedList(ctx, list);
        throw error;
      }
      if (list !== undefined) rebased.push(list);
      if (result.changes.length > 0) {
        metadata = result.metadata;
        changed = true;
        expiredMetadataLog.push(...result.expiredMetadataLog);
      }
    } catch (error) {
      // What the writer's own commit would have been refused for; anything else is a fault.
      if (!(error instanceof CatalogError) || error.status >= 500) throw error;
      refused.set(c.key, error);
    }
  }
  // A rebased list that could not be written would leave the metadata naming a missing file.
  const written = await Promise.all(deferred);
  if (written.includes(false)) throw new Error('A rebased manifest list of the group commit could not be created');
  return { metadata, expiredMetadataLog, rebased, refused };
}

/** Takes our file off an intent it will not contain; false when that could not be settled. */
async function unclaim(ctx: CatalogContext, key: string, metadataLocation: string): Promise<boolean> {
  for (let attempt = 0; attempt < UNCLAIM_ATTEMPTS; attempt++) {
    const current = await ctx.records.read(key, readIntentRecord);
    if (current === undefined || current.value.claims?.metadata.includes(metadataLocation) !== true) return true;
    const written = await ctx.records.replace(key, intentToJson(unclaimedBy(current.value, metadataLocation)), current.etag);
    if (written.ok) return true;
    if (written.reason === 'unknown') return false;
  }
  return false;
}

async function discardAll(ctx: CatalogContext, lists: readonly RebasedAppend[]): Promise<void> {
  await Promise.all(lists.map((list) => discardRebasedList(ctx, list)));
}
