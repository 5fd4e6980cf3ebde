import { nextId, recordChange, wasAddedInThisCommit, withLastAdded, type Draft } from '../draft.js';
import { sameSchema } from '../equivalence.js';
import { checkSchemaSupportsFormatVersion } from '../schema-compatibility.js';
import { highestFieldId } from '../schema-index.js';
import type { AddSchemaUpdate, Schema } from '../types.js';

/**
 * Field ids are the client's (it assigned them from last-column-id); the schema id is the engine's:
 * an identical schema keeps its id, otherwise max+1. The deprecated `last-column-id` of the update
 * is ignored, as in Java, because the schema itself says which ids it uses.
 */
export function applyAddSchema(draft: Draft, update: AddSchemaUpdate): Draft {
  const metadata = draft.metadata;
  checkSchemaSupportsFormatVersion(update.schema.fields, metadata.formatVersion);
  const newLastColumnId = Math.max(metadata.lastColumnId, highestFieldId(update.schema.fields));
  const existing = metadata.schemas.find((schema) => sameSchema(schema, update.schema));

  if (existing !== undefined && newLastColumnId === metadata.lastColumnId) {
    // Re-adding a schema only counts as "last added" when this commit created it.
    const lastAddedSchemaId = wasAddedInThisCommit(draft, 'add-schema', existing.schemaId) ? existing.schemaId : undefined;
    return withLastAdded(draft, { lastAddedSchemaId });
  }

  const schemaId = existing?.schemaId ?? nextId(metadata.schemas.map((schema) => schema.schemaId), 0);
  const schema: Schema = { schemaId, fields: update.schema.fields, identifierFieldIds: update.schema.identifierFieldIds };
  return recordChange(
    draft,
    { schemas: existing === undefined ? [...metadata.schemas, schema] : metadata.schemas, lastColumnId: newLastColumnId },
    { action: 'add-schema', schema },
    { lastAddedSchemaId: schemaId },
  );
}
