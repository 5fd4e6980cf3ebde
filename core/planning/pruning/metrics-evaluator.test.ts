import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../json/lossless-json.js';
import { fileMightMatch, type FileMetrics } from './metrics-evaluator.js';
import { aFile, apply, bind, bytes, cmp, ref, set, unary } from './test-fixtures.js';

const I = 3;
const F = 4;
const S = 2;
const U = 10;
const TS = 8;

const might = (filter: JsonValue, file: FileMetrics): boolean => fileMightMatch(bind(filter), file);

/** Column i: 10 values, no nulls, 30 <= i <= 79. */
const intFile = (): FileMetrics =>
  aFile({ values: { [I]: 10n }, nulls: { [I]: 0n }, lower: { [I]: bytes('int', 30) }, upper: { [I]: bytes('int', 79) } });

describe('fileMightMatch: comparisons against bounds', () => {
  it('decides each operator from the int bounds [30, 79]', () => {
    const cases: [string, number, boolean][] = [
      ['lt', 30, false], ['lt', 31, true],
      ['lt-eq', 29, false], ['lt-eq', 30, true],
      ['gt', 79, false], ['gt', 78, true],
      ['gt-eq', 80, false], ['gt-eq', 79, true],
      ['eq', 29, false], ['eq', 80, false], ['eq', 30, true], ['eq', 79, true], ['eq', 50, true],
      ['not-eq', 50, true], ['not-eq', 30, true],
    ];
    for (const [op, literal, expected] of cases) assert.equal(might(cmp(op, ref('i'), literal), intFile()), expected, `${op} ${literal}`);
  });

  it('rules out in only when every member lies outside, and not-in never', () => {
    assert.equal(might(set('in', ref('i'), [1, 2, 80]), intFile()), false);
    assert.equal(might(set('in', ref('i'), [1, 2, 31]), intFile()), true);
    assert.equal(might(set('not-in', ref('i'), [30, 31]), intFile()), true);
  });

  it('does not check an in with more than 200 members', () => {
    const many = Array.from({ length: 201 }, (_, index) => 1000 + index);
    assert.equal(might(set('in', ref('i'), many), intFile()), true);
    assert.equal(might(set('in', ref('i'), many.slice(0, 200)), intFile()), false);
  });
});

describe('fileMightMatch: nulls and counts', () => {
  const allNull = (): FileMetrics => aFile({ values: { [I]: 10n }, nulls: { [I]: 10n } });

  it('rules out everything but is-null and the negations on an all-null column', () => {
    assert.equal(might(unary('is-null', ref('i')), allNull()), true);
    assert.equal(might(unary('not-null', ref('i')), allNull()), false);
    for (const op of ['lt', 'lt-eq', 'gt', 'gt-eq', 'eq']) assert.equal(might(cmp(op, ref('i'), 5), allNull()), false, op);
    assert.equal(might(set('in', ref('i'), [1, 2]), allNull()), false);
    assert.equal(might(cmp('not-eq', ref('i'), 5), allNull()), true);
    assert.equal(might(set('not-in', ref('i'), [1, 2]), allNull()), true);
  });

  it('rules out is-null when the null count is 0', () => {
    assert.equal(might(unary('is-null', ref('i')), intFile()), false);
    assert.equal(might(unary('not-null', ref('i')), intFile()), true);
  });

  it('matches nothing in a file of 0 records, and trusts nothing of a negative count', () => {
    assert.equal(might(cmp('eq', ref('i'), 50), aFile({ records: 0n })), false);
    assert.equal(might(cmp('eq', ref('i'), 5), aFile({ records: -1n, values: { [I]: 10n }, nulls: { [I]: 10n } })), true);
  });

  it('might match when metrics are missing', () => {
    const none = aFile();
    for (const op of ['lt', 'gt', 'eq', 'not-eq']) assert.equal(might(cmp(op, ref('i'), 5), none), true, op);
    assert.equal(might(unary('is-null', ref('i')), none), true);
    assert.equal(might(unary('not-null', ref('i')), none), true);
    assert.equal(might(unary('is-nan', ref('f')), none), true);
    assert.equal(might(cmp('starts-with', ref('data'), 'a'), none), true);
    assert.equal(might(cmp('not-starts-with', ref('data'), 'a'), none), true);
  });

  it('might match when a bound does not decode, never throwing', () => {
    const broken = aFile({ values: { [I]: 10n }, nulls: { [I]: 0n }, lower: { [I]: new Uint8Array([1, 2, 3]) }, upper: { [I]: new Uint8Array() } });
    for (const op of ['lt', 'lt-eq', 'gt', 'gt-eq', 'eq']) assert.equal(might(cmp(op, ref('i'), 5), broken), true, op);
    const badUtf8 = aFile({ lower: { [S]: new Uint8Array([0xff]) }, upper: { [S]: new Uint8Array([0xc3]) } });
    assert.equal(might(cmp('starts-with', ref('data'), 'zz'), badUtf8), true);
  });

  it('reads a 4-byte bound of a long column as the int it was written as', () => {
    const promoted = aFile({ lower: { 1: bytes('int', 30) }, upper: { 1: bytes('int', 79) } });
    assert.equal(might(cmp('gt', ref('id'), 79), promoted), false);
    assert.equal(might(cmp('gt', ref('id'), 78), promoted), true);
  });
});

describe('fileMightMatch: floats and NaN', () => {
  const withNaN = (): FileMetrics =>
    aFile({ values: { [F]: 10n }, nulls: { [F]: 0n }, nans: { [F]: 3n }, lower: { [F]: bytes('float', 1.5) }, upper: { [F]: bytes('float', 2.5) } });
  const allNaN = (): FileMetrics => aFile({ values: { [F]: 10n }, nulls: { [F]: 0n }, nans: { [F]: 10n } });

  it('decides is-nan and not-nan from the NaN count', () => {
    assert.equal(might(unary('is-nan', ref('f')), withNaN()), true);
    assert.equal(might(unary('not-nan', ref('f')), withNaN()), true);
    assert.equal(might(unary('is-nan', ref('f')), aFile({ values: { [F]: 10n }, nans: { [F]: 0n } })), false);
    assert.equal(might(unary('not-nan', ref('f')), allNaN()), false);
    assert.equal(might(unary('is-nan', ref('f')), aFile({ values: { [F]: 10n }, nulls: { [F]: 10n } })), false);
  });

  it('rules out comparisons on an all-NaN column', () => {
    for (const op of ['lt', 'gt', 'eq']) assert.equal(might(cmp(op, ref('f'), 2), allNaN()), false, op);
    assert.equal(might(cmp('not-eq', ref('f'), 2), allNaN()), true);
  });

  it('uses bounds that exclude NaN, and ignores a NaN bound an old writer left', () => {
    assert.equal(might(cmp('gt', ref('f'), 2.5), withNaN()), false);
    assert.equal(might(cmp('lt', ref('f'), 1.5), withNaN()), false);
    const oldWriter = aFile({ values: { [F]: 10n }, lower: { [F]: bytes('float', Number.NaN) }, upper: { [F]: bytes('float', Number.NaN) } });
    assert.equal(might(cmp('lt', ref('f'), 1), oldWriter), true);
    assert.equal(might(cmp('gt', ref('f'), 1), oldWriter), true);
    assert.equal(might(cmp('eq', ref('f'), 1), oldWriter), true);
  });
});

describe('fileMightMatch: strings, truncated bounds and prefixes', () => {
  /** Values from "abcdef" to "abzzz", bounds truncated to 3 bytes: lower "abc", upper "ac" (incremented "ab"). */
  const truncated = (): FileMetrics =>
    aFile({ values: { [S]: 10n }, nulls: { [S]: 0n }, lower: { [S]: bytes('string', 'abc') }, upper: { [S]: bytes('string', 'ac') } });

  it('treats a truncated upper bound as an upper bound', () => {
    assert.equal(might(cmp('eq', ref('data'), 'abzzz'), truncated()), true);
    assert.equal(might(cmp('eq', ref('data'), 'abcdef'), truncated()), true);
    assert.equal(might(cmp('eq', ref('data'), 'ac0'), truncated()), false);
    assert.equal(might(cmp('gt', ref('data'), 'ac'), truncated()), false);
    assert.equal(might(cmp('lt', ref('data'), 'abc'), truncated()), false);
    assert.equal(might(cmp('lt', ref('data'), 'abca'), truncated()), true);
  });

  it('decides starts-with on the bounds cut to the prefix length', () => {
    assert.equal(might(cmp('starts-with', ref('data'), 'ab'), truncated()), true);
    assert.equal(might(cmp('starts-with', ref('data'), 'abd'), truncated()), true);
    assert.equal(might(cmp('starts-with', ref('data'), 'aa'), truncated()), false);
    assert.equal(might(cmp('starts-with', ref('data'), 'ad'), truncated()), false);
    assert.equal(might(cmp('starts-with', ref('data'), 'abcdefgh'), truncated()), true);
  });

  it('rules out not-starts-with only when both bounds start with the prefix and no value is null', () => {
    const narrow = aFile({ values: { [S]: 10n }, nulls: { [S]: 0n }, lower: { [S]: bytes('string', 'abc') }, upper: { [S]: bytes('string', 'abd') } });
    assert.equal(might(cmp('not-starts-with', ref('data'), 'ab'), narrow), false);
    assert.equal(might(cmp('not-starts-with', ref('data'), 'abc'), narrow), true);
    assert.equal(might(cmp('not-starts-with', ref('data'), 'ab'), truncated()), true);
    const withNull = aFile({ values: { [S]: 10n }, nulls: { [S]: 1n }, lower: { [S]: bytes('string', 'abc') }, upper: { [S]: bytes('string', 'abd') } });
    assert.equal(might(cmp('not-starts-with', ref('data'), 'ab'), withNull), true);
  });

  it('compares by code point, not UTF-16 unit', () => {
    const astral = aFile({ lower: { [S]: bytes('string', '😀') }, upper: { [S]: bytes('string', '😀') } });
    assert.equal(might(cmp('lt', ref('data'), '\uffff'), astral), false);
    assert.equal(might(cmp('gt', ref('data'), '\uffff'), astral), true);
  });
});

describe('fileMightMatch: uuid bounds', () => {
  const file = (lower: string, upper: string): FileMetrics => aFile({ lower: { [U]: bytes('uuid', lower) }, upper: { [U]: bytes('uuid', upper) } });

  it('prunes on bounds whose high halves share a sign bit, widened to any low half', () => {
    const low = '10000000-0000-0000-8000-000000000000';
    const high = '20000000-0000-0000-0000-000000000001';
    assert.equal(might(cmp('eq', ref('u'), '30000000-0000-0000-0000-000000000000'), file(low, high)), false);
    assert.equal(might(cmp('lt', ref('u'), '10000000-0000-0000-0000-000000000000'), file(low, high)), false);
    // Under the signed order a low half of 0x00.. sorts above 0x80.., so the file may hold it.
    assert.equal(might(cmp('eq', ref('u'), '10000000-0000-0000-0000-000000000000'), file(low, high)), true);
    assert.equal(might(cmp('eq', ref('u'), '20000000-0000-0000-ffff-ffffffffffff'), file(low, high)), true);
  });

  it('does not prune on bounds whose high halves differ in sign bit (signed writers span both ends)', () => {
    // Signed order: 80000000-... (negative) < 00000000-...; the file may hold anything unsigned-wise.
    const signedFile = file('80000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001');
    assert.equal(might(cmp('gt', ref('u'), '7fffffff-ffff-ffff-0000-000000000000'), signedFile), true);
    assert.equal(might(cmp('eq', ref('u'), 'f79c3e09-677c-4bbd-a479-3f349cb785e7'), signedFile), true);
  });
});

describe('fileMightMatch: transform terms', () => {
  const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
  const micros = (iso: string): bigint => BigInt(Date.parse(`${iso}Z`)) * 1000n;
  const file = (): FileMetrics =>
    aFile({ lower: { [TS]: bytes('timestamp', micros('2017-11-16T10:00:00')) }, upper: { [TS]: bytes('timestamp', micros('2017-11-18T10:00:00')) } });

  it('checks order-preserving transforms on transformed bounds', () => {
    assert.equal(might(cmp('eq', apply('day', ref('ts')), day('2017-11-15')), file()), false);
    assert.equal(might(cmp('eq', apply('day', ref('ts')), day('2017-11-16')), file()), true);
    assert.equal(might(cmp('gt', apply('day', ref('ts')), day('2017-11-18')), file()), false);
  });

  it('learns nothing from bucket bounds', () => {
    assert.equal(might(cmp('eq', apply('bucket[4]', ref('ts')), 3), file()), true);
  });
});
