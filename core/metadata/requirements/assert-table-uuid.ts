import type { AssertTableUuid, TableMetadata } from '../types.js';
import { requirementFailed, tableMustExist } from './requirement-failed.js';

/** UUIDs compare case-insensitively: clients may print them in either case. */
export function checkAssertTableUuid(metadata: TableMetadata | undefined, requirement: AssertTableUuid): void {
  const table = tableMustExist(metadata);
  if (requirement.uuid.toLowerCase() !== table.tableUuid.toLowerCase()) {
    throw requirementFailed(`UUID does not match: expected ${requirement.uuid} != ${table.tableUuid}`);
  }
}
