import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../json/lossless-json.js';
import { projectInclusive } from './project-inclusive.js';
import { andOf, apply, bind, cmp, fieldsOf, orOf, partitionField, ref, set, show, unary } from './test-fixtures.js';
import type { PartitionField } from '../../metadata/types.js';

const project = (filter: JsonValue, ...fields: PartitionField[]): string => show(projectInclusive(bind(filter), fieldsOf(...fields)));
const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

describe('projectInclusive: identity', () => {
  const p = (): PartitionField => partitionField(3, 'p', 'identity');

  it('carries every predicate over unchanged', () => {
    assert.equal(project(cmp('lt', ref('i'), 5), p()), 'p lt 5');
    assert.equal(project(cmp('not-eq', ref('i'), 5), p()), 'p not-eq 5');
    assert.equal(project(set('not-in', ref('i'), [1, 2]), p()), 'p not-in [1, 2]');
    assert.equal(project(unary('is-null', ref('i')), p()), 'p is-null');
    assert.equal(project(unary('is-nan', ref('f')), partitionField(4, 'pf', 'identity')), 'pf is-nan');
    assert.equal(project(cmp('not-starts-with', ref('data'), 'ab'), partitionField(2, 'ps', 'identity')), 'ps not-starts-with "ab"');
  });

  it('is true for a column no partition field is derived from', () => {
    assert.equal(project(cmp('eq', ref('id'), 5), p()), 'true');
    assert.equal(project(orOf(cmp('eq', ref('id'), 5), cmp('eq', ref('i'), 1)), p()), 'true');
    assert.equal(project(andOf(cmp('eq', ref('id'), 5), cmp('eq', ref('i'), 1)), p()), 'p eq 1');
  });
});

describe('projectInclusive: bucket', () => {
  const b = (): PartitionField => partitionField(1, 'b', 'bucket[16]');

  it('projects eq and in to the bucket (spec Appendix B: bucket of 34L hashes to 2017239379)', () => {
    assert.equal(project(cmp('eq', ref('id'), 34), b()), `b eq ${2017239379 % 16}`);
    assert.match(project(set('in', ref('id'), [34, 35]), b()), /^b (in \[\d+, \d+\]|eq \d+)$/);
  });

  it('projects null checks and nothing else', () => {
    assert.equal(project(unary('not-null', ref('i')), partitionField(3, 'bi', 'bucket[4]')), 'bi not-null');
    for (const op of ['lt', 'lt-eq', 'gt', 'gt-eq', 'not-eq']) assert.equal(project(cmp(op, ref('id'), 34), b()), 'true', op);
    assert.equal(project(set('not-in', ref('id'), [1, 2]), b()), 'true');
  });

  it('carries a bucket term of the same width over, and ignores another width', () => {
    assert.equal(project(cmp('eq', apply('bucket[16]', ref('id')), 3), b()), 'b eq 3');
    assert.equal(project(cmp('lt', apply('bucket[16]', ref('id')), 3), b()), 'b lt 3');
    assert.equal(project(cmp('eq', apply('bucket[8]', ref('id')), 3), b()), 'true');
  });
});

describe('projectInclusive: truncate', () => {
  const t = (): PartitionField => partitionField(3, 't', 'truncate[10]');

  it('rounds integer boundaries as Java does (lt v is lt-eq truncate(v - 1))', () => {
    const wrapped = `t gt ${2 ** 31 - 1 - 10}`;
    assert.equal(project(cmp('lt', ref('i'), 15), t()), `(t lt-eq 10 or ${wrapped})`);
    assert.equal(project(cmp('lt', ref('i'), 10), t()), `(t lt-eq 0 or ${wrapped})`);
    assert.equal(project(cmp('lt-eq', ref('i'), 15), t()), `(t lt-eq 10 or ${wrapped})`);
    assert.equal(project(cmp('gt', ref('i'), 19), t()), 't gt-eq 20');
    assert.equal(project(cmp('gt', ref('i'), 15), t()), 't gt-eq 10');
    assert.equal(project(cmp('gt-eq', ref('i'), 15), t()), 't gt-eq 10');
    assert.equal(project(cmp('eq', ref('i'), -5), t()), 't eq -10');
    assert.equal(project(set('in', ref('i'), [5, 15, 17]), t()), 't in [0, 10]');
    assert.equal(project(cmp('not-eq', ref('i'), 15), t()), 'true');
  });

  it('keeps rows within W of the minimum, whose partition value wrapped to near the maximum (Java drops them)', () => {
    assert.equal(project(cmp('lt-eq', ref('i'), -17), t()), `(t lt-eq -20 or t gt ${2 ** 31 - 1 - 10})`);
  });

  it('drops a boundary whose rounding wraps near the minimum (Java would prune every other partition)', () => {
    assert.equal(project(cmp('lt', ref('i'), -(2 ** 31)), t()), 'true');
    assert.equal(project(cmp('gt-eq', ref('i'), -(2 ** 31) + 1), t()), 'true');
    assert.equal(project(cmp('eq', ref('i'), -(2 ** 31)), t()), `t eq ${2 ** 31 - 2}`);
  });

  it('rounds long and decimal boundaries', () => {
    assert.equal(project(cmp('lt', ref('id'), 10), partitionField(1, 'tl', 'truncate[10]')), `(tl lt-eq 0n or tl gt ${2n ** 63n - 1n - 10n}n)`);
    assert.equal(project(cmp('lt', ref('dec'), '10.05'), partitionField(6, 'td', 'truncate[10]')), 'td lt-eq 1000e-2');
  });

  it('projects string order, prefixes and not-starts-with by the prefix length', () => {
    const s = (): PartitionField => partitionField(2, 's', 'truncate[3]');
    assert.equal(project(cmp('lt', ref('data'), 'abcd'), s()), 's lt-eq "abc"');
    assert.equal(project(cmp('gt', ref('data'), 'abcd'), s()), 's gt-eq "abc"');
    assert.equal(project(cmp('eq', ref('data'), 'abcd'), s()), 's eq "abc"');
    assert.equal(project(cmp('starts-with', ref('data'), 'ab'), s()), 's starts-with "ab"');
    assert.equal(project(cmp('starts-with', ref('data'), 'abcde'), s()), 's starts-with "abc"');
    assert.equal(project(cmp('not-starts-with', ref('data'), 'ab'), s()), 's not-starts-with "ab"');
    assert.equal(project(cmp('not-starts-with', ref('data'), 'abc'), s()), 's not-eq "abc"');
    assert.equal(project(cmp('not-starts-with', ref('data'), 'abcd'), s()), 'true');
    assert.equal(project(cmp('eq', ref('data'), '😀😀😀😀'), s()), 's eq "😀😀😀"');
  });
});

describe('projectInclusive: year, month, day, hour', () => {
  const d = (): PartitionField => partitionField(8, 'd', 'day');

  it('rounds timestamp boundaries to days', () => {
    const nov16 = day('2017-11-16');
    assert.equal(project(cmp('lt', ref('ts'), '2017-11-16T00:00:00'), d()), `d lt-eq ${nov16 - 1}`);
    assert.equal(project(cmp('lt-eq', ref('ts'), '2017-11-16T00:00:00'), d()), `d lt-eq ${nov16}`);
    assert.equal(project(cmp('gt', ref('ts'), '2017-11-16T23:59:59.999999'), d()), `d gt-eq ${nov16 + 1}`);
    assert.equal(project(cmp('gt-eq', ref('ts'), '2017-11-16T10:00:00'), d()), `d gt-eq ${nov16}`);
    assert.equal(project(cmp('eq', ref('ts'), '2017-11-16T10:00:00'), d()), `d eq ${nov16}`);
    assert.equal(project(cmp('not-eq', ref('ts'), '2017-11-16T10:00:00'), d()), 'true');
  });

  it('admits the unit above a negative one, for files of Iceberg <= 0.10 (pre-epoch fix-up)', () => {
    assert.equal(project(cmp('eq', ref('ts'), '1969-12-31T10:00:00'), d()), 'd in [-1, 0]');
    assert.equal(project(cmp('lt-eq', ref('ts'), '1969-12-31T10:00:00'), d()), 'd lt-eq 0');
    assert.equal(project(cmp('lt', ref('ts'), '1969-12-31T00:00:00'), d()), 'd lt-eq -1');
    assert.equal(project(cmp('gt-eq', ref('ts'), '1969-12-31T10:00:00'), d()), 'd gt-eq -1');
    assert.equal(project(set('in', ref('ts'), ['1969-12-30T10:00:00', '1970-01-02T00:00:00']), d()), 'd in [-2, 1, -1]');
    assert.equal(project(cmp('eq', ref('day'), '1969-12-15'), partitionField(7, 'm', 'month')), 'm in [-1, 0]');
    assert.equal(project(cmp('eq', ref('day'), '1969-12-15'), partitionField(7, 'y', 'year')), 'y in [-1, 0]');
  });

  it('applies no fix-up to day of a date, as Java', () => {
    assert.equal(project(cmp('eq', ref('day'), '1969-12-31'), partitionField(7, 'dd', 'day')), 'dd eq -1');
  });

  it('projects year, month and hour of timestamps', () => {
    assert.equal(project(cmp('eq', ref('ts'), '2017-11-16T10:00:00'), partitionField(8, 'y', 'year')), 'y eq 47');
    assert.equal(project(cmp('eq', ref('ts'), '2017-11-16T10:00:00'), partitionField(8, 'm', 'month')), `m eq ${47 * 12 + 10}`);
    assert.equal(project(cmp('eq', ref('ts'), '2017-11-16T10:00:00'), partitionField(8, 'h', 'hour')), `h eq ${day('2017-11-16') * 24 + 10}`);
    assert.equal(project(cmp('eq', ref('tsn'), '2017-11-16T10:00:00.000000001'), partitionField(20, 'hn', 'hour')), `hn eq ${day('2017-11-16') * 24 + 10}`);
  });
});

describe('projectInclusive: void, unknown and several fields', () => {
  it('projects nothing through void or an unknown transform', () => {
    assert.equal(project(cmp('eq', ref('i'), 5), partitionField(3, 'v', 'void')), 'true');
    assert.equal(project(unary('is-null', ref('i')), partitionField(3, 'v', 'void')), 'true');
    assert.equal(project(cmp('eq', ref('i'), 5), partitionField(3, 'z', 'zorder')), 'true');
  });

  it('ands the projections of every field derived from the column', () => {
    const fields = [partitionField(1, 'b', 'bucket[16]'), partitionField(1, 't', 'truncate[10]')];
    assert.equal(project(cmp('eq', ref('id'), 34), ...fields), `(b eq ${2017239379 % 16} and t eq 30n)`);
  });
});
