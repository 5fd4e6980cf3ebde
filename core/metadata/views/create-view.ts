/**
 * New view metadata for createView, following Java's `BaseMetastoreViewCatalog` create: the
 * request's schema keeps its column ids (engines compare the stored schema with the one they sent;
 * unlike a table, a view has no data files whose columns the ids must match) and gets schema id 0,
 * and the server builds version 1
 * itself (its own timestamp, the requested schema id replaced) through the same update functions
 * a commit uses, so create and replace cannot disagree on any rule.
 */
import { BadRequestError } from '../../errors.js';
import { longFromMillis } from '../long.js';
import { applyViewUpdates } from './apply-update.js';
import { buildView } from './build.js';
import { emptyViewDraft } from './draft.js';
import type { CreateViewRequest, ViewMetadata, ViewUpdate, ViewVersion } from './types.js';

export interface CreateViewContext {
  /** Milliseconds since the epoch; the engine never reads a clock itself. */
  readonly now: number;
  readonly newUuid: () => string;
}

const INITIAL_VERSION_ID = 1;
const LAST_ADDED = -1;

/** `location` must already be resolved by the catalog (request location or its default). */
export function createView(request: CreateViewRequest & { readonly location: string }, ctx: CreateViewContext): ViewMetadata {
  if (request.location === '') throw new BadRequestError('Cannot create a view without a location');
  const now = longFromMillis(ctx.now);
  const updates: ViewUpdate[] = [
    { action: 'set-properties', updates: request.properties },
    { action: 'add-schema', schema: request.schema },
    { action: 'add-view-version', viewVersion: firstVersion(request.viewVersion, now) },
    { action: 'set-current-view-version', viewVersionId: LAST_ADDED },
  ];
  const draft = applyViewUpdates(emptyViewDraft(ctx.newUuid(), request.location, now), updates);
  return buildView(draft).metadata;
}

/**
 * Old Java clients (1.4) reject a version whose summary lacks `operation`; newer ones derive it from
 * the version id. Writing `operation: create` after the client's summary entries serves both.
 */
function firstVersion(requested: ViewVersion, now: bigint): ViewVersion {
  return {
    versionId: INITIAL_VERSION_ID,
    timestampMs: now,
    schemaId: LAST_ADDED,
    summary: { ...requested.summary, operation: 'create' },
    representations: requested.representations,
    ...(requested.defaultCatalog === undefined ? {} : { defaultCatalog: requested.defaultCatalog }),
    defaultNamespace: requested.defaultNamespace,
  };
}
