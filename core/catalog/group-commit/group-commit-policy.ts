import { CommitFailedError } from '../../errors.js';
import { commit, planAppendRebase, rebaseAppendsEnabled, type TableMetadata, type TableRequirement, type TableUpdate } from '../../metadata/index.js';
import { ownValue } from '../../metadata/own-property.js';

/** `false` turns group commit off for one table: a lost swap is then retried by its own writer only. */
export const GROUP_COMMIT_PROPERTY = 'catalog.group-commit.enabled';

/** Intents older than this are never folded: their writer has answered (its deadline is shorter). */
export const FOLD_WINDOW_MS = 30_000;
/** Leftover intents (a writer that died) older than this are deleted by the next folder that meets them. */
export const INTENT_EXPIRY_MS = 5 * 60_000;
/** How many intents one pointer swap applies at most: bounds the metadata a fold builds and writes. */
export const MAX_FOLDED_INTENTS = 128;
/** A claim this old whose base is still current belongs to a folder that stopped: others fold beside it. */
export const STALE_CLAIM_MS = 4_000;
/**
 * After a fold lands, commits on the table queue as intents at once for this long (the pointer says
 * so) rather than racing the next fold: under contention the direct attempt mostly loses anyway.
 */
export const GROUPING_WINDOW_MS = 3_000;
/**
 * Only a fold of at least this many intents sets the hint: a collision of two writers now and then
 * (a stream of appends every few seconds) keeps the cheaper direct path for everyone else.
 */
export const GROUPING_MIN_BATCH = 4;
/** Kept back from the request's deadline to settle the intent (withdraw it, or find it applied). */
export const SETTLE_RESERVE_MS = 2_500;

export function groupCommitEnabled(metadata: TableMetadata): boolean {
  return ownValue(metadata.properties, GROUP_COMMIT_PROPERTY)?.trim().toLowerCase() !== 'false';
}

/**
 * Whether a request that lost its swap may wait as an intent: it must apply on the base as read now,
 * directly (its requirements still hold: the server would retry it anyway) or as a rebased fast
 * append on a table with `catalog.rebase-appends`. Anything else gets its 409 from the writer's own
 * path, exactly as without group commit. Pure: no manifest is read.
 */
export function mayWaitAsIntent(base: TableMetadata, requirements: readonly TableRequirement[], updates: readonly TableUpdate[], nowMs: number): boolean {
  if (!groupCommitEnabled(base) || requirements.some((r) => r.type === 'assert-create')) return false;
  try {
    commit(base, requirements, updates, { now: nowMs, newUuid: () => '00000000-0000-4000-8000-000000000000' });
    return true;
  } catch (error) {
    if (error instanceof CommitFailedError) return rebaseAppendsEnabled(base) && planAppendRebase(base, requirements, updates).ok;
    // Any other refusal (or fault) is met again, and answered, on the writer's own path.
    return false;
  }
}
