/**
 * Property test: soundness of every evaluator. For seeded random rows, written into files and
 * manifests under two partition specs (partition evolution) the way writers would (metrics with
 * optionally truncated string bounds, uuid bounds in either order, some metrics missing, some files
 * with the pre-0.10 pre-epoch day/hour bug), and random filters, no evaluator prunes a manifest or
 * a file holding a row the filter matches, and each file's residual agrees with the filter on every
 * row of the file. `evaluateRow` is the oracle. A failure names the seed that reproduces it.
 *
 * One adjustment to the oracle: evaluateRow follows Java's Evaluator, where NaN sorts above every
 * number, so `f > 2.5` matches a NaN row. Java's metrics and manifest evaluators (and these) read
 * comparisons the IEEE way instead (bounds leave NaN out, so a NaN-only file fails `f > 2.5`). For
 * pruning soundness the oracle therefore reads `gt`/`gt-eq` on a float as also requiring `not-nan`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AvroRecord, AvroValue } from '../../avro/datum-reader.js';
import type { FieldSummary } from '../../avro/iceberg-manifest-types.js';
import { seededRandom } from '../../metadata/test-fixtures.js';
import type { Transform } from '../../metadata/transforms.js';
import { parsePrimitiveType } from '../../metadata/primitive-types.js';
import type { PrimitiveType } from '../../metadata/types.js';
import { evaluateRow, recordReader, type BoundExpression, type BoundReference, type BoundTerm } from '../expressions/index.js';
import {
  applyTransform,
  compareSameType,
  compareUuidsSignedLegacy,
  encodeSingleValue,
  transformResultType,
  valueKey,
  valueTypeToString,
  type Value,
} from '../values/index.js';
import { toMinimalBigEndian } from '../values/twos-complement.js';
import { uuidBytesFromText } from '../values/uuid-bytes.js';
import { fileMightMatch, type FileMetrics } from './metrics-evaluator.js';
import { manifestMightMatch } from './manifest-evaluator.js';
import { partitionMightMatch } from './partition-evaluator.js';
import type { PartitionFieldInfo } from './partition-fields.js';
import { projectInclusive } from './project-inclusive.js';
import { residualFor } from './residual.js';
import { fieldsOf, partitionField, show } from './test-fixtures.js';

const CASES = 150;
const FILTERS_PER_CASE = 25;
const MAX_ROWS = 40;
const MICROS_PER_HOUR = 3_600_000_000n;
const MICROS_PER_DAY = 24n * MICROS_PER_HOUR;

type Random = () => number;
type Row = ReadonlyMap<number, Value | null>;

function pick<T>(next: Random, items: readonly T[]): T {
  const item = items[Math.floor(next() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}
const int = (next: Random, low: number, high: number): number => low + Math.floor(next() * (high - low + 1));

interface Column {
  readonly id: number;
  readonly name: string;
  readonly type: PrimitiveType;
  readonly required?: boolean;
  readonly value: (next: Random) => Value;
}

const UUIDS = [
  '00000000-0000-0000-0000-000000000001',
  '7fffffff-ffff-ffff-0000-000000000000',
  '80000000-0000-0000-0000-000000000001',
  'f79c3e09-677c-4bbd-a479-3f349cb785e7',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
];
const STRING_PARTS = ['a', 'b', 'ab', '😀', '\uffff', 'é'];
const FLOATS = [-2, -0, 0, 1.5, 2.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN];

const COLUMNS: readonly Column[] = [
  { id: 1, name: 'id', type: 'long', required: true, value: (next) => BigInt(int(next, -25, 25)) },
  { id: 2, name: 'data', type: 'string', value: (next) => Array.from({ length: int(next, 0, 4) }, () => pick(next, STRING_PARTS)).join('') },
  { id: 3, name: 'i', type: 'int', value: (next) => (next() < 0.05 ? pick(next, [-(2 ** 31), 2 ** 31 - 1]) : int(next, -25, 25)) },
  { id: 4, name: 'f', type: 'float', value: (next) => pick(next, FLOATS) },
  { id: 6, name: 'dec', type: 'decimal(9, 2)', value: (next) => ({ unscaled: BigInt(int(next, -300, 300)), scale: 2 }) },
  { id: 7, name: 'day', type: 'date', value: (next) => int(next, -800, 800) },
  {
    id: 8,
    name: 'ts',
    type: 'timestamp',
    value: (next) => BigInt(int(next, -3, 3)) * MICROS_PER_DAY + BigInt(int(next, -30, 30)) * MICROS_PER_HOUR + BigInt(pick(next, [0, 0, 1, -1, 999_999])),
  },
  { id: 10, name: 'u', type: 'uuid', value: (next) => pick(next, UUIDS) },
];

const referenceOf = (column: Column): BoundReference => ({ kind: 'reference', fieldId: column.id, name: column.name, type: column.type, required: column.required === true });

function randomRow(next: Random): Row {
  const row = new Map<number, Value | null>();
  for (const column of COLUMNS) row.set(column.id, column.required !== true && next() < 0.15 ? null : column.value(next));
  return row;
}

// ---------------------------------------------------------------------------------------------
// Filters

function randomLiteral(next: Random, column: Column): Value {
  for (;;) {
    const value = column.value(next);
    if (!(typeof value === 'number' && Number.isNaN(value))) return value;
  }
}

const TRANSFORM_TERMS: readonly { readonly column: number; readonly transform: Transform }[] = [
  { column: 8, transform: { kind: 'day' } },
  { column: 8, transform: { kind: 'hour' } },
  { column: 1, transform: { kind: 'bucket', count: 4 } },
  { column: 2, transform: { kind: 'truncate', width: 2 } },
  { column: 3, transform: { kind: 'truncate', width: 10 } },
];

function randomPredicate(next: Random): BoundExpression {
  const column = pick(next, COLUMNS);
  let term: BoundTerm = referenceOf(column);
  let literal = (): Value => randomLiteral(next, column);
  if (next() < 0.2) {
    const { column: sourceId, transform } = pick(next, TRANSFORM_TERMS);
    const source = COLUMNS.find((candidate) => candidate.id === sourceId) as Column;
    const resultType = transformResultType(transform, source.type);
    if (resultType === undefined) throw new Error('fixture transform does not apply');
    term = { kind: 'transform', transform, reference: referenceOf(source), type: valueTypeToString(resultType) };
    literal = () => applyTransform(transform, source.type, randomLiteral(next, source)) as Value;
    const ops = ['lt', 'lt-eq', 'gt', 'gt-eq', 'eq', 'not-eq', 'in', 'not-in', 'is-null', 'not-null'] as const;
    return predicateOf(pick(next, ops), term, literal, next);
  }
  const ops: string[] = ['lt', 'lt-eq', 'gt', 'gt-eq', 'eq', 'not-eq', 'in', 'not-in'];
  if (column.required !== true) ops.push('is-null', 'not-null');
  if (column.type === 'float') ops.push('is-nan', 'not-nan');
  if (column.type === 'string') ops.push('starts-with', 'not-starts-with', 'starts-with');
  return predicateOf(pick(next, ops), term, literal, next);
}

function predicateOf(op: string, term: BoundTerm, literal: () => Value, next: Random): BoundExpression {
  switch (op) {
    case 'is-null':
    case 'not-null':
    case 'is-nan':
    case 'not-nan':
      return { type: op, term };
    case 'in':
    case 'not-in': {
      const members = new Map<string, Value>();
      for (let count = int(next, 2, 4); count > 0; count -= 1) {
        const value = literal();
        members.set(valueKey(value), value);
      }
      return { type: op, term, literals: [...members.values()] };
    }
    default:
      return { type: op as 'lt', term, literal: literal() };
  }
}

function randomFilter(next: Random, depth = 0): BoundExpression {
  if (depth >= 2 || next() < 0.5) return randomPredicate(next);
  return { type: next() < 0.5 ? 'and' : 'or', left: randomFilter(next, depth + 1), right: randomFilter(next, depth + 1) };
}

// ---------------------------------------------------------------------------------------------
// Writing rows into files and manifests

const SPEC_A = fieldsOf(
  partitionField(3, 'i', 'identity', 1000),
  partitionField(1, 'id_bucket', 'bucket[4]', 1001),
  partitionField(2, 'data_trunc', 'truncate[2]', 1002),
  partitionField(8, 'ts_day', 'day', 1003),
  partitionField(7, 'day_month', 'month', 1004),
  partitionField(4, 'f_void', 'void', 1005),
);
const SPEC_B = fieldsOf(
  partitionField(3, 'i_trunc', 'truncate[10]', 1006),
  partitionField(8, 'ts_hour', 'hour', 1007),
  partitionField(7, 'day_year', 'year', 1008),
  partitionField(6, 'dec', 'identity', 1009),
  partitionField(10, 'u', 'identity', 1010),
  partitionField(4, 'f', 'identity', 1011),
  partitionField(2, 'data', 'identity', 1012),
  partitionField(1, 'id_trunc', 'truncate[3]', 1013),
);

interface DataFileCase {
  readonly rows: Row[];
  readonly partition: readonly (Value | null)[];
  readonly record: AvroRecord;
  readonly metrics: FileMetrics;
}

function partitionTuple(fields: readonly PartitionFieldInfo[], row: Row, legacy: boolean): (Value | null)[] {
  return fields.map((field) => {
    const source = row.get(field.sourceId) ?? null;
    const value = applyTransform(field.transform, field.sourceType as NonNullable<typeof field.sourceType>, source);
    if (!legacy || typeof source !== 'bigint' || typeof value !== 'number' || source >= 0n) return value;
    // Iceberg <= 0.10 rounded negative timestamps toward zero: one unit too high unless aligned.
    const unit = field.transform.kind === 'day' ? MICROS_PER_DAY : field.transform.kind === 'hour' ? MICROS_PER_HOUR : undefined;
    return unit !== undefined && source % unit !== 0n ? value + 1 : value;
  });
}

function avroOf(value: Value | null, field: PartitionFieldInfo): AvroValue {
  if (value === null) return null;
  if (field.resultType?.kind === 'uuid') return uuidBytesFromText(value as string) ?? null;
  if (typeof value === 'object' && !(value instanceof Uint8Array)) return toMinimalBigEndian(value.unscaled);
  return value;
}

const isNaNValue = (value: Value | null): boolean => typeof value === 'number' && Number.isNaN(value);

type Order = (left: Value, right: Value) => number;
const unsignedOrder: Order = compareSameType;
const signedUuidOrder: Order = (left, right) =>
  typeof left === 'string' && typeof right === 'string' && left.length === 36 && right.length === 36 && left.includes('-')
    ? compareUuidsSignedLegacy(left, right)
    : compareSameType(left, right);

function extremes(values: readonly Value[], order: Order): { min: Value; max: Value } | undefined {
  const [first] = values;
  if (first === undefined) return undefined;
  let min = first;
  let max = first;
  for (const value of values) {
    if (order(value, min) < 0) min = value;
    if (order(value, max) > 0) max = value;
  }
  return { min, max };
}

/** A writer's truncated string bounds: a prefix of the minimum, an incremented prefix of the maximum. */
function truncatedBounds(min: string, max: string, length: number): { lower: string; upper: string | undefined } {
  const lower = [...min].slice(0, length).join('');
  const points = [...max];
  if (points.length <= length) return { lower, upper: max };
  const kept = points.slice(0, length);
  for (let index = kept.length - 1; index >= 0; index -= 1) {
    let code = (kept[index] as string).codePointAt(0) as number;
    code += 1;
    if (code >= 0xd800 && code <= 0xdfff) code = 0xe000;
    if (code <= 0x10ffff) return { lower, upper: [...kept.slice(0, index), String.fromCodePoint(code)].join('') };
  }
  return { lower, upper: undefined };
}

function metricsOf(rows: readonly Row[], next: Random): FileMetrics {
  const values = new Map<number, bigint>();
  const nulls = new Map<number, bigint>();
  const nans = new Map<number, bigint>();
  const lower = new Map<number, Uint8Array>();
  const upper = new Map<number, Uint8Array>();
  for (const column of COLUMNS) {
    if (next() < 0.1) continue; // this writer kept no metrics for the column
    const cells = rows.map((row) => row.get(column.id) ?? null);
    values.set(column.id, BigInt(cells.length));
    nulls.set(column.id, BigInt(cells.filter((cell) => cell === null).length));
    if (column.type === 'float') nans.set(column.id, BigInt(cells.filter(isNaNValue).length));
    const ordered = cells.filter((cell): cell is Value => cell !== null && !isNaNValue(cell));
    const order = column.type === 'uuid' && next() < 0.5 ? signedUuidOrder : unsignedOrder;
    const bounds = extremes(ordered, order);
    if (bounds === undefined || next() < 0.1) continue;
    let min: Value = bounds.min;
    let max: Value | undefined = bounds.max;
    if (column.type === 'string' && next() < 0.5) {
      const truncated = truncatedBounds(bounds.min as string, bounds.max as string, int(next, 1, 2));
      [min, max] = [truncated.lower, truncated.upper];
    }
    lower.set(column.id, encodeSingleValue(column.type, min));
    if (max !== undefined) upper.set(column.id, encodeSingleValue(column.type, max));
  }
  return { record_count: BigInt(rows.length), value_counts: values, null_value_counts: nulls, nan_value_counts: nans, lower_bounds: lower, upper_bounds: upper };
}

function writeFiles(rows: readonly Row[], fields: readonly PartitionFieldInfo[], next: Random): DataFileCase[] {
  const files = new Map<string, { rows: Row[]; partition: (Value | null)[] }>();
  const legacy = next() < 0.3;
  for (const row of rows) {
    const partition = partitionTuple(fields, row, legacy);
    const key = partition.map((value) => (value === null ? '∅' : valueKey(value))).join('|');
    const file = files.get(key) ?? { rows: [], partition };
    file.rows.push(row);
    files.set(key, file);
  }
  return [...files.values()].map(({ rows: fileRows, partition }) => {
    const record: AvroRecord = {};
    fields.forEach((field, index) => {
      record[field.name] = avroOf(partition[index] ?? null, field);
    });
    return { rows: fileRows, partition, record, metrics: metricsOf(fileRows, next) };
  });
}

function summariesOf(files: readonly DataFileCase[], fields: readonly PartitionFieldInfo[], next: Random): FieldSummary[] {
  return fields.map((field, index) => {
    const values = files.map((file) => file.partition[index] ?? null);
    const type = field.resultType;
    const floating = type?.kind === 'float' || type?.kind === 'double';
    const order = type?.kind === 'uuid' && next() < 0.5 ? signedUuidOrder : unsignedOrder;
    const bounds = extremes(values.filter((value): value is Value => value !== null && !isNaNValue(value)), order);
    const encode = (value: Value): Uint8Array => encodeSingleValue(valueTypeToString(type as NonNullable<typeof type>), value);
    return {
      contains_null: values.includes(null),
      contains_nan: floating ? values.some(isNaNValue) : null,
      lower_bound: bounds === undefined ? null : encode(bounds.min),
      upper_bound: bounds === undefined ? null : encode(bounds.max),
    };
  });
}

// ---------------------------------------------------------------------------------------------

const rowReader = (row: Row) => recordReader((fieldId) => row.get(fieldId) ?? null);

/** The filter with `x > v` / `x >= v` on floats read as IEEE comparisons (false for NaN). */
function ieee(filter: BoundExpression): BoundExpression {
  switch (filter.type) {
    case 'and':
    case 'or':
      return { type: filter.type, left: ieee(filter.left), right: ieee(filter.right) };
    case 'gt':
    case 'gt-eq':
      return typeof filter.literal === 'number' && filter.term.type === 'float'
        ? { type: 'and', left: filter, right: { type: 'not-nan', term: filter.term } }
        : filter;
    default:
      return filter;
  }
}

test('no evaluator prunes a manifest or file holding a matching row, and residuals agree with the filter', () => {
  for (let seed = 1; seed <= CASES; seed += 1) {
    const next = seededRandom(seed);
    const rows = Array.from({ length: int(next, 1, MAX_ROWS) }, () => randomRow(next));
    const half = int(next, 0, rows.length);
    const manifests = [
      { fields: SPEC_A, files: writeFiles(rows.slice(0, half), SPEC_A, next) },
      { fields: SPEC_B, files: writeFiles(rows.slice(half), SPEC_B, next) },
    ].map((manifest) => ({ ...manifest, summaries: summariesOf(manifest.files, manifest.fields, next) }));
    for (let filterIndex = 0; filterIndex < FILTERS_PER_CASE; filterIndex += 1) {
      const filter = randomFilter(next);
      const where = `seed ${seed}, filter ${filterIndex}: ${show(filter)}`;
      const oracle = ieee(filter);
      for (const manifest of manifests) {
        const projected = projectInclusive(filter, manifest.fields);
        const matchingFiles = manifest.files.filter((file) => file.rows.some((row) => evaluateRow(oracle, rowReader(row))));
        if (matchingFiles.length > 0) {
          assert.ok(manifestMightMatch(projected, manifest.fields, manifest.summaries), `manifest pruned; ${where}; projected ${show(projected)}`);
        }
        for (const file of manifest.files) {
          const matches = matchingFiles.includes(file);
          if (matches) {
            assert.ok(fileMightMatch(filter, file.metrics), `file pruned by metrics; ${where}; rows ${JSON.stringify(file.rows.map((row) => [...row]), replacer)}`);
            assert.ok(partitionMightMatch(projected, manifest.fields, file.record), `file pruned by partition ${JSON.stringify(file.partition, replacer)}; ${where}; projected ${show(projected)}`);
          }
          const residual = residualFor(filter, manifest.fields, file.record);
          for (const row of file.rows) {
            assert.equal(
              evaluateRow(residual, rowReader(row)),
              evaluateRow(filter, rowReader(row)),
              `residual ${show(residual)} disagrees on a row of partition ${JSON.stringify(file.partition, replacer)}; ${where}`,
            );
          }
        }
      }
    }
  }
});

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${value}n` : value;
}

test('the fixture types parse (guards the generator itself)', () => {
  for (const column of COLUMNS) assert.equal(parsePrimitiveType(column.type).ok, true, column.type);
});
