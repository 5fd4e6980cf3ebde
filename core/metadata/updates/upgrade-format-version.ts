import { BadRequestError } from '../../errors.js';
import { recordChange, type Draft } from '../draft.js';
import { SUPPORTED_FORMAT_VERSION } from '../spec-constants.js';
import type { FormatVersion, UpgradeFormatVersionUpdate } from '../types.js';

/** Upgrades only; row lineage (v3) starts at next-row-id 0, which the draft already holds below v3. */
export function applyUpgradeFormatVersion(draft: Draft, update: UpgradeFormatVersionUpdate): Draft {
  const current = draft.metadata.formatVersion;
  const requested = update.formatVersion;
  if (requested > SUPPORTED_FORMAT_VERSION) {
    throw new BadRequestError(
      `Cannot upgrade table to unsupported format version: v${requested} (supported: v${SUPPORTED_FORMAT_VERSION})`,
    );
  }
  if (requested < current) throw new BadRequestError(`Cannot downgrade v${current} table to v${requested}`);
  if (requested === current) return draft;
  return recordChange(draft, { formatVersion: requested as FormatVersion }, { action: 'upgrade-format-version', formatVersion: requested });
}
