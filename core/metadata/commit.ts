/**
 * A table commit: check the requirements against the current metadata, apply the updates in order,
 * build. Everything comes in through arguments, so after a lost pointer swap the catalog can call
 * this again with the newer base and get the server-side retry the RCK expects.
 */
import { BadRequestError, CommitFailedError } from '../errors.js';
import { applyUpdates } from './apply-update.js';
import { build, type BuildResult } from './builder.js';
import { createFromUpdates, type CreateFromUpdatesContext } from './create-from-updates.js';
import { startDraft } from './draft.js';
import { longFromMillis } from './long.js';
import { checkRequirements } from './requirements/check-requirement.js';
import type { TableMetadata, TableRequirement, TableUpdate } from './types.js';

export interface CommitContext extends CreateFromUpdatesContext {
  /** The location `base` was read from; it is appended to the metadata log. */
  readonly previousMetadataLocation?: string;
}

export function commit(
  base: TableMetadata | undefined,
  requirements: readonly TableRequirement[],
  updates: readonly TableUpdate[],
  ctx: CommitContext,
): BuildResult {
  const isCreate = requirements.some((requirement) => requirement.type === 'assert-create');
  if (isCreate && requirements.length > 1) {
    const others = requirements.filter((requirement) => requirement.type !== 'assert-create').map((requirement) => requirement.type);
    throw new BadRequestError(`Invalid create requirements: ${others.join(', ')}`);
  }
  checkRequirements(base, requirements);

  if (base === undefined) {
    if (!isCreate) throw new CommitFailedError('Requirement failed: table does not exist');
    return createFromUpdates(updates, ctx);
  }
  const draft = applyUpdates(startDraft(base, longFromMillis(ctx.now)), updates);
  return build(draft, ctx.previousMetadataLocation === undefined ? {} : { previousMetadataLocation: ctx.previousMetadataLocation });
}
