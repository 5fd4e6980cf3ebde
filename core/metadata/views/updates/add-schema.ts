import { nextId } from '../../draft.js';
import { sameSchema } from '../../equivalence.js';
import type { AddSchemaUpdate, Schema } from '../../types.js';
import { recordViewChange, withViewState, type ViewDraft } from '../draft.js';

/**
 * Field ids are the client's; the schema id is the engine's: an identical schema keeps its id,
 * otherwise max+1. Unlike tables, matching an existing schema still makes it the "last added":
 * after a lost race the schema this request sent may already exist (the winner added the same
 * one), and the request's `schema-id: -1` must still mean "the schema I sent" on the retry.
 */
export function applyViewAddSchema(draft: ViewDraft, update: AddSchemaUpdate): ViewDraft {
  const schemas = draft.metadata.schemas;
  const existing = schemas.find((schema) => sameSchema(schema, update.schema));
  if (existing !== undefined) return withViewState(draft, { lastAddedSchemaId: existing.schemaId });

  const schemaId = nextId(schemas.map((schema) => schema.schemaId), 0);
  const schema: Schema = { schemaId, fields: update.schema.fields, identifierFieldIds: update.schema.identifierFieldIds };
  return recordViewChange(draft, { schemas: [...schemas, schema] }, { action: 'add-schema', schema }, { lastAddedSchemaId: schemaId });
}
