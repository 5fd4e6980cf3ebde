import { BadRequestError, IllegalArgumentError } from '../../../errors.js';
import { nextId } from '../../draft.js';
import { checkOneQueryPerDialect } from '../dialects.js';
import { recordViewChange, withViewState, type ViewDraft } from '../draft.js';
import { sameViewVersion } from '../equivalence.js';
import type { AddViewVersionUpdate, ViewVersion } from '../types.js';

const LAST_ADDED = -1;
const FIRST_VERSION_ID = 1;

/**
 * The version id is always the engine's: an equivalent existing version is reused, otherwise
 * max+1. The client's id is only its guess from the base it read; re-assigning it is what lets a
 * replace that lost a race be re-applied on the newer base (versions 1, 2, 3 in the RCK).
 * `-1` as schema id is resolved first, so the equivalence check compares real schema ids.
 */
export function applyViewAddVersion(draft: ViewDraft, update: AddViewVersionUpdate): ViewDraft {
  const metadata = draft.metadata;
  const requested = update.viewVersion;
  const schemaId = resolveSchemaId(draft, requested.schemaId);
  if (!metadata.schemas.some((schema) => schema.schemaId === schemaId)) {
    throw new IllegalArgumentError(`Cannot add version with unknown schema: ${schemaId}`);
  }
  if (requested.representations.length === 0) {
    throw new IllegalArgumentError('Invalid view version: Cannot add a version without representations');
  }
  checkOneQueryPerDialect(requested);

  const candidate: ViewVersion = { ...requested, schemaId };
  const existing = metadata.versions.find((version) => sameViewVersion(version, candidate));
  // Like a matched schema, a matched version is what `-1` in set-current-view-version means.
  if (existing !== undefined) return withViewState(draft, { lastAddedVersionId: existing.versionId });

  const versionId = nextId(metadata.versions.map((version) => version.versionId), FIRST_VERSION_ID);
  const version: ViewVersion = { ...candidate, versionId };
  return recordViewChange(
    draft,
    { versions: [...metadata.versions, version] },
    { action: 'add-view-version', viewVersion: version },
    { lastAddedVersionId: versionId },
  );
}

function resolveSchemaId(draft: ViewDraft, schemaId: number): number {
  if (schemaId !== LAST_ADDED) return schemaId;
  if (draft.lastAddedSchemaId === undefined) throw new BadRequestError('Cannot set last added schema: no schema has been added');
  return draft.lastAddedSchemaId;
}
