/**
 * The metadata engine's public surface for `core/catalog`: validate untrusted JSON, create tables,
 * commit, name metadata files, serialise and parse. Everything here is pure.
 */
export type * from './types.js';
export type { Long } from './long.js';
export { longToJson } from './long.js';

export { validateTableUpdate, validateTableUpdates } from './validate/table-update.js';
export { validateCatalogRequirements, validateTableRequirement, validateTableRequirements } from './validate/table-requirement.js';
export { MAX_REQUIREMENTS_PER_COMMIT, MAX_UPDATES_PER_COMMIT } from './validate/commit-limits.js';
export { validateCreateTableRequest } from './validate/create-table-request.js';
export { toLong } from './validate/json-fields.js';

export { createTable, type CreateContext } from './create-table.js';
export { createFromUpdates, type CreateFromUpdatesContext } from './create-from-updates.js';
export { commit, type CommitContext } from './commit.js';
export type { BuildResult } from './builder.js';

export { serializeTableMetadata, parseTableMetadata } from './serialize.js';
export {
  metadataFileName,
  parseMetadataVersion,
  nextMetadataLocation,
  metadataFolder,
  metadataCodecOf,
  metadataCodecFromFileName,
  type MetadataCodec,
} from './metadata-file-name.js';
export { PREVIOUS_VERSIONS_MAX, PREVIOUS_VERSIONS_MAX_DEFAULT } from './metadata-log.js';
export { gcEnabled, METADATA_COMPRESSION, METADATA_PATH, RESERVED_PROPERTIES } from './table-properties.js';
export {
  REBASE_APPENDS_PROPERTY,
  rebaseAppendsEnabled,
  planAppendRebase,
  newManifestsOf,
  checkNewManifests,
  rebasedManifestListEntries,
  rebasedManifestListHeader,
  rebasedAppendRequest,
  type AppendRebase,
  type RebaseDecision,
} from './rebase-append.js';
