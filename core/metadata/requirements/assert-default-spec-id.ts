import type { AssertDefaultSpecId, TableMetadata } from '../types.js';
import { requirementFailed, tableMustExist } from './requirement-failed.js';

export function checkAssertDefaultSpecId(metadata: TableMetadata | undefined, requirement: AssertDefaultSpecId): void {
  const table = tableMustExist(metadata);
  if (table.defaultSpecId !== requirement.defaultSpecId) {
    throw requirementFailed(`default partition spec changed: expected id ${requirement.defaultSpecId} != ${table.defaultSpecId}`);
  }
}
