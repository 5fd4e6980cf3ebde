import { BadRequestError } from '../../errors.js';
import { recordChange, type Draft } from '../draft.js';
import type { RemovePartitionSpecsUpdate } from '../types.js';

/** Unknown ids are ignored: the spec may already be gone after a concurrent cleanup. */
export function applyRemovePartitionSpecs(draft: Draft, update: RemovePartitionSpecsUpdate): Draft {
  const metadata = draft.metadata;
  const requested = new Set(update.specIds);
  if (requested.has(metadata.defaultSpecId)) throw new BadRequestError('Cannot remove the default partition spec');
  const specIds = metadata.partitionSpecs.filter((spec) => requested.has(spec.specId)).map((spec) => spec.specId);
  if (specIds.length === 0) return draft;
  return recordChange(
    draft,
    { partitionSpecs: metadata.partitionSpecs.filter((spec) => !requested.has(spec.specId)) },
    { action: 'remove-partition-specs', specIds },
  );
}
