import type { AssertSnapshotsUnreferenced, TableMetadata } from '../types.js';
import { requirementFailed, tableMustExist } from './requirement-failed.js';

export function checkAssertSnapshotsUnreferenced(metadata: TableMetadata | undefined, requirement: AssertSnapshotsUnreferenced): void {
  const table = tableMustExist(metadata);
  const ids = new Set(requirement.snapshotIds);
  for (const [name, ref] of Object.entries(table.refs)) {
    if (requirement.exceptRefs.includes(name)) continue;
    if (ids.has(ref.snapshotId)) throw requirementFailed(`ref ${name} now names snapshot ${ref.snapshotId}, which this commit removes`);
  }
}
