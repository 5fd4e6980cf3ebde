import type { AssertLastAssignedPartitionId, TableMetadata } from '../types.js';
import { requirementFailed, tableMustExist } from './requirement-failed.js';

export function checkAssertLastAssignedPartitionId(
  metadata: TableMetadata | undefined,
  requirement: AssertLastAssignedPartitionId,
): void {
  const table = tableMustExist(metadata);
  if (table.lastPartitionId !== requirement.lastAssignedPartitionId) {
    throw requirementFailed(
      `last assigned partition id changed: expected id ${requirement.lastAssignedPartitionId} != ${table.lastPartitionId}`,
    );
  }
}
