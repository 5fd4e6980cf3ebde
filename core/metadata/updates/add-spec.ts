import { BadRequestError } from '../../errors.js';
import { nextId, recordChange, wasAddedInThisCommit, withLastAdded, type Draft } from '../draft.js';
import { FIRST_PARTITION_FIELD_ID } from '../spec-constants.js';
import { compatibleSpecs } from '../equivalence.js';
import { checkSpecBindsToSchema } from '../schema-binding.js';
import type { AddSpecUpdate, PartitionField, PartitionFieldInput, PartitionSpec, TableMetadata } from '../types.js';
import { currentSchemaOf } from './current-schema.js';

/**
 * A spec binds to the current schema. An equivalent existing spec is reused; otherwise the spec gets
 * max+1 (from 0) and its fields keep the client's field ids. Fields sent without an id get the id
 * an earlier spec used for the same source and transform (v2+), else the next id after
 * last-partition-id, so partition field ids are never reused for different data.
 */
export function applyAddSpec(draft: Draft, update: AddSpecUpdate): Draft {
  const metadata = draft.metadata;
  const existing = metadata.partitionSpecs.find((spec) => compatibleSpecs(spec, update.spec));
  if (existing !== undefined) {
    const lastAddedSpecId = wasAddedInThisCommit(draft, 'add-spec', existing.specId) ? existing.specId : undefined;
    return withLastAdded(draft, { lastAddedSpecId });
  }

  const schema = currentSchemaOf(metadata, 'Cannot add a partition spec');
  checkSpecBindsToSchema(update.spec.fields, schema.fields);
  const fields = assignFieldIds(update.spec.fields, metadata);
  checkFieldIds(fields, metadata);

  const spec: PartitionSpec = { specId: nextId(metadata.partitionSpecs.map((each) => each.specId), 0), fields };
  const highest = fields.reduce((max, field) => Math.max(max, field.fieldId), metadata.lastPartitionId);
  return recordChange(
    draft,
    { partitionSpecs: [...metadata.partitionSpecs, spec], lastPartitionId: highest },
    { action: 'add-spec', spec },
    { lastAddedSpecId: spec.specId },
  );
}

function assignFieldIds(fields: readonly PartitionFieldInput[], metadata: TableMetadata): PartitionField[] {
  if (metadata.formatVersion === 1) {
    return fields.map((field, index) => ({ ...field, fieldId: field.fieldId ?? FIRST_PARTITION_FIELD_ID + index }));
  }
  const previousIds = new Map<string, number>();
  for (const spec of metadata.partitionSpecs) {
    for (const field of spec.fields) {
      const key = sourceAndTransform(field);
      previousIds.set(key, Math.max(previousIds.get(key) ?? field.fieldId, field.fieldId));
    }
  }
  let next = fields.reduce((max, field) => Math.max(max, field.fieldId ?? max), metadata.lastPartitionId);
  return fields.map((field) => {
    if (field.fieldId !== undefined) return { ...field, fieldId: field.fieldId };
    const reused = previousIds.get(sourceAndTransform(field));
    if (reused !== undefined) return { ...field, fieldId: reused };
    next += 1;
    return { ...field, fieldId: next };
  });
}

function sourceAndTransform(field: PartitionFieldInput): string {
  return `${(field.sourceIds ?? [field.sourceId]).join(',')}|${field.transform}`;
}

function checkFieldIds(fields: readonly PartitionField[], metadata: TableMetadata): void {
  const seen = new Set<number>();
  fields.forEach((field, index) => {
    if (seen.has(field.fieldId)) throw new BadRequestError(`Invalid partition spec: field id ${field.fieldId} is used more than once`);
    seen.add(field.fieldId);
    if (metadata.formatVersion === 1 && field.fieldId !== FIRST_PARTITION_FIELD_ID + index) {
      throw new BadRequestError(
        `Spec does not use sequential IDs that are required in v1: field ${field.name} has id ${field.fieldId}, expected ${FIRST_PARTITION_FIELD_ID + index}`,
      );
    }
  });
}
