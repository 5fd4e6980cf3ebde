/**
 * What every view metadata document must satisfy, whether the engine built it or read it from a
 * file: Java accepts such a file but then fails on first use of its current version or schema, so
 * the check is moved to the boundary where a clear 400 can be given.
 */
import { BadRequestError } from '../../errors.js';
import type { ViewMetadata, ViewVersion } from './types.js';

export const VIEW_FORMAT_VERSION = 1;

function invalid(problem: string): never {
  throw new BadRequestError(`Invalid view metadata: ${problem}`);
}

function checkUnique(ids: readonly number[], what: string): void {
  const seen = new Set<number>();
  for (const id of ids) {
    if (seen.has(id)) invalid(`${what} ${id} appears more than once`);
    seen.add(id);
  }
}

export function checkViewMetadataStructure(metadata: ViewMetadata): void {
  if (metadata.formatVersion !== VIEW_FORMAT_VERSION) invalid(`unsupported format version v${String(metadata.formatVersion)}`);
  if (metadata.viewUuid === '') invalid('view-uuid is required');
  if (metadata.location === '') invalid('location is required');
  if (metadata.versions.length === 0) invalid('a view needs at least one version');
  checkUnique(metadata.versions.map((version) => version.versionId), 'version id');
  checkUnique(metadata.schemas.map((schema) => schema.schemaId), 'schema id');

  const current = currentViewVersion(metadata);
  if (!metadata.schemas.some((schema) => schema.schemaId === current.schemaId)) {
    invalid(`schema ${current.schemaId} of current version ${current.versionId} does not exist`);
  }
}

/** The version `current-version-id` names; every checked document has one. */
export function currentViewVersion(metadata: ViewMetadata): ViewVersion {
  const current = metadata.versions.find((version) => version.versionId === metadata.currentVersionId);
  if (current === undefined) invalid(`current version ${metadata.currentVersionId} does not exist`);
  return current;
}
