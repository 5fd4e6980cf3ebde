import type { AssertCurrentSchemaId, TableMetadata } from '../types.js';
import { requirementFailed, tableMustExist } from './requirement-failed.js';

export function checkAssertCurrentSchemaId(metadata: TableMetadata | undefined, requirement: AssertCurrentSchemaId): void {
  const table = tableMustExist(metadata);
  if (table.currentSchemaId !== requirement.currentSchemaId) {
    throw requirementFailed(`current schema changed: expected id ${requirement.currentSchemaId} != ${table.currentSchemaId}`);
  }
}
