/**
 * The steps of a table commit that a plain commit and a group commit (core/catalog/group-commit)
 * share: apply the request on a base (rebasing a fast append when the table allows it), tell
 * whether a swap in doubt landed, and trim old metadata files after one did.
 */
import { CommitFailedError } from '../../errors.js';
import { commit, rebaseAppendsEnabled, type BuildResult, type CommitContext, type TableMetadata, type TableRequirement, type TableUpdate } from '../../metadata/index.js';
import type { CatalogContext } from '../context.js';
import type { PointerRecord } from '../pointers/object-pointer.js';
import { confinementOf } from '../locations/confinement.js';
import { insideTableLocations } from '../locations/object-locations.js';
import { discardRebasedList, rebaseAppend, type DeferredWrites, type ImmutableFileCache, type RebasedAppend } from './rebase-append.js';

/**
 * commit() on this base; when that fails with a 409 on a table with `catalog.rebase-appends`, the
 * rebased append instead (its new manifest list already written), or the original 409 if the commit
 * is not an append the server may rebase.
 */
export async function applyOrRebase(
  ctx: CatalogContext,
  base: TableMetadata,
  requirements: readonly TableRequirement[],
  updates: readonly TableUpdate[],
  commitContext: CommitContext,
  round: number,
  cache: ImmutableFileCache,
  deferred?: DeferredWrites,
): Promise<{ result: BuildResult; rebased?: RebasedAppend }> {
  try {
    return { result: commit(base, requirements, updates, commitContext) };
  } catch (error) {
    if (!(error instanceof CommitFailedError) || !rebaseAppendsEnabled(base)) throw error;
    const attempted = await rebaseAppend(ctx, base, requirements, updates, round, cache, deferred);
    if ('refused' in attempted) throw error;
    const rebased = attempted.rebased;
    try {
      return { result: commit(base, rebased.requirements, rebased.updates, commitContext), rebased };
    } catch (rebasedError) {
      // The rewrite is built to pass on this base; if it does not, the client's own 409 stands.
      await discardRebasedList(ctx, rebased);
      throw new CommitFailedError(error.message, { cause: rebasedError });
    }
  }
}

/**
 * Our metadata file is current, or in the current file's metadata log (every later commit was
 * built on it). The log keeps `write.metadata.previous-versions-max` entries, so a change buried
 * under more commits than that in the moment between our swap and this read would read as lost.
 */
export async function descendsFrom(ctx: CatalogContext, current: PointerRecord, metadataLocation: string): Promise<boolean> {
  if (current.value.metadataLocation === metadataLocation) return true;
  const metadata = await ctx.metadataFiles.read(current.value.metadataLocation);
  return metadata.metadataLog.some((entry) => entry.metadataFile === metadataLocation);
}

/** `write.metadata.delete-after-commit.enabled`: best effort, after the swap, never failing the commit. */
export async function removeExpiredMetadata(ctx: CatalogContext, metadata: TableMetadata, expired: readonly { readonly metadataFile: string }[]): Promise<void> {
  if (metadata.properties['write.metadata.delete-after-commit.enabled'] !== 'true') return;
  // Log entries are client input (register, older locations): only the table's own files go.
  const own = expired.filter((entry) => insideTableLocations(confinementOf(ctx.config), metadata, entry.metadataFile));
  await Promise.all(own.map((entry) => ctx.metadataFiles.discard(entry.metadataFile)));
}
