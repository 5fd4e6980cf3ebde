/** The one dispatch from a requirement type to its check; exhaustive like apply-update.ts. */
import { stringifyJson } from '../../json/lossless-json.js';
import type { TableMetadata, TableRequirement } from '../types.js';
import { checkAssertCreate } from './assert-create.js';
import { checkAssertCurrentSchemaId } from './assert-current-schema-id.js';
import { checkAssertDefaultSortOrderId } from './assert-default-sort-order-id.js';
import { checkAssertDefaultSpecId } from './assert-default-spec-id.js';
import { checkAssertLastAssignedFieldId } from './assert-last-assigned-field-id.js';
import { checkAssertLastAssignedPartitionId } from './assert-last-assigned-partition-id.js';
import { checkAssertRefSnapshotId } from './assert-ref-snapshot-id.js';
import { checkAssertSnapshotsUnreferenced } from './assert-snapshots-unreferenced.js';
import { checkAssertTableUuid } from './assert-table-uuid.js';

export function checkRequirement(metadata: TableMetadata | undefined, requirement: TableRequirement): void {
  switch (requirement.type) {
    case 'assert-create':
      return checkAssertCreate(metadata, requirement);
    case 'assert-table-uuid':
      return checkAssertTableUuid(metadata, requirement);
    case 'assert-ref-snapshot-id':
      return checkAssertRefSnapshotId(metadata, requirement);
    case 'assert-last-assigned-field-id':
      return checkAssertLastAssignedFieldId(metadata, requirement);
    case 'assert-current-schema-id':
      return checkAssertCurrentSchemaId(metadata, requirement);
    case 'assert-last-assigned-partition-id':
      return checkAssertLastAssignedPartitionId(metadata, requirement);
    case 'assert-default-spec-id':
      return checkAssertDefaultSpecId(metadata, requirement);
    case 'assert-default-sort-order-id':
      return checkAssertDefaultSortOrderId(metadata, requirement);
    case 'assert-snapshots-unreferenced':
      return checkAssertSnapshotsUnreferenced(metadata, requirement);
    default:
      return unhandled(requirement);
  }
}

function unhandled(requirement: never): never {
  throw new Error(`Unhandled table requirement: ${stringifyJson(requirement)}`);
}

export function checkRequirements(metadata: TableMetadata | undefined, requirements: readonly TableRequirement[]): void {
  for (const requirement of requirements) checkRequirement(metadata, requirement);
}
