import { BadRequestError } from '../../errors.js';
import { recordChange, type Draft } from '../draft.js';
import type { SetDefaultSpecUpdate } from '../types.js';

const LAST_ADDED = -1;

export function applySetDefaultSpec(draft: Draft, update: SetDefaultSpecUpdate): Draft {
  let specId = update.specId;
  if (specId === LAST_ADDED) {
    if (draft.lastAddedSpecId === undefined) throw new BadRequestError('Cannot set last added spec: no spec has been added');
    specId = draft.lastAddedSpecId;
  }
  if (draft.metadata.defaultSpecId === specId) return draft;
  if (!draft.metadata.partitionSpecs.some((spec) => spec.specId === specId)) {
    throw new BadRequestError(`Cannot set default partition spec to unknown spec: ${specId}`);
  }
  return recordChange(draft, { defaultSpecId: specId }, { action: 'set-default-spec', specId });
}
