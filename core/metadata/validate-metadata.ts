/**
 * Whole-document checks. `checkMetadataStructure` is what every metadata document must satisfy,
 * including one read from a file (Java's TableMetadata constructor). `checkMetadataBindings` adds
 * what the engine guarantees for documents it writes: the default spec and sort order bind to the
 * current schema and the id counters cover every id in use.
 */
import { BadRequestError } from '../errors.js';
import { MAIN_BRANCH, SUPPORTED_FORMAT_VERSION } from './spec-constants.js';
import type { Long } from './long.js';
import { checkSortOrderBindsToSchema, checkSpecBindsToSchema } from './schema-binding.js';
import { highestFieldId } from './schema-index.js';
import type { TableMetadata } from './types.js';

/** Commits come from many machines; Java tolerates this much clock skew between log entries. */
const CLOCK_SKEW_TOLERANCE_MS = 60_000n;

function invalid(problem: string): never {
  throw new BadRequestError(`Invalid table metadata: ${problem}`);
}

function checkUnique(ids: readonly (number | Long)[], what: string): void {
  const seen = new Set<number | Long>();
  for (const id of ids) {
    if (seen.has(id)) invalid(`${what} ${id} appears more than once`);
    seen.add(id);
  }
}

function checkOrdered(timestamps: readonly Long[], lastUpdatedMs: Long, what: string): void {
  let previous: Long | undefined;
  for (const timestamp of timestamps) {
    if (previous !== undefined && timestamp - previous < -CLOCK_SKEW_TOLERANCE_MS) invalid(`${what} entries are not sorted by timestamp`);
    previous = timestamp;
  }
  if (previous !== undefined && lastUpdatedMs - previous < -CLOCK_SKEW_TOLERANCE_MS) {
    invalid(`last-updated-ms ${lastUpdatedMs} is before the last ${what} entry at ${previous}`);
  }
}

export function checkMetadataStructure(metadata: TableMetadata): void {
  if (metadata.formatVersion < 1 || metadata.formatVersion > SUPPORTED_FORMAT_VERSION) {
    invalid(`unsupported format version v${metadata.formatVersion} (supported: v${SUPPORTED_FORMAT_VERSION})`);
  }
  if (metadata.tableUuid === '') invalid('table-uuid is required');
  if (metadata.location === '') invalid('location is required');
  if (metadata.formatVersion === 1 && metadata.lastSequenceNumber !== 0n) {
    invalid(`sequence number must be 0 in v1: ${metadata.lastSequenceNumber}`);
  }

  checkUnique(metadata.schemas.map((schema) => schema.schemaId), 'schema id');
  checkUnique(metadata.partitionSpecs.map((spec) => spec.specId), 'partition spec id');
  checkUnique(metadata.sortOrders.map((order) => order.orderId), 'sort order id');
  checkUnique(metadata.snapshots.map((snapshot) => snapshot.snapshotId), 'snapshot id');

  if (!metadata.schemas.some((schema) => schema.schemaId === metadata.currentSchemaId)) {
    invalid(`current schema ${metadata.currentSchemaId} does not exist`);
  }
  if (!metadata.partitionSpecs.some((spec) => spec.specId === metadata.defaultSpecId)) {
    invalid(`default partition spec ${metadata.defaultSpecId} does not exist`);
  }
  if (!metadata.sortOrders.some((order) => order.orderId === metadata.defaultSortOrderId)) {
    invalid(`default sort order ${metadata.defaultSortOrderId} does not exist`);
  }

  for (const snapshot of metadata.snapshots) {
    const sequenceNumber = snapshot.sequenceNumber ?? 0n;
    if (sequenceNumber > metadata.lastSequenceNumber) {
      invalid(`snapshot ${snapshot.snapshotId} has sequence number ${sequenceNumber} greater than last sequence number ${metadata.lastSequenceNumber}`);
    }
  }
  checkRefs(metadata);

  checkOrdered(metadata.snapshotLog.map((entry) => entry.timestampMs), metadata.lastUpdatedMs, 'snapshot log');
  checkOrdered(metadata.metadataLog.map((entry) => entry.timestampMs), metadata.lastUpdatedMs, 'metadata log');
}

function checkRefs(metadata: TableMetadata): void {
  const snapshotIds = new Set(metadata.snapshots.map((snapshot) => snapshot.snapshotId));
  for (const [name, ref] of Object.entries(metadata.refs)) {
    if (!snapshotIds.has(ref.snapshotId)) invalid(`snapshot ${ref.snapshotId} for reference ${name} does not exist`);
  }
  const main = Object.hasOwn(metadata.refs, MAIN_BRANCH) ? metadata.refs[MAIN_BRANCH] : undefined;
  const current = metadata.currentSnapshotId;
  if (main !== undefined && main.type !== 'branch') invalid('main must be a branch');
  if (current === null) {
    if (main !== undefined) invalid(`current snapshot is not set, but main branch exists: ${main.snapshotId}`);
    return;
  }
  if (!snapshotIds.has(current)) invalid(`current snapshot ${current} does not exist`);
  if (main === undefined || main.snapshotId !== current) {
    invalid(`current snapshot id does not match main branch (${current} != ${main === undefined ? 'null' : main.snapshotId})`);
  }
}

/** Run after `checkMetadataStructure`, which guarantees the defaults below exist. */
export function checkMetadataBindings(metadata: TableMetadata): void {
  const schema = metadata.schemas.find((each) => each.schemaId === metadata.currentSchemaId);
  const spec = metadata.partitionSpecs.find((each) => each.specId === metadata.defaultSpecId);
  const order = metadata.sortOrders.find((each) => each.orderId === metadata.defaultSortOrderId);
  if (schema === undefined || spec === undefined || order === undefined) return;
  checkSpecBindsToSchema(spec.fields, schema.fields);
  checkSortOrderBindsToSchema(order.fields, schema.fields);

  for (const each of metadata.schemas) {
    const highest = highestFieldId(each.fields);
    if (highest > metadata.lastColumnId) invalid(`schema ${each.schemaId} uses field id ${highest} above last-column-id ${metadata.lastColumnId}`);
  }
  for (const each of metadata.partitionSpecs) {
    for (const field of each.fields) {
      if (field.fieldId > metadata.lastPartitionId) {
        invalid(`partition spec ${each.specId} uses field id ${field.fieldId} above last-partition-id ${metadata.lastPartitionId}`);
      }
    }
  }
}
