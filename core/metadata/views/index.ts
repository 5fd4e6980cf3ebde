/**
 * The view metadata engine's public surface for `core/catalog`: validate untrusted JSON, create
 * views, commit, name metadata files, serialise and parse. Everything here is pure.
 */
export type * from './types.js';

export { validateViewUpdate, validateViewUpdates } from './validate/view-update.js';
export { validateViewRequirement, validateViewRequirements } from './validate/view-requirement.js';
export { validateCreateViewRequest, validateCommitViewRequest, validateRegisterViewRequest } from './validate/view-requests.js';

export { createView, type CreateViewContext } from './create-view.js';
export { commitView, type ViewCommitContext } from './commit-view.js';
export type { ViewBuildResult } from './build.js';
export { currentViewVersion } from './view-structure.js';

export { serializeViewMetadata, parseViewMetadata } from './serialize.js';
export { nextViewMetadataLocation, viewMetadataFolder, viewMetadataCodecOf } from './metadata-location.js';
export {
  VERSION_HISTORY_SIZE,
  VERSION_HISTORY_SIZE_DEFAULT,
  REPLACE_DROP_DIALECT_ALLOWED,
  METADATA_COMPRESSION,
  METADATA_PATH,
} from './view-properties.js';
