import { BadRequestError } from '../../errors.js';
import { recordChange, type Draft } from '../draft.js';
import type { SetCurrentSchemaUpdate } from '../types.js';

const LAST_ADDED = -1;

export function applySetCurrentSchema(draft: Draft, update: SetCurrentSchemaUpdate): Draft {
  let schemaId = update.schemaId;
  if (schemaId === LAST_ADDED) {
    if (draft.lastAddedSchemaId === undefined) throw new BadRequestError('Cannot set last added schema: no schema has been added');
    schemaId = draft.lastAddedSchemaId;
  }
  if (draft.metadata.currentSchemaId === schemaId) return draft;
  if (!draft.metadata.schemas.some((schema) => schema.schemaId === schemaId)) {
    throw new BadRequestError(`Cannot set current schema to unknown schema: ${schemaId}`);
  }
  return recordChange(draft, { currentSchemaId: schemaId }, { action: 'set-current-schema', schemaId });
}
