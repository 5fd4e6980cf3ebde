import type { AssertLastAssignedFieldId, TableMetadata } from '../types.js';
import { requirementFailed, tableMustExist } from './requirement-failed.js';

export function checkAssertLastAssignedFieldId(metadata: TableMetadata | undefined, requirement: AssertLastAssignedFieldId): void {
  const table = tableMustExist(metadata);
  if (table.lastColumnId !== requirement.lastAssignedFieldId) {
    throw requirementFailed(`last assigned field id changed: expected id ${requirement.lastAssignedFieldId} != ${table.lastColumnId}`);
  }
}
