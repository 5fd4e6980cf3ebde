import { BadRequestError } from '../../errors.js';
import type { Schema, TableMetadata } from '../types.js';

/** Specs and sort orders bind to the current schema, which a table being created may not have yet. */
export function currentSchemaOf(metadata: TableMetadata, action: string): Schema {
  const schema = metadata.schemas.find((each) => each.schemaId === metadata.currentSchemaId);
  if (schema === undefined) throw new BadRequestError(`${action}: the table has no current schema`);
  return schema;
}
