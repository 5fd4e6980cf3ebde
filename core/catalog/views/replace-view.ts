import { CommitFailedError, type CommitStateUnknownError, type BadRequestError, type NoSuchViewError } from '../../errors.js';
import { commitView, nextViewMetadataLocation, type ViewMetadata, type ViewRequirement, type ViewUpdate } from '../../metadata/views/index.js';
import type { CatalogContext } from '../context.js';
import { parseMetadataVersion } from '../../metadata/metadata-file-name.js';
import { advancedTo, type PointerRecord } from '../pointers/object-pointer.js';
import { swapPointer } from '../pointers/swap-pointer.js';
import { pause } from '../retry.js';
import { validateLocation } from '../tables/table-location.js';
import { confinementOf } from '../locations/confinement.js';
import { checkViewLocations } from '../locations/object-locations.js';
import { findViewPointer, formatViewIdentifier, noSuchView, type ViewIdentifier } from './view-lookup.js';

/** The same bound as table commits (tables/commit-table.ts MAX_COMMIT_ATTEMPTS). */
export const MAX_VIEW_COMMIT_ATTEMPTS = 10;

export interface ReplacedView {
  readonly metadataLocation: string;
  readonly metadata: ViewMetadata;
  /** How many lost pointer swaps the server re-applied the updates after. */
  readonly serverRetries: number;
}

export type ReplaceViewError = NoSuchViewError | CommitFailedError | CommitStateUnknownError | BadRequestError;

/**
 * GET pointer → check requirements and apply updates on its metadata → PUT the new metadata file
 * (If-None-Match: *) → PUT the pointer (If-Match). A lost swap is retried on the new base while the
 * requirements still hold there (server-side retry: two replaces from one base give versions 1, 2,
 * 3, as the RCK's concurrentReplaceViewVersion expects); a failed requirement is a 409.
 */
export async function replaceView(
  ctx: CatalogContext,
  warehouse: string,
  id: ViewIdentifier,
  requirements: readonly ViewRequirement[],
  updates: readonly ViewUpdate[],
): Promise<ReplacedView> {
  const files = ctx.viewMetadataFiles;
  for (let attempt = 0; attempt < MAX_VIEW_COMMIT_ATTEMPTS; attempt++) {
    const found = await findViewPointer(ctx, warehouse, id);
    if (found === undefined) throw noSuchView(id);
    const { key, pointer } = found;
    const base = await files.read(pointer.value.metadataLocation);
    const result = commitView(base, requirements, updates, { now: ctx.clock.now() });
    if (result.changes.length === 0) return { metadataLocation: pointer.value.metadataLocation, metadata: base, serverRetries: attempt };
    // A set-location or write.metadata.path change moves the file: it must still be a location we can write.
    checkViewLocations(confinementOf(ctx.config), warehouse, id.namespace, base, result.metadata);
    const metadataLocation = validateLocation(nextViewMetadataLocation(result.metadata, pointer.value.metadataLocation, ctx.newUuid()));
    await files.write(metadataLocation, result.metadata);
    const swapped = await swapPointer(ctx, key, pointer, advancedTo(pointer.value, metadataLocation), async (current) => viewDescendsFrom(current, pointer.value.uuid, metadataLocation));
    if (swapped.landed) return { metadataLocation, metadata: result.metadata, serverRetries: attempt };
    await files.discard(metadataLocation);
    await pause(ctx, attempt);
  }
  throw new CommitFailedError(`Commit failed: ${formatViewIdentifier(id)} changed concurrently ${MAX_VIEW_COMMIT_ATTEMPTS} times; retry`);
}

/**
 * View metadata keeps no log of earlier files, so ancestry is read from the file names instead:
 * had ours landed, every later swap was built on it and names its file with a higher version. A
 * current file of the same view with our version number is therefore a rival's built on our base,
 * and ours never landed. Anything else cannot be told apart.
 */
function viewDescendsFrom(current: PointerRecord, uuid: string, metadataLocation: string): boolean | undefined {
  if (current.value.metadataLocation === metadataLocation) return true;
  const ours = parseMetadataVersion(metadataLocation);
  if (current.value.uuid === uuid && ours > 0 && parseMetadataVersion(current.value.metadataLocation) === ours) return false;
  return undefined;
}
