import type { AssertDefaultSortOrderId, TableMetadata } from '../types.js';
import { requirementFailed, tableMustExist } from './requirement-failed.js';

export function checkAssertDefaultSortOrderId(metadata: TableMetadata | undefined, requirement: AssertDefaultSortOrderId): void {
  const table = tableMustExist(metadata);
  if (table.defaultSortOrderId !== requirement.defaultSortOrderId) {
    throw requirementFailed(`default sort order changed: expected id ${requirement.defaultSortOrderId} != ${table.defaultSortOrderId}`);
  }
}
