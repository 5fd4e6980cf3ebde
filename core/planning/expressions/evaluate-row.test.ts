import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../json/lossless-json.js';
import type { Value } from '../values/value.js';
import { bindExpression } from './bind-expression.js';
import type { BoundExpression, BoundTerm } from './bound-expression.js';
import { evaluateRow, recordReader } from './evaluate-row.js';
import { parseExpression } from './parse-expression.js';
import { aSchema, andOf, apply, cmp, notOf, orOf, ref, set, unary } from './test-fixtures.js';

const bind = (json: JsonValue): BoundExpression => bindExpression(parseExpression(json), aSchema());

/** A row by column name; transform terms read `<transform>(<column>)` keys, as a partition tuple would. */
const row = (values: Record<string, Value | null>) => (term: BoundTerm): Value | null => {
  const key = term.kind === 'reference' ? term.name : `${term.transform.kind}(${term.reference.name})`;
  return Object.hasOwn(values, key) ? (values[key] ?? null) : null;
};

const matches = (json: JsonValue, values: Record<string, Value | null>): boolean => evaluateRow(bind(json), row(values));

describe('evaluateRow', () => {
  it('compares with every operator', () => {
    const values = { i: 5 };
    assert.equal(matches(cmp('lt', ref('i'), 6), values), true);
    assert.equal(matches(cmp('lt', ref('i'), 5), values), false);
    assert.equal(matches(cmp('lt-eq', ref('i'), 5), values), true);
    assert.equal(matches(cmp('gt', ref('i'), 5), values), false);
    assert.equal(matches(cmp('gt-eq', ref('i'), 5), values), true);
    assert.equal(matches(cmp('eq', ref('i'), 5), values), true);
    assert.equal(matches(cmp('not-eq', ref('i'), 5), values), false);
  });

  it('compares longs, decimals, strings by code point and bytes unsigned', () => {
    assert.equal(matches(cmp('gt', ref('id'), 2n ** 62n), { id: 2n ** 62n + 1n }), true);
    assert.equal(matches(cmp('eq', ref('dec'), '1.50'), { dec: { unscaled: 150n, scale: 2 } }), true);
    assert.equal(matches(cmp('lt', ref('data'), '\u{10000}'), { data: '\uffff' }), true);
    assert.equal(matches(cmp('gt', ref('bin'), '7F'), { bin: new Uint8Array([0x80]) }), true);
  });

  it('tests set membership and prefixes', () => {
    assert.equal(matches(set('in', ref('data'), ['a', 'b']), { data: 'b' }), true);
    assert.equal(matches(set('not-in', ref('data'), ['a', 'b']), { data: 'c' }), true);
    assert.equal(matches(cmp('starts-with', ref('data'), 'ab'), { data: 'abc' }), true);
    assert.equal(matches(cmp('not-starts-with', ref('data'), 'ab'), { data: 'abc' }), false);
  });

  it('tests nulls and NaN', () => {
    assert.equal(matches(unary('is-null', ref('data')), { data: null }), true);
    assert.equal(matches(unary('not-null', ref('data')), { data: 'x' }), true);
    assert.equal(matches(unary('is-nan', ref('d')), { d: Number.NaN }), true);
    assert.equal(matches(unary('not-nan', ref('d')), { d: 1 }), true);
  });

  it('fails positive predicates on null and passes their negations', () => {
    for (const type of ['lt', 'lt-eq', 'gt', 'gt-eq', 'eq']) assert.equal(matches(cmp(type, ref('i'), 1), { i: null }), false, type);
    assert.equal(matches(set('in', ref('i'), [1, 2]), { i: null }), false);
    assert.equal(matches(cmp('starts-with', ref('data'), 'a'), { data: null }), false);
    assert.equal(matches(unary('is-nan', ref('d')), { d: null }), false);
    assert.equal(matches(cmp('not-eq', ref('i'), 1), { i: null }), true);
    assert.equal(matches(set('not-in', ref('i'), [1, 2]), { i: null }), true);
    assert.equal(matches(cmp('not-starts-with', ref('data'), 'a'), { data: null }), true);
    assert.equal(matches(unary('not-nan', ref('d')), { d: null }), true);
  });

  it('is the complement of the expression under not', () => {
    const expression = andOf(cmp('eq', ref('i'), 1), orOf(cmp('starts-with', ref('data'), 'a'), unary('is-null', ref('d'))));
    const rows: Record<string, Value | null>[] = [{ i: 1, data: 'ab', d: 1 }, { i: 1, data: 'b', d: 1 }, { i: 2, data: 'a', d: null }, { i: 1, data: 'b', d: null }];
    for (const values of rows) assert.equal(matches(notOf(expression), values), !matches(expression, values));
  });

  it('orders NaN above infinity and -0 below 0, as Iceberg does', () => {
    assert.equal(matches(cmp('gt', ref('d'), 1e308), { d: Number.NaN }), true);
    assert.equal(matches(cmp('lt', ref('d'), 0), { d: -0 }), true);
  });

  it('reads transform terms through the caller', () => {
    assert.equal(matches(cmp('eq', apply('bucket[16]', ref('id')), 3), { 'bucket(id)': 3 }), true);
    assert.equal(matches(cmp('eq', apply('bucket[16]', ref('id')), 3), { 'bucket(id)': 4 }), false);
  });

  it('evaluates constants', () => {
    assert.equal(matches(true, {}), true);
    assert.equal(matches(notOf(true), {}), false);
  });

  it('applies transform terms to a record through recordReader', () => {
    // Spec Appendix B: the hash of long 34 is 2017239379, so bucket[16] is 3.
    const record = recordReader((fieldId) => (fieldId === 1 ? 34n : fieldId === 8 ? 86_400_000_000n + 5n : null));
    assert.equal(evaluateRow(bind(cmp('eq', apply('bucket[16]', ref('id')), 3)), record), true);
    assert.equal(evaluateRow(bind(cmp('eq', apply('day', ref('ts')), '1970-01-02')), record), true);
    assert.equal(evaluateRow(bind(unary('is-null', apply('day', ref('tstz')))), record), true);
    assert.equal(evaluateRow(bind(cmp('eq', ref('id'), 34)), record), true);
  });
});
