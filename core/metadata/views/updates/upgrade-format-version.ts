import { BadRequestError } from '../../../errors.js';
import type { UpgradeFormatVersionUpdate } from '../../types.js';
import type { ViewDraft } from '../draft.js';
import { VIEW_FORMAT_VERSION } from '../view-structure.js';

/** Views have only format version 1, so this is a no-op or an error (downgrade checked first, as in Java). */
export function applyViewUpgradeFormatVersion(draft: ViewDraft, update: UpgradeFormatVersionUpdate): ViewDraft {
  const current = draft.metadata.formatVersion;
  const requested = update.formatVersion;
  if (requested < current) throw new BadRequestError(`Cannot downgrade v${current} view to v${requested}`);
  if (requested > VIEW_FORMAT_VERSION) {
    throw new BadRequestError(`Cannot upgrade view to unsupported format version: v${requested} (supported: v${VIEW_FORMAT_VERSION})`);
  }
  return draft;
}
