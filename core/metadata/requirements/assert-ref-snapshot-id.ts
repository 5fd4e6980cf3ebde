import { ownValue } from '../own-property.js';
import type { AssertRefSnapshotId, TableMetadata } from '../types.js';
import { requirementFailed, tableMustExist } from './requirement-failed.js';

/** A null snapshot id asserts the ref does not exist yet (the first append to an empty table). */
export function checkAssertRefSnapshotId(metadata: TableMetadata | undefined, requirement: AssertRefSnapshotId): void {
  const table = tableMustExist(metadata);
  const ref = ownValue(table.refs, requirement.ref);
  if (ref !== undefined) {
    if (requirement.snapshotId === null) throw requirementFailed(`${ref.type} ${requirement.ref} was created concurrently`);
    if (requirement.snapshotId !== ref.snapshotId) {
      throw requirementFailed(`${ref.type} ${requirement.ref} has changed: expected id ${requirement.snapshotId} != ${ref.snapshotId}`);
    }
  } else if (requirement.snapshotId !== null) {
    throw requirementFailed(`branch or tag ${requirement.ref} is missing, expected ${requirement.snapshotId}`);
  }
}
