/**
 * A partition spec resolved against the table schema once, so that projection, manifest summaries,
 * partition tuples and residuals all agree on each partition field's position (its index in the
 * manifest list's `partitions` summaries), transform and result type.
 *
 * A field whose source column is gone from the schema, whose transform is unknown or does not apply
 * to the column's type, or that takes several source columns (v3) has no `resultType`: nothing is
 * ever projected onto it, so planning just never prunes with it.
 */
import { isPrimitive } from '../../metadata/primitive-types.js';
import { indexSchemaFields } from '../../metadata/schema-index.js';
import { parseTransform, type Transform } from '../../metadata/transforms.js';
import type { PartitionSpec, Schema } from '../../metadata/types.js';
import { toValueType, transformResultType, type ValueType } from '../values/index.js';

export interface PartitionFieldInfo {
  /** Index in the spec, which is the index of its summary in a manifest-list entry. */
  readonly position: number;
  readonly fieldId: number;
  /** The key of its value in a data file's `partition` record. */
  readonly name: string;
  readonly sourceId: number;
  readonly transform: Transform;
  readonly sourceType: ValueType | undefined;
  readonly resultType: ValueType | undefined;
}

const UNKNOWN_TRANSFORM: Transform = { kind: 'unknown', name: 'unparsable' };

export function partitionFieldsOf(spec: PartitionSpec, schema: Schema): readonly PartitionFieldInfo[] {
  const columns = indexSchemaFields(schema.fields).byId;
  return spec.fields.map((field, position) => {
    const parsed = parseTransform(field.transform);
    const transform = parsed.ok ? parsed.transform : UNKNOWN_TRANSFORM;
    const column = columns.get(field.sourceId);
    const multiArgument = field.sourceIds !== undefined && field.sourceIds.length > 1;
    const sourceType = column !== undefined && isPrimitive(column.type) && !multiArgument ? toValueType(column.type) : undefined;
    const resultType = sourceType === undefined ? undefined : transformResultType(transform, sourceType);
    return { position, fieldId: field.fieldId, name: field.name, sourceId: field.sourceId, transform, sourceType, resultType };
  });
}

/** Java's Transform.equals: same kind and argument. */
export function sameTransform(left: Transform, right: Transform): boolean {
  switch (left.kind) {
    case 'bucket':
      return right.kind === 'bucket' && right.count === left.count;
    case 'truncate':
      return right.kind === 'truncate' && right.width === left.width;
    case 'unknown':
      return false;
    default:
      return left.kind === right.kind;
  }
}
