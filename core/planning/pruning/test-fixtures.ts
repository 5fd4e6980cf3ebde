/** Tiny builders for the pruning tests: bound filters over the expressions' test schema, specs, metrics. */
import type { FieldSummary } from '../../avro/iceberg-manifest-types.js';
import type { JsonValue } from '../../json/lossless-json.js';
import type { PartitionField, PartitionSpec } from '../../metadata/types.js';
import { bindExpression, parseExpression, type BoundExpression } from '../expressions/index.js';
import { aSchema } from '../expressions/test-fixtures.js';
import { encodeSingleValue, type TypeInput, type Value } from '../values/index.js';
import type { FileMetrics } from './metrics-evaluator.js';
import { partitionFieldsOf, type PartitionFieldInfo } from './partition-fields.js';

export { aSchema, andOf, apply, cmp, notOf, orOf, ref, set, unary } from '../expressions/test-fixtures.js';

export const bind = (json: JsonValue): BoundExpression => bindExpression(parseExpression(json), aSchema());

let nextFieldId = 1000;
export function partitionField(sourceId: number, name: string, transform: string, fieldId = nextFieldId++): PartitionField {
  return { sourceId, fieldId, name, transform };
}

export function aSpec(...fields: PartitionField[]): PartitionSpec {
  return { specId: 0, fields };
}

export function fieldsOf(...fields: PartitionField[]): readonly PartitionFieldInfo[] {
  return partitionFieldsOf(aSpec(...fields), aSchema());
}

export const bytes = (type: TypeInput, value: Value): Uint8Array => encodeSingleValue(type, value);

export function aSummary(options: Partial<FieldSummary> = {}): FieldSummary {
  return { contains_null: false, contains_nan: null, lower_bound: null, upper_bound: null, ...options };
}

type Counts = Record<number, bigint>;
type BoundBytes = Record<number, Uint8Array>;

export function aFile(options: {
  records?: bigint;
  values?: Counts;
  nulls?: Counts;
  nans?: Counts;
  lower?: BoundBytes;
  upper?: BoundBytes;
} = {}): FileMetrics {
  const map = <T>(record: Record<number, T> | undefined): ReadonlyMap<number, T> | null =>
    record === undefined ? null : new Map(Object.entries(record).map(([key, value]) => [Number(key), value]));
  return {
    record_count: options.records ?? 10n,
    value_counts: map(options.values),
    null_value_counts: map(options.nulls),
    nan_value_counts: map(options.nans),
    lower_bounds: map(options.lower),
    upper_bounds: map(options.upper),
  };
}

function showValue(value: Value): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return `0x${Buffer.from(value).toString('hex')}`;
  if (typeof value === 'object') return `${value.unscaled}e-${value.scale}`;
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** A compact rendering to compare projections with: `p lt-eq 9`, `(a and b)`. */
export function show(expression: BoundExpression): string {
  switch (expression.type) {
    case 'true':
    case 'false':
      return expression.type;
    case 'and':
    case 'or':
      return `(${show(expression.left)} ${expression.type} ${show(expression.right)})`;
    default: {
      const term = expression.term.kind === 'reference' ? expression.term.name : `${expression.term.transform.kind}(${expression.term.reference.name})`;
      if ('literal' in expression) return `${term} ${expression.type} ${showValue(expression.literal)}`;
      if ('literals' in expression) return `${term} ${expression.type} [${expression.literals.map(showValue).join(', ')}]`;
      return `${term} ${expression.type}`;
    }
  }
}
