/**
 * A view commit: check the requirements against the current metadata, apply the updates in order,
 * build. Everything comes in through arguments and ids are re-assigned by the engine, so after a
 * lost pointer swap the catalog can call this again with the newer base and get the server-side
 * retry the RCK expects (two replaces from one base give versions 1, 2, 3).
 */
import { longFromMillis } from '../long.js';
import { applyViewUpdates } from './apply-update.js';
import { buildView, type ViewBuildResult } from './build.js';
import { startViewDraft } from './draft.js';
import { checkViewRequirements } from './requirements/check-view-requirement.js';
import type { ViewMetadata, ViewRequirement, ViewUpdate } from './types.js';

export interface ViewCommitContext {
  /** Milliseconds since the epoch: stamps a version-log entry for a version this commit did not add. */
  readonly now: number;
}

/** A view that does not exist is the catalog's 404 (NoSuchView) before this is called. */
export function commitView(
  base: ViewMetadata,
  requirements: readonly ViewRequirement[],
  updates: readonly ViewUpdate[],
  ctx: ViewCommitContext,
): ViewBuildResult {
  checkViewRequirements(base, requirements);
  const draft = applyViewUpdates(startViewDraft(base, longFromMillis(ctx.now)), updates);
  return buildView(draft);
}
