import { BadRequestError } from '../../errors.js';
import { recordChange, type Draft } from '../draft.js';
import type { RemoveSchemasUpdate } from '../types.js';

/** Unknown ids are ignored: the schema may already be gone after a concurrent cleanup. */
export function applyRemoveSchemas(draft: Draft, update: RemoveSchemasUpdate): Draft {
  const metadata = draft.metadata;
  const requested = new Set(update.schemaIds);
  if (requested.has(metadata.currentSchemaId)) throw new BadRequestError('Cannot remove the current schema');
  const schemaIds = metadata.schemas.filter((schema) => requested.has(schema.schemaId)).map((schema) => schema.schemaId);
  if (schemaIds.length === 0) return draft;
  return recordChange(
    draft,
    { schemas: metadata.schemas.filter((schema) => !requested.has(schema.schemaId)) },
    { action: 'remove-schemas', schemaIds },
  );
}
