/**
 * Whether a partition spec or sort order can be evaluated against a schema: every source column
 * exists, is primitive, and suits the transform. Messages follow Java's `checkCompatibility`.
 */
import { BadRequestError } from '../errors.js';
import { typeToString } from './primitive-types.js';
import { indexSchemaFields, type SchemaIndex } from './schema-index.js';
import { canTransform, parseTransform } from './transforms.js';
import type { PartitionFieldInput, SortField, StructField } from './types.js';

type BoundField = Pick<PartitionFieldInput, 'sourceId' | 'sourceIds' | 'transform'>;

export function sourceIdsOf(field: Pick<PartitionFieldInput, 'sourceId' | 'sourceIds'>): readonly number[] {
  return field.sourceIds ?? [field.sourceId];
}

function checkField(field: BoundField, index: SchemaIndex, describeField: string, verb: 'partition' | 'sort'): void {
  const parsed = parseTransform(field.transform);
  if (!parsed.ok) throw new BadRequestError(`Invalid ${verb} field ${describeField}: ${parsed.problem}`);
  // A void transform may outlive its source column (v1 specs keep dropped fields as void).
  if (parsed.transform.kind === 'void') return;
  for (const sourceId of sourceIdsOf(field)) {
    const source = index.byId.get(sourceId);
    if (source === undefined) {
      throw new BadRequestError(`Cannot find source column for ${verb} field: ${describeField} (source id ${sourceId})`);
    }
    if (typeof source.type !== 'string') {
      throw new BadRequestError(`Cannot ${verb} by non-primitive source field: ${typeToString(source.type)}`);
    }
    if (!canTransform(parsed.transform, source.type)) {
      throw new BadRequestError(`Invalid source type ${source.type} for transform: ${field.transform}`);
    }
  }
}

export function checkSpecBindsToSchema(fields: readonly PartitionFieldInput[], schemaFields: readonly StructField[]): void {
  const index = indexSchemaFields(schemaFields);
  for (const field of fields) checkField(field, index, `${field.name}: ${field.transform}`, 'partition');
}

export function checkSortOrderBindsToSchema(fields: readonly SortField[], schemaFields: readonly StructField[]): void {
  const index = indexSchemaFields(schemaFields);
  for (const field of fields) {
    checkField(field, index, `${field.transform}(${sourceIdsOf(field).join(', ')}) ${field.direction} ${field.nullOrder}`, 'sort');
  }
}
