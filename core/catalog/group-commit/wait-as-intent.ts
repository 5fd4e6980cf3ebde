/**
 * The writer's side of group commit: a commit that lost its swap under contention leads a fold when
 * nobody is folding (its own commit with every waiting intent); otherwise it leaves its request as
 * an intent beside the table and watches the pointer. The fold under way, or the next, folds it in
 * (fold-intents.ts); when a fold passes it over (it listed too early) and nobody holds the lease,
 * the writer folds itself, taking every other waiting intent along. Its answer is the metadata file that applied its
 * intent, or, at its deadline, the 409 it would have had (once the intent is withdrawn so that no
 * folder can apply it later), or "state unknown" when neither can be established.
 */
import { CommitFailedError, CommitStateUnknownError } from '../../errors.js';
import type { JsonValue } from '../../json/lossless-json.js';
import type { TableMetadata } from '../../metadata/index.js';
import type { CatalogContext } from '../context.js';
import type { PointerRecord } from '../pointers/object-pointer.js';
import { findTablePointer, formatIdentifier, noSuchTable } from '../tables/table-lookup.js';
import { foldIntents, OWN_REQUEST, type FoldOptions, type FoldOutcome, type FoldTarget, type OwnRequest } from './fold-intents.js';
import { SETTLE_RESERVE_MS, STALE_CLAIM_MS } from './group-commit-policy.js';
import { releaseFoldLease, tryFoldLease } from './fold-lease.js';
import { intentName, intentToJson, readIntentRecord } from './intent-record.js';
import { stateOfClaims } from './intent-state.js';

const FIRST_POLL_MS = 8;
const MAX_POLL_MS = 250;

export interface IntentRequest {
  readonly requirements: JsonValue;
  readonly updates: JsonValue;
}

export interface GroupCommitOutcome {
  readonly metadataLocation: string;
  readonly metadata: TableMetadata;
  readonly etag?: string;
  /** Folds this writer ran itself (its own or other writers' intents). */
  readonly folds: number;
  /** True when this writer's own fold swapped its commit in (it led): not another writer's swap. */
  readonly led?: boolean;
}

type Settled = { readonly kind: 'applied'; readonly metadataLocation: string } | { readonly kind: 'withdrawn' } | { readonly kind: 'unknown' };

/**
 * A commit that lost its swap under contention (or met the grouping hint): lead a fold if nobody is
 * folding, else wait as an intent for the folder to take it along.
 */
export async function commitGrouped(ctx: CatalogContext, target: Omit<FoldTarget, 'pointerKey'>, request: IntentRequest, own: OwnRequest, deadlineMs: number): Promise<GroupCommitOutcome> {
  const led = await leadFold(ctx, target, own, deadlineMs);
  return led ?? commitAsIntent(ctx, target, request, deadlineMs);
}

/**
 * The writer that takes the fold lease folds the waiting intents together with its own commit,
 * which it never writes as an intent: nobody else can apply it, so it needs no claim and no
 * withdrawal, and its answer is its own fold's, as a direct commit's is its own swap's (a lost swap
 * is retried on the new base at once; a requirement that fails there is its 409). Undefined when
 * another writer holds the lease: that one's fold (or the next) takes this commit as an intent.
 */
async function leadFold(ctx: CatalogContext, target: Omit<FoldTarget, 'pointerKey'>, own: OwnRequest, deadlineMs: number): Promise<GroupCommitOutcome | undefined> {
  const lease = ctx.keys.foldLease(target.warehouse, target.tableUuid);
  if (!(await tryFoldLease(ctx, lease, STALE_CLAIM_MS))) return undefined;
  const abandoned = new Set<string>();
  let folds = 0;
  let lost = 0;
  try {
    while (folds === 0 || ctx.clock.now() < deadlineMs) {
      const found = await findTablePointer(ctx, target.warehouse, target.id);
      if (found === undefined || found.pointer.value.uuid !== target.tableUuid) throw noSuchTable(target.id);
      folds++;
      let outcome: FoldOutcome;
      try {
        outcome = await foldIntents(ctx, { ...target, pointerKey: found.key }, found.pointer, abandoned, { contended: lost > 0, own });
      } catch (error) {
        // In doubt about our swap: the commit may have landed. Any other fault (another writer's
        // intent that cannot be built, a store error) happened before the swap: nothing of ours
        // landed, and the commit waits as an intent like any other, for a fold that can make it.
        if (error instanceof CommitStateUnknownError) throw error;
        return undefined;
      }
      const refusal = outcome.refused.get(OWN_REQUEST);
      if (refusal !== undefined) throw refusal;
      if (outcome.landed) return { metadataLocation: outcome.metadataLocation, metadata: outcome.metadata, ...(outcome.etag !== undefined ? { etag: outcome.etag } : {}), folds, led: true };
      if (outcome.attempted) lost++;
    }
  } finally {
    await releaseFoldLease(ctx, lease);
  }
  throw new CommitFailedError(`Commit failed: ${formatIdentifier(target.id)} changed concurrently ${lost} times; retry`);
}

export async function commitAsIntent(ctx: CatalogContext, target: Omit<FoldTarget, 'pointerKey'>, request: IntentRequest, deadlineMs: number): Promise<GroupCommitOutcome> {
  const key = ctx.keys.intent(target.warehouse, target.tableUuid, intentName(ctx.clock.now(), ctx.newUuid()));
  const created = await ctx.records.create(key, intentToJson({ createdMs: ctx.clock.now(), state: 'pending', request }));
  if (!created.ok) {
    if (created.reason === 'precondition-failed') throw new CommitFailedError(`Commit failed: ${formatIdentifier(target.id)} changed concurrently; retry`);
    throw commitStateUnknown();
  }
  const abandoned = new Set<string>();
  let folds = 0;
  let polls = 0;
  /** The pointer's location when we last read our intent: its fate only changes when the pointer moves. */
  let lastSeen: string | undefined;
  /** Until then someone else is folding (holds our claim or the lease): watch the pointer only. */
  let othersFoldingUntil = 0;
  /** Folds of ours that lost their swap: the next one tells others to queue rather than race. */
  let lostFolds = 0;
  /** Polls since the pointer last moved: the wait starts short again after every swap. */
  let sinceMove = 0;
  const lease = ctx.keys.foldLease(target.warehouse, target.tableUuid);
  const done = async (metadataLocation: string, metadata?: TableMetadata, etag?: string): Promise<GroupCommitOutcome> => {
    // Not awaited: the answer does not depend on it, and a leftover intent (applied: its claims say
    // so) is skipped by every fold and deleted once it expires.
    void ctx.records.delete(key).catch(() => undefined);
    return { metadataLocation, metadata: metadata ?? (await ctx.metadataFiles.read(metadataLocation)), ...(etag !== undefined ? { etag } : {}), folds };
  };
  while (ctx.clock.now() < deadlineMs - SETTLE_RESERVE_MS) {
    const found = await findTablePointer(ctx, target.warehouse, target.id);
    if (found === undefined || found.pointer.value.uuid !== target.tableUuid) break;
    const location = found.pointer.value.metadataLocation;
    const moved = location !== lastSeen;
    if (moved) sinceMove = 0;
    if (moved || ctx.clock.now() >= othersFoldingUntil) {
      const intent = await ctx.records.read(key, readIntentRecord);
      if (intent === undefined) throw new CommitStateUnknownError('Commit state unknown: the commit intent disappeared; load the table to find out');
      const state = await stateOfClaims(ctx, intent.value.claims, found.pointer.value, abandoned);
      if (state.kind === 'applied') return done(state.metadataLocation);
      if (state.kind === 'unknown') break;
      lastSeen = location;
      othersFoldingUntil = 0;
      if (state.kind === 'in-flight') othersFoldingUntil = intent.value.claims!.claimedMs + STALE_CLAIM_MS;
      // Nobody holds our intent: fold, bringing every waiting intent along, unless the lease says a
      // fold is under way. A swap that passed us over was a fold that listed before our intent was
      // there: the next fold starts now, not after another look at the pointer. (Not on the first
      // look: we are here because the lease was taken a moment ago.)
      else if (polls > 0) {
        if (await tryFoldLease(ctx, lease, STALE_CLAIM_MS)) {
          folds++;
          const folded = await foldOnce(ctx, { ...target, pointerKey: found.key }, found.pointer, abandoned, { contended: lostFolds > 0 }).finally(() => releaseFoldLease(ctx, lease));
          if (folded !== undefined && !folded.landed && folded.attempted) lostFolds++;
          if (folded?.landed === true && folded.applied.includes(key)) return done(folded.metadataLocation, folded.metadata, folded.etag);
          const refusal = folded?.refused.get(key);
          if (refusal !== undefined) {
            const settled = await refuse(ctx, key, target, abandoned, refusal);
            return done(settled.metadataLocation);
          }
          continue;
        }
        // Another writer is folding: its swap moves the pointer (or its lease runs out).
        othersFoldingUntil = ctx.clock.now() + STALE_CLAIM_MS;
      }
    }
    polls++;
    await ctx.sleep(pollDelay(++sinceMove, ctx.random));
  }
  const settled = await settle(ctx, key, target, abandoned);
  if (settled.kind === 'applied') return done(settled.metadataLocation);
  if (settled.kind === 'unknown') throw commitStateUnknown();
  await ctx.records.delete(key).catch(() => undefined);
  const found = await findTablePointer(ctx, target.warehouse, target.id, 'read');
  if (found === undefined || found.pointer.value.uuid !== target.tableUuid) throw noSuchTable(target.id);
  throw new CommitFailedError(`Commit failed: ${formatIdentifier(target.id)} changed concurrently too often; retry`);
}

/** The one answer of a writer that cannot establish whether its intent was applied (invariant 8). */
function commitStateUnknown(cause?: unknown): CommitStateUnknownError {
  return new CommitStateUnknownError('Commit state unknown: the commit may or may not have been applied; load the table to find out', cause === undefined ? undefined : { cause });
}

/** One fold; a fault in it leaves our claims void (the file never lands) and the writer goes on waiting. */
async function foldOnce(ctx: CatalogContext, target: FoldTarget, pointer: PointerRecord, abandoned: Set<string>, options: FoldOptions): Promise<FoldOutcome | undefined> {
  try {
    return await foldIntents(ctx, target, pointer, abandoned, options);
  } catch (error) {
    if (error instanceof CommitStateUnknownError) throw error;
    return undefined;
  }
}

/**
 * Our own intent did not apply on the table as it stands: withdraw it and give the writer its
 * refusal. If a folder whose base still allowed it applied it meanwhile, the commit landed after
 * all, and the writer gets that file (the answer it would have had from that folder).
 */
async function refuse(ctx: CatalogContext, key: string, target: Omit<FoldTarget, 'pointerKey'>, abandoned: Set<string>, refusal: Error): Promise<{ readonly metadataLocation: string }> {
  const settled = await settle(ctx, key, target, abandoned);
  if (settled.kind === 'applied') return settled;
  if (settled.kind === 'withdrawn') {
    await ctx.records.delete(key).catch(() => undefined);
    throw refusal;
  }
  throw commitStateUnknown(refusal);
}

/**
 * Ends the intent's life: applied (a landed file holds it), or withdrawn (If-Match on the intent
 * while no claim on it can land any more; folders never apply a withdrawn intent). A claim still in
 * flight is waited out within the reserve.
 */
async function settle(ctx: CatalogContext, key: string, target: Omit<FoldTarget, 'pointerKey'>, abandoned: ReadonlySet<string>): Promise<Settled> {
  const until = ctx.clock.now() + SETTLE_RESERVE_MS;
  for (let attempt = 0; ctx.clock.now() < until || attempt === 0; attempt++) {
    const intent = await ctx.records.read(key, readIntentRecord);
    if (intent === undefined) return { kind: 'unknown' };
    const found = await findTablePointer(ctx, target.warehouse, target.id, 'read');
    const gone = found === undefined || found.pointer.value.uuid !== target.tableUuid;
    const state = gone
      ? intent.value.claims === undefined || intent.value.claims.metadata.every((m) => abandoned.has(m)) ? ({ kind: 'free' } as const) : ({ kind: 'unknown' } as const)
      : await stateOfClaims(ctx, intent.value.claims, found.pointer.value, abandoned);
    if (state.kind === 'applied') return state;
    if (state.kind === 'unknown') return state;
    if (state.kind === 'free') {
      const { claims: _claims, ...rest } = intent.value;
      const written = await ctx.records.replace(key, intentToJson({ ...rest, state: 'withdrawn' }), intent.etag);
      if (written.ok) return { kind: 'withdrawn' };
      if (written.reason === 'unknown') return { kind: 'unknown' };
      continue;
    }
    await ctx.sleep(pollDelay(attempt + 1, ctx.random));
  }
  return { kind: 'unknown' };
}

function pollDelay(polls: number, random: () => number): number {
  const ceiling = Math.min(MAX_POLL_MS, FIRST_POLL_MS * 1.6 ** Math.min(polls, 12));
  return ceiling / 2 + random() * (ceiling / 2);
}

