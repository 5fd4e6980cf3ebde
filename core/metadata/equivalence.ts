/**
 * When an added schema, spec or sort order is "the same" as an existing one, the existing id is
 * reused instead of minting a new one (Java's `sameSchema`, `compatibleWith`, `sameOrder`). This is
 * what makes "evolve, then revert" land back on the original ids.
 */
import { deepEqual } from './deep-equal.js';
import type { PartitionFieldInput, PartitionSpec, PartitionSpecInput, Schema, SchemaInput, SortOrder, SortOrderInput } from './types.js';

export function sameSchema(existing: Schema, candidate: SchemaInput): boolean {
  return deepEqual(existing.fields, candidate.fields) && sameIdSet(existing.identifierFieldIds, candidate.identifierFieldIds);
}

function sameIdSet(left: readonly number[], right: readonly number[]): boolean {
  const leftSet = new Set(left);
  const rightSet = new Set(right);
  return leftSet.size === rightSet.size && [...leftSet].every((id) => rightSet.has(id));
}

/** Field ids do not matter: two specs with the same sources, transforms and names are one spec. */
export function compatibleSpecs(existing: PartitionSpec, candidate: PartitionSpecInput): boolean {
  return (
    existing.fields.length === candidate.fields.length &&
    existing.fields.every((field, index) => {
      const other = candidate.fields[index];
      return other !== undefined && samePartitionSource(field, other) && field.transform === other.transform && field.name === other.name;
    })
  );
}

function samePartitionSource(left: PartitionFieldInput, right: PartitionFieldInput): boolean {
  return left.sourceId === right.sourceId && deepEqual(left.sourceIds, right.sourceIds);
}

export function sameSortOrder(existing: SortOrder, candidate: SortOrderInput): boolean {
  return deepEqual(existing.fields, candidate.fields);
}
