/**
 * Property test: the evaluators are total. Manifest contents come from any writer, so random bytes
 * as bounds and summaries, values of the wrong Avro form in partition records and nonsense counts
 * must only ever give an answer (mostly "might match"), never an exception.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AvroValue } from '../../avro/datum-reader.js';
import type { FieldSummary } from '../../avro/iceberg-manifest-types.js';
import type { JsonValue } from '../../json/lossless-json.js';
import { seededRandom } from '../../metadata/test-fixtures.js';
import { fileMightMatch } from './metrics-evaluator.js';
import { manifestMightMatch } from './manifest-evaluator.js';
import { partitionMightMatch } from './partition-evaluator.js';
import { projectInclusive } from './project-inclusive.js';
import { residualFor } from './residual.js';
import { aFile, andOf, apply, bind, cmp, fieldsOf, orOf, partitionField, ref, set, unary } from './test-fixtures.js';

const CASES = 400;
type Random = () => number;

const FILTERS: readonly JsonValue[] = [
  cmp('lt', ref('i'), 5),
  cmp('gt-eq', ref('id'), 5),
  cmp('eq', ref('data'), 'ab'),
  cmp('starts-with', ref('data'), 'a'),
  cmp('not-starts-with', ref('data'), 'ab'),
  cmp('gt', ref('f'), 1.5),
  unary('is-nan', ref('f')),
  unary('not-null', ref('d')),
  cmp('eq', ref('dec'), '1.50'),
  cmp('lt', ref('day'), '1969-12-31'),
  cmp('gt', ref('ts'), '1969-12-31T10:00:00'),
  cmp('eq', ref('u'), 'f79c3e09-677c-4bbd-a479-3f349cb785e7'),
  set('in', ref('fx'), ['000102', '0a0b0c']),
  cmp('lt', ref('bin'), '7f'),
  cmp('eq', ref('b'), true),
  cmp('eq', apply('day', ref('ts')), '2017-11-16'),
  cmp('lt', apply('truncate', 4, ref('data')), 'abcd'),
  andOf(cmp('eq', apply('bucket[16]', ref('id')), 3), orOf(cmp('lt', ref('t'), '10:00:00'), cmp('gt', ref('tsn'), '2017-11-16T00:00:00'))),
];

const FIELDS = fieldsOf(
  partitionField(3, 'i', 'identity', 1000),
  partitionField(1, 'id_bucket', 'bucket[16]', 1001),
  partitionField(2, 'data_trunc', 'truncate[4]', 1002),
  partitionField(8, 'ts_day', 'day', 1003),
  partitionField(7, 'day_year', 'year', 1004),
  partitionField(6, 'dec', 'identity', 1005),
  partitionField(10, 'u', 'identity', 1006),
  partitionField(4, 'f', 'identity', 1007),
  partitionField(11, 'fx', 'identity', 1008),
  partitionField(20, 'tsn_hour', 'hour', 1009),
);

const randomBytes = (next: Random): Uint8Array => Uint8Array.from({ length: Math.floor(next() * 18) }, () => Math.floor(next() * 256));

function randomAvro(next: Random): AvroValue {
  switch (Math.floor(next() * 8)) {
    case 0: return null;
    case 1: return next() < 0.5;
    case 2: return Math.floor((next() - 0.5) * 2 ** 33);
    case 3: return next() < 0.5 ? Number.NaN : next() * 100;
    case 4: return BigInt(Math.floor((next() - 0.5) * 2 ** 40)) * 1_000_000n;
    case 5: return String.fromCharCode(...Array.from({ length: Math.floor(next() * 5) }, () => Math.floor(next() * 0xffff)));
    case 6: return randomBytes(next);
    default: return [1, 2];
  }
}

const maybe = <T>(next: Random, make: () => T): T | null => (next() < 0.7 ? make() : null);
const randomCount = (next: Random): bigint => BigInt(Math.floor((next() - 0.2) * 20));

test('evaluators never throw on hostile manifest contents', () => {
  const filters = FILTERS.map(bind);
  const columnIds = [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 19, 20];
  for (let seed = 1; seed <= CASES; seed += 1) {
    const next = seededRandom(seed);
    const counts = (): Record<number, bigint> => Object.fromEntries(columnIds.map((id) => [id, randomCount(next)]));
    const bounds = (): Record<number, Uint8Array> => Object.fromEntries(columnIds.map((id) => [id, randomBytes(next)]));
    const file = aFile({ records: randomCount(next), values: counts(), nulls: counts(), nans: counts(), lower: bounds(), upper: bounds() });
    const summaries: FieldSummary[] = FIELDS.slice(0, Math.floor(next() * (FIELDS.length + 1))).map(() => ({
      contains_null: next() < 0.5,
      contains_nan: next() < 0.3 ? null : next() < 0.5,
      lower_bound: maybe(next, () => randomBytes(next)),
      upper_bound: maybe(next, () => randomBytes(next)),
    }));
    const record = Object.fromEntries(FIELDS.filter(() => next() < 0.9).map((field) => [field.name, randomAvro(next)]));
    for (const filter of filters) {
      const projected = projectInclusive(filter, FIELDS);
      const where = `seed ${seed}`;
      assert.equal(typeof fileMightMatch(filter, file), 'boolean', where);
      assert.equal(typeof manifestMightMatch(projected, FIELDS, summaries), 'boolean', where);
      assert.equal(typeof partitionMightMatch(projected, FIELDS, record), 'boolean', where);
      assert.ok(residualFor(filter, FIELDS, record), where);
    }
  }
});
