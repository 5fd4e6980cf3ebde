import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../json/lossless-json.js';
import { bindExpression, type BindOptions } from './bind-expression.js';
import type { BoundExpression } from './bound-expression.js';
import { parseExpression } from './parse-expression.js';
import { aSchema, andOf, apply, assertBadRequest, cmp, field, idRef, lit, notOf, orOf, ref, set, unary } from './test-fixtures.js';

const bind = (json: JsonValue, options?: BindOptions): BoundExpression => bindExpression(parseExpression(json), aSchema(), options);

const idRefBound = { kind: 'reference', fieldId: 1, name: 'id', type: 'long', required: true } as const;
const dataRef = { kind: 'reference', fieldId: 2, name: 'data', type: 'string', required: false } as const;
const intRef = { kind: 'reference', fieldId: 3, name: 'i', type: 'int', required: false } as const;

describe('bindExpression: references', () => {
  it('resolves a name to its field id and type', () => {
    assert.deepEqual(bind(cmp('eq', ref('id'), 5)), { type: 'eq', term: idRefBound, literal: 5n });
  });

  it('resolves an id reference', () => {
    assert.deepEqual(bind(cmp('eq', idRef(1), 5)), { type: 'eq', term: idRefBound, literal: 5n });
  });

  it('resolves a dotted name into a struct', () => {
    const bound = bind(cmp('gt', ref('location.lat'), 1.5));
    assert.deepEqual(bound, { type: 'gt', term: { kind: 'reference', fieldId: 15, name: 'location.lat', type: 'double', required: true }, literal: 1.5 });
  });

  it('refuses an unknown name and an unknown id', () => {
    assertBadRequest(() => bind(andOf(true, unary('is-null', ref('nope')))), 'filter.right.child', 'cannot find field "nope"');
    assertBadRequest(() => bind(unary('is-null', idRef(999))), 'filter.child', 'cannot find field id 999');
  });

  it('is case-sensitive by default', () => {
    assertBadRequest(() => bind(unary('is-null', ref('ID'))), 'filter.child', 'cannot find field "ID"');
    assertBadRequest(() => bind(unary('is-null', ref('location.lon'))), 'filter.child', 'cannot find field');
  });

  it('matches names ignoring case when case-sensitive is false', () => {
    assert.deepEqual(bind(cmp('eq', ref('ID'), 5), { caseSensitive: false }), { type: 'eq', term: idRefBound, literal: 5n });
    const nested = bind(unary('is-null', ref('LOCATION.lon')), { caseSensitive: false });
    assert.equal(nested.type === 'is-null' && nested.term.kind === 'reference' && nested.term.name, 'location.Lon');
  });

  it('refuses a name that matches two fields ignoring case', () => {
    const schema = { fields: [field(1, 'Data', 'string'), field(2, 'DATA', 'string')] };
    const expression = parseExpression(unary('is-null', ref('data')));
    assertBadRequest(() => bindExpression(expression, schema, { caseSensitive: false }), 'filter.child', 'ambiguous ignoring case');
    assert.equal(bindExpression(parseExpression(unary('is-null', ref('Data'))), schema).type, 'is-null');
  });

  it('refuses a field inside a list', () => {
    assertBadRequest(() => bind(cmp('eq', ref('tags.element'), 'a')), 'filter.left', 'inside a list or a map');
  });

  it('binds against a plain struct type', () => {
    const partitionType = { type: 'struct', fields: [field(1000, 'id_bucket', 'int', true)] } as const;
    const bound = bindExpression(parseExpression(cmp('eq', ref('id_bucket'), 3)), partitionType);
    assert.deepEqual(bound, { type: 'eq', term: { kind: 'reference', fieldId: 1000, name: 'id_bucket', type: 'int', required: true }, literal: 3 });
  });
});

describe('bindExpression: predicates fit their types', () => {
  it('allows is-nan / not-nan only on float and double', () => {
    assert.equal(bind(unary('is-nan', ref('f'))).type, 'is-nan');
    assert.equal(bind(unary('not-nan', ref('d'))).type, 'not-nan');
    assertBadRequest(() => bind(unary('is-nan', ref('i'))), 'filter', 'only to float and double');
  });

  it('allows starts-with only on strings', () => {
    assert.deepEqual(bind(cmp('starts-with', ref('data'), 'ab')), { type: 'starts-with', term: dataRef, literal: 'ab' });
    assertBadRequest(() => bind(cmp('starts-with', ref('i'), 1)), 'filter', 'only to string values');
    assertBadRequest(() => bind(cmp('not-starts-with', ref('bin'), 'AB')), 'filter', 'only to string values');
  });

  it('refuses comparisons on nested and unordered types', () => {
    assertBadRequest(() => bind(cmp('eq', ref('location'), 1)), 'filter', 'does not apply to struct');
    assertBadRequest(() => bind(cmp('lt', ref('v'), 1)), 'filter', 'does not apply to variant');
    assertBadRequest(() => bind(set('in', ref('tags'), [1, 2])), 'filter', 'does not apply to list');
  });

  it('allows null checks on any type', () => {
    assert.equal(bind(unary('is-null', ref('location'))).type, 'is-null');
    assert.equal(bind(unary('not-null', ref('v'))).type, 'not-null');
  });

  it('folds null checks on a field that is never null', () => {
    assert.deepEqual(bind(unary('is-null', ref('id'))), { type: 'false' });
    assert.deepEqual(bind(unary('not-null', ref('req'))), { type: 'true' });
  });

  it('does not fold a required field inside an optional struct', () => {
    assert.equal(bind(unary('is-null', ref('location.lat'))).type, 'is-null');
  });

  it('refuses a literal where a column is expected', () => {
    assertBadRequest(() => bind(unary('is-null', 5)), 'filter.child', 'got a literal');
    assertBadRequest(() => bind(set('in', 5, [1])), 'filter.child', 'got a literal');
  });

  it('refuses comparing two columns or two literals', () => {
    assertBadRequest(() => bind(cmp('eq', ref('i'), ref('id'))), 'filter', 'two columns');
    assertBadRequest(() => bind(cmp('eq', 1, 2)), 'filter', 'two literals');
  });

  it('flips a comparison with the literal on the left', () => {
    assert.deepEqual(bind(cmp('lt', 5, ref('i'))), { type: 'gt', term: intRef, literal: 5 });
    assert.deepEqual(bind(cmp('gt-eq', 5, ref('i'))), { type: 'lt-eq', term: intRef, literal: 5 });
    assert.deepEqual(bind(cmp('not-eq', 5, ref('i'))), { type: 'not-eq', term: intRef, literal: 5 });
    assertBadRequest(() => bind(cmp('starts-with', 'ab', ref('data'))), 'filter', 'column on the left');
  });

  it('names the literal in a conversion error', () => {
    assertBadRequest(() => bind(cmp('eq', ref('i'), 'abc')), 'filter.right', 'Cannot parse "abc" as a int value');
    assertBadRequest(() => bind(cmp('eq', 'abc', ref('i'))), 'filter.left', 'Cannot parse');
    assertBadRequest(() => bind(set('in', ref('i'), [1, 'x'])), 'filter.values[1]', 'Cannot parse');
  });
});

describe('bindExpression: out-of-range literals fold as Java aboveMax / belowMin', () => {
  const huge = 2 ** 31;
  const cases: readonly [string, number, string][] = [
    ['lt', huge, 'true'], ['lt-eq', huge, 'true'], ['gt', huge, 'false'], ['gt-eq', huge, 'false'], ['eq', huge, 'false'], ['not-eq', huge, 'true'],
    ['lt', -huge - 1, 'false'], ['lt-eq', -huge - 1, 'false'], ['gt', -huge - 1, 'true'], ['gt-eq', -huge - 1, 'true'], ['eq', -huge - 1, 'false'], ['not-eq', -huge - 1, 'true'],
  ];
  for (const [type, value, expected] of cases) {
    it(`int ${type} ${value} is ${expected}`, () => {
      assert.deepEqual(bind(cmp(type, ref('i'), value)), { type: expected });
    });
  }

  it('keeps the int boundaries themselves', () => {
    assert.deepEqual(bind(cmp('lt', ref('i'), huge - 1)), { type: 'lt', term: intRef, literal: huge - 1 });
    assert.deepEqual(bind(cmp('gt', ref('i'), -huge)), { type: 'gt', term: intRef, literal: -huge });
  });

  it('folds a long literal beyond 64 bits', () => {
    assert.deepEqual(bind(cmp('lt', ref('id'), 2n ** 63n)), { type: 'true' });
    assert.deepEqual(bind(cmp('eq', ref('id'), -(2n ** 63n) - 1n)), { type: 'false' });
  });

  it('folds after not is pushed down', () => {
    assert.deepEqual(bind(notOf(cmp('lt', ref('i'), huge))), { type: 'false' });
  });

  it('drops out-of-range members of a set', () => {
    assert.deepEqual(bind(set('in', ref('i'), [1, huge, 2])), { type: 'in', term: intRef, literals: [1, 2] });
    assert.deepEqual(bind(set('in', ref('i'), [huge])), { type: 'false' });
    assert.deepEqual(bind(set('not-in', ref('i'), [huge])), { type: 'true' });
  });
});

describe('bindExpression: sets', () => {
  it('collapses duplicates and a single member to eq / not-eq', () => {
    assert.deepEqual(bind(set('in', ref('i'), [1, 1])), { type: 'eq', term: intRef, literal: 1 });
    assert.deepEqual(bind(set('not-in', ref('i'), [1])), { type: 'not-eq', term: intRef, literal: 1 });
    assert.deepEqual(bind(set('in', ref('id'), [1, 2, 1])), { type: 'in', term: idRefBound, literals: [1n, 2n] });
  });

  it('is false for an empty in and true for an empty not-in', () => {
    assert.deepEqual(bind(set('in', ref('i'), [])), { type: 'false' });
    assert.deepEqual(bind(set('not-in', ref('i'), [])), { type: 'true' });
  });
});

describe('bindExpression: simplification', () => {
  it('pushes not down with De Morgan', () => {
    const bound = bind(notOf(andOf(cmp('lt', ref('i'), 1), orOf(unary('is-null', ref('data')), set('in', ref('i'), [1, 2])))));
    assert.deepEqual(bound, {
      type: 'or',
      left: { type: 'gt-eq', term: intRef, literal: 1 },
      right: { type: 'and', left: { type: 'not-null', term: dataRef }, right: { type: 'not-in', term: intRef, literals: [1, 2] } },
    });
  });

  it('negates every predicate', () => {
    const pairs: readonly [string, string][] = [
      ['lt', 'gt-eq'], ['lt-eq', 'gt'], ['gt', 'lt-eq'], ['gt-eq', 'lt'], ['eq', 'not-eq'], ['not-eq', 'eq'],
      ['starts-with', 'not-starts-with'], ['not-starts-with', 'starts-with'],
    ];
    for (const [type, negated] of pairs) {
      const literal = type.includes('starts') ? 'a' : 1;
      const column = type.includes('starts') ? 'data' : 'i';
      assert.equal(bind(notOf(cmp(type, ref(column), literal))).type, negated);
    }
    assert.equal(bind(notOf(unary('is-nan', ref('f')))).type, 'not-nan');
    assert.equal(bind(notOf(unary('not-null', ref('data')))).type, 'is-null');
    assert.equal(bind(notOf(notOf(unary('is-null', ref('data'))))).type, 'is-null');
  });

  it('folds true and false', () => {
    assert.deepEqual(bind(andOf(true, cmp('eq', ref('i'), 1))), { type: 'eq', term: intRef, literal: 1 });
    assert.deepEqual(bind(andOf(false, cmp('eq', ref('i'), 1))), { type: 'false' });
    assert.deepEqual(bind(orOf(cmp('eq', ref('i'), 1), { type: 'true' })), { type: 'true' });
    assert.deepEqual(bind(orOf(false, cmp('eq', ref('i'), 1))), { type: 'eq', term: intRef, literal: 1 });
    assert.deepEqual(bind(notOf(true)), { type: 'false' });
    assert.deepEqual(bind(notOf(orOf(false, unary('is-null', ref('id'))))), { type: 'true' });
  });

  it('still type-checks a branch that folds away', () => {
    assertBadRequest(() => bind(orOf(true, cmp('eq', ref('nope'), 1))), 'filter.right.left', 'cannot find field');
  });
});

describe('bindExpression: transforms', () => {
  const idBucket = { kind: 'transform', transform: { kind: 'bucket', count: 16 }, reference: idRefBound, type: 'int' } as const;

  it('binds bucket as bucket[N](col), bucket(N, col) and the deprecated transform term', () => {
    const expected = { type: 'eq', term: idBucket, literal: 3 };
    assert.deepEqual(bind(cmp('eq', apply('bucket[16]', ref('id')), 3)), expected);
    assert.deepEqual(bind(cmp('eq', apply('bucket', 16, ref('id')), 3)), expected);
    assert.deepEqual(bind({ type: 'eq', term: { type: 'transform', transform: 'bucket[16]', term: 'id' }, value: 3 }), expected);
  });

  it('converts literals to the transform result type', () => {
    const day = bind(cmp('eq', apply('day', ref('ts')), '2024-01-02'));
    assert.equal(day.type === 'eq' && day.literal, 19_724);
    const truncated = bind(cmp('eq', apply('truncate', 4, ref('data')), 'abcd'));
    assert.equal(truncated.type === 'eq' && truncated.term.type, 'string');
    const year = bind(cmp('gt', apply('year', ref('day')), 54));
    assert.equal(year.type === 'gt' && year.term.type, 'int');
  });

  it('binds identity as the plain reference', () => {
    assert.deepEqual(bind(cmp('eq', apply('identity', ref('i')), 1)), { type: 'eq', term: intRef, literal: 1 });
  });

  it('refuses a transform its source type does not support', () => {
    assertBadRequest(() => bind(cmp('eq', apply('hour', ref('day')), 1)), 'filter.left', 'cannot be applied to day of type date');
    assertBadRequest(() => bind(cmp('eq', apply('truncate[2]', ref('f')), 1)), 'filter.left', 'cannot be applied');
  });

  it('refuses unknown functions, UDFs and bad arguments', () => {
    assertBadRequest(() => bind(cmp('eq', apply('lower', ref('data')), 'a')), 'filter.left.function', 'unsupported function "lower"');
    assertBadRequest(() => bind(cmp('eq', apply(['ns', 'f'], ref('data')), 'a')), 'filter.left.function', 'only partition transforms');
    assertBadRequest(() => bind(cmp('eq', apply('bucket[0]', ref('id')), 1)), 'filter.left.function', 'must be > 0');
    assertBadRequest(() => bind(cmp('eq', apply('bucket', 'x', ref('id')), 1)), 'filter.left.arguments[0]', 'positive integer literal');
    assertBadRequest(() => bind(cmp('eq', apply('truncate', -4, ref('data')), 'a')), 'filter.left.arguments[0]', 'positive integer literal');
    assertBadRequest(() => bind(cmp('eq', apply('day', 5), 1)), 'filter.left.arguments[0]', 'expected a column reference');
    assertBadRequest(() => bind(cmp('eq', apply('day', ref('ts'), ref('ts')), 1)), 'filter.left.arguments', 'takes one argument');
    assertBadRequest(() => bind(cmp('eq', apply('void', ref('ts')), 1)), 'filter.left.function', 'unsupported function');
  });

  it('refuses is-nan on a transform with a non-float result', () => {
    assertBadRequest(() => bind(unary('is-nan', apply('bucket[2]', ref('id')))), 'filter', 'only to float and double');
  });

  it('folds null checks on a transform of a never-null column', () => {
    assert.deepEqual(bind(unary('is-null', apply('bucket[2]', ref('id')))), { type: 'false' });
  });
});

describe('bindExpression: typed literals', () => {
  it('uses data-type to read the value and widens it to the column type', () => {
    assert.deepEqual(bind(cmp('eq', ref('id'), lit(5, 'int'))), { type: 'eq', term: idRefBound, literal: 5n });
    const ts = bind(cmp('gt', ref('ts'), lit('2024-01-02', 'date')));
    assert.equal(ts.type === 'gt' && ts.literal, 19_724n * 86_400_000_000n);
  });

  it('refuses a data-type that does not convert to the column type', () => {
    assertBadRequest(() => bind(cmp('eq', ref('i'), lit('a', 'string'))), 'filter.right', 'a string literal cannot be compared with a int value');
    assertBadRequest(() => bind(set('in', ref('data'), { type: 'literals', values: [1], 'data-type': 'int' })), 'filter.values[0]', 'cannot be compared');
  });
});
