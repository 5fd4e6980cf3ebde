/**
 * The server side of a staged create: the commit that carries `assert-create` builds the table from
 * empty metadata by applying the client's updates (assign-uuid, upgrade-format-version, add-schema,
 * set-current-schema -1, add-spec, ...), as Java's `CatalogHandlers.create` does. The result is
 * metadata version 0, so its metadata log is empty.
 */
import { BadRequestError } from '../errors.js';
import { applyUpdates } from './apply-update.js';
import { build, type BuildResult } from './builder.js';
import type { CreateContext } from './create-table.js';
import { emptyDraft } from './draft.js';
import { DEFAULT_FORMAT_VERSION, SUPPORTED_FORMAT_VERSION } from './spec-constants.js';
import { stripTrailingSlash } from './location.js';
import { longFromMillis } from './long.js';
import type { FormatVersion, TableUpdate } from './types.js';

export interface CreateFromUpdatesContext extends CreateContext {
  /** Used when the updates carry no set-location (the Java client always sends one). */
  readonly defaultLocation?: string;
}

export function createFromUpdates(updates: readonly TableUpdate[], ctx: CreateFromUpdatesContext): BuildResult {
  const draft = applyUpdates(
    emptyDraft(initialFormatVersion(updates), ctx.newUuid(), stripTrailingSlash(ctx.defaultLocation ?? ''), longFromMillis(ctx.now)),
    updates,
  );
  return build(draft);
}

/** Java starts from the first requested format version, so that version's rules apply from the first update. */
function initialFormatVersion(updates: readonly TableUpdate[]): FormatVersion {
  const upgrade = updates.find((update) => update.action === 'upgrade-format-version');
  if (upgrade === undefined) return DEFAULT_FORMAT_VERSION;
  const version = upgrade.formatVersion;
  if (!Number.isInteger(version) || version < 1 || version > SUPPORTED_FORMAT_VERSION) {
    throw new BadRequestError(`Unsupported format version: v${version} (supported: v${SUPPORTED_FORMAT_VERSION})`);
  }
  return version as FormatVersion;
}
