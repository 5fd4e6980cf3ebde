import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldSummary } from '../../avro/iceberg-manifest-types.js';
import type { JsonValue } from '../../json/lossless-json.js';
import { manifestMightMatch } from './manifest-evaluator.js';
import { projectInclusive } from './project-inclusive.js';
import { aSummary, bind, bytes, cmp, fieldsOf, partitionField, ref, set, unary } from './test-fixtures.js';

/** Spec: identity(i), day(ts), identity(f), identity(data). */
const fields = fieldsOf(
  partitionField(3, 'i', 'identity', 1000),
  partitionField(8, 'ts_day', 'day', 1001),
  partitionField(4, 'f', 'identity', 1002),
  partitionField(2, 'data', 'identity', 1003),
);
const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/** Summaries for the four fields; unspecified ones say nothing useful (nulls present, no bounds). */
function summaries(overrides: { i?: FieldSummary; day?: FieldSummary; f?: FieldSummary; data?: FieldSummary }): FieldSummary[] {
  const open = aSummary({ contains_null: true });
  return [overrides.i ?? open, overrides.day ?? open, overrides.f ?? open, overrides.data ?? open];
}
const ints = (lower: number, upper: number, options: Partial<FieldSummary> = {}): FieldSummary =>
  aSummary({ lower_bound: bytes('int', lower), upper_bound: bytes('int', upper), ...options });

const might = (filter: JsonValue, partitions: readonly FieldSummary[] | null): boolean =>
  manifestMightMatch(projectInclusive(bind(filter), fields), fields, partitions);

describe('manifestMightMatch: bounds', () => {
  it('decides each operator from the bounds [30, 79] of an identity field', () => {
    const manifest = summaries({ i: ints(30, 79) });
    const cases: [string, number, boolean][] = [
      ['lt', 30, false], ['lt', 31, true], ['lt-eq', 29, false], ['lt-eq', 30, true],
      ['gt', 79, false], ['gt', 78, true], ['gt-eq', 80, false], ['gt-eq', 79, true],
      ['eq', 29, false], ['eq', 80, false], ['eq', 55, true], ['not-eq', 55, true],
    ];
    for (const [op, literal, expected] of cases) assert.equal(might(cmp(op, ref('i'), literal), manifest), expected, `${op} ${literal}`);
    assert.equal(might(set('in', ref('i'), [1, 80]), manifest), false);
    assert.equal(might(set('in', ref('i'), [1, 31]), manifest), true);
    assert.equal(might(set('not-in', ref('i'), [30, 31]), manifest), true);
  });

  it('prunes through a day transform, including the pre-epoch fix-up', () => {
    const manifest = summaries({ day: ints(day('2017-11-16'), day('2017-11-18')) });
    assert.equal(might(cmp('lt', ref('ts'), '2017-11-16T00:00:00'), manifest), false);
    assert.equal(might(cmp('lt', ref('ts'), '2017-11-16T00:00:01'), manifest), true);
    // A file of Iceberg <= 0.10 put 1969-12-31T10:00 into day 0.
    const legacy = summaries({ day: ints(0, 0) });
    assert.equal(might(cmp('eq', ref('ts'), '1969-12-31T10:00:00'), legacy), true);
    assert.equal(might(cmp('eq', ref('ts'), '1969-12-30T10:00:00'), legacy), false);
  });

  it('decides prefixes on string bounds', () => {
    const manifest = summaries({ data: aSummary({ lower_bound: bytes('string', 'abc'), upper_bound: bytes('string', 'abf') }) });
    assert.equal(might(cmp('starts-with', ref('data'), 'ab'), manifest), true);
    assert.equal(might(cmp('starts-with', ref('data'), 'b'), manifest), false);
    assert.equal(might(cmp('not-starts-with', ref('data'), 'ab'), manifest), false);
    assert.equal(might(cmp('not-starts-with', ref('data'), 'abc'), manifest), true);
    const withNull = summaries({ data: aSummary({ contains_null: true, lower_bound: bytes('string', 'abc'), upper_bound: bytes('string', 'abf') }) });
    assert.equal(might(cmp('not-starts-with', ref('data'), 'ab'), withNull), true);
  });
});

describe('manifestMightMatch: nulls and NaN', () => {
  const allNull = aSummary({ contains_null: true });

  it('rules out value predicates and not-null on an all-null field', () => {
    const manifest = summaries({ i: allNull });
    assert.equal(might(unary('is-null', ref('i')), manifest), true);
    assert.equal(might(unary('not-null', ref('i')), manifest), false);
    for (const op of ['lt', 'gt', 'eq']) assert.equal(might(cmp(op, ref('i'), 5), manifest), false, op);
    assert.equal(might(cmp('not-eq', ref('i'), 5), manifest), true);
  });

  it('rules out is-null when no partition value is null', () => {
    assert.equal(might(unary('is-null', ref('i')), summaries({ i: ints(1, 2) })), false);
  });

  it('uses contains_nan for float fields', () => {
    const noNaN = summaries({ f: aSummary({ contains_nan: false, lower_bound: bytes('float', 1), upper_bound: bytes('float', 2) }) });
    assert.equal(might(unary('is-nan', ref('f')), noNaN), false);
    assert.equal(might(unary('not-nan', ref('f')), noNaN), true);
    const onlyNaN = summaries({ f: aSummary({ contains_nan: true }) });
    assert.equal(might(unary('not-nan', ref('f')), onlyNaN), false);
    assert.equal(might(unary('is-nan', ref('f')), onlyNaN), true);
    assert.equal(might(cmp('lt', ref('f'), 1), onlyNaN), false);
    // Nulls and NaN, unknown NaN-ness: not-null might still match a NaN.
    const nullOrNaN = summaries({ f: aSummary({ contains_null: true, contains_nan: null }) });
    assert.equal(might(unary('not-null', ref('f')), nullOrNaN), true);
  });

  it('does not read a summary with no nulls, no NaN and no bounds as all-null (unlike Java)', () => {
    const silent = summaries({ i: aSummary({ contains_null: false, contains_nan: false }) });
    assert.equal(might(cmp('eq', ref('i'), 5), silent), true);
  });
});

describe('manifestMightMatch: missing and hostile summaries', () => {
  it('might match without summaries, or with fewer than the spec has fields', () => {
    assert.equal(might(cmp('eq', ref('i'), 5), null), true);
    assert.equal(might(cmp('eq', ref('data'), 'x'), [ints(30, 79)]), true);
    assert.equal(might(cmp('eq', ref('i'), 5), [ints(30, 79)]), false);
  });

  it('might match on bounds that do not decode', () => {
    const broken = summaries({ i: aSummary({ lower_bound: new Uint8Array([1]), upper_bound: new Uint8Array([1, 2, 3, 4, 5]) }) });
    for (const op of ['lt', 'gt', 'eq']) assert.equal(might(cmp(op, ref('i'), 5), broken), true, op);
    const badUtf8 = summaries({ data: aSummary({ lower_bound: new Uint8Array([0xff]), upper_bound: new Uint8Array([0xfe]) }) });
    assert.equal(might(cmp('starts-with', ref('data'), 'x'), badUtf8), true);
  });

  it('uses the one bound that decodes', () => {
    const half = summaries({ i: aSummary({ lower_bound: bytes('int', 30), upper_bound: new Uint8Array([9]) }) });
    assert.equal(might(cmp('lt', ref('i'), 30), half), false);
    assert.equal(might(cmp('gt', ref('i'), 1000), half), true);
  });

  it('is true for a filter on columns the spec does not partition', () => {
    assert.equal(might(cmp('eq', ref('id'), 5), summaries({ i: allNullSummary() })), true);
  });
});

function allNullSummary(): FieldSummary {
  return aSummary({ contains_null: true });
}
