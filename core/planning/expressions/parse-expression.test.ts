import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError } from '../../errors.js';
import { parseJson as parseJsonText, type JsonValue } from '../../json/lossless-json.js';
import {
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_NODES,
  MAX_FUNCTION_ARGUMENTS,
  MAX_SET_VALUES,
  MAX_STRING_LENGTH,
  parseExpression,
} from './parse-expression.js';
import { andOf, apply, assertBadRequest, cmp, idRef, lit, notOf, orOf, ref, set, unary } from './test-fixtures.js';

describe('parseExpression: accepted forms', () => {
  it('reads bare booleans and the deprecated true/false objects', () => {
    assert.deepEqual(parseExpression(true), { type: 'true' });
    assert.deepEqual(parseExpression(false), { type: 'false' });
    assert.deepEqual(parseExpression({ type: 'true' }), { type: 'true' });
    assert.deepEqual(parseExpression({ type: 'false' }), { type: 'false' });
  });

  it('reads and, or and not', () => {
    const parsed = parseExpression(andOf(true, orOf(false, notOf(true))));
    assert.deepEqual(parsed, {
      type: 'and',
      left: { type: 'true' },
      right: { type: 'or', left: { type: 'false' }, right: { type: 'not', child: { type: 'true' } } },
    });
  });

  for (const type of ['is-null', 'not-null', 'is-nan', 'not-nan']) {
    it(`reads ${type} with child and with the deprecated term`, () => {
      const expected = { type, child: { kind: 'reference', name: 'x' } };
      assert.deepEqual(parseExpression(unary(type, ref('x'))), expected);
      assert.deepEqual(parseExpression({ type, term: 'x' }), expected);
    });
  }

  for (const type of ['lt', 'lt-eq', 'gt', 'gt-eq', 'eq', 'not-eq', 'starts-with', 'not-starts-with']) {
    it(`reads ${type} with left/right and with the deprecated term/value`, () => {
      const expected = { type, left: { kind: 'reference', name: 'x' }, right: { kind: 'literal', value: 5 } };
      assert.deepEqual(parseExpression(cmp(type, ref('x'), 5)), expected);
      assert.deepEqual(parseExpression({ type, term: 'x', value: 5 }), expected);
    });
  }

  for (const type of ['in', 'not-in']) {
    it(`reads ${type} with child or term and both forms of values`, () => {
      const expected = { type, child: { kind: 'reference', name: 'x' }, values: [{ kind: 'literal', value: 1 }, { kind: 'literal', value: 2n ** 64n }] };
      assert.deepEqual(parseExpression(set(type, ref('x'), [1, 2n ** 64n])), expected);
      assert.deepEqual(parseExpression({ type, term: 'x', values: [1, lit(2n ** 64n)] }), expected);
      const typed = parseExpression(set(type, ref('x'), { type: 'literals', values: ['a', 'b'], 'data-type': 'string' }));
      assert.deepEqual(typed, {
        type,
        child: { kind: 'reference', name: 'x' },
        values: [{ kind: 'literal', value: 'a', dataType: 'string' }, { kind: 'literal', value: 'b', dataType: 'string' }],
      });
    });
  }

  it('reads an id reference', () => {
    assert.deepEqual(parseExpression(unary('is-null', idRef(7))), { type: 'is-null', child: { kind: 'id-reference', id: 7 } });
  });

  it('reads typed literal objects and canonicalises their data-type', () => {
    const parsed = parseExpression(cmp('eq', ref('x'), lit('1.50', 'DECIMAL(9,2)')));
    assert.deepEqual(parsed, { type: 'eq', left: { kind: 'reference', name: 'x' }, right: { kind: 'literal', value: '1.50', dataType: 'decimal(9, 2)' } });
  });

  it('keeps a literal on the left as sent', () => {
    const parsed = parseExpression(cmp('lt', 5, ref('x')));
    assert.deepEqual(parsed, { type: 'lt', left: { kind: 'literal', value: 5 }, right: { kind: 'reference', name: 'x' } });
  });

  it('reads the deprecated transform term as an apply of the transform', () => {
    const parsed = parseExpression({ type: 'eq', term: { type: 'transform', transform: 'bucket[16]', term: 'id' }, value: 3 });
    assert.deepEqual(parsed, {
      type: 'eq',
      left: { kind: 'apply', function: { name: 'bucket[16]' }, arguments: [{ kind: 'reference', name: 'id' }] },
      right: { kind: 'literal', value: 3 },
    });
  });

  it('reads apply with a name, an identifier and a catalog-qualified identifier', () => {
    const byName = parseExpression(cmp('eq', apply('bucket', 16, ref('id')), 1));
    assert.deepEqual(byName.type === 'eq' && byName.left, {
      kind: 'apply',
      function: { name: 'bucket' },
      arguments: [{ kind: 'literal', value: 16 }, { kind: 'reference', name: 'id' }],
    });
    const byIdentifier = parseExpression(cmp('eq', apply(['ns', 'f'], ref('id')), 1));
    assert.deepEqual(byIdentifier.type === 'eq' && byIdentifier.left, {
      kind: 'apply',
      function: { identifier: ['ns', 'f'], wrapped: false },
      arguments: [{ kind: 'reference', name: 'id' }],
    });
    const qualified = parseExpression(cmp('eq', apply({ catalog: 'c', identifier: ['ns', 'f'] }, unary('is-null', ref('x'))), true));
    assert.deepEqual(qualified.type === 'eq' && qualified.left, {
      kind: 'apply',
      function: { identifier: ['ns', 'f'], catalog: 'c', wrapped: true },
      arguments: [{ kind: 'predicate', predicate: { type: 'is-null', child: { kind: 'reference', name: 'x' } } }],
    });
  });
});

describe('parseExpression: malformed input is a BadRequestError naming the path', () => {
  it('refuses an unknown expression type deep in the tree', () => {
    assertBadRequest(() => parseExpression(andOf(true, andOf(true, { type: 'foo' }))), 'filter.right.right', 'unknown expression type "foo"');
  });

  it('uses the caller path', () => {
    assertBadRequest(() => parseExpression({ type: 'foo' }, { path: 'residual-filter' }), 'residual-filter', 'unknown expression type');
  });

  it('refuses wrong JSON types', () => {
    assertBadRequest(() => parseExpression(null), 'filter', 'expected an expression');
    assertBadRequest(() => parseExpression(5), 'filter', 'got a number');
    assertBadRequest(() => parseExpression('x'), 'filter', 'got a string');
    assertBadRequest(() => parseExpression([true]), 'filter', 'got an array');
    assertBadRequest(() => parseExpression({ type: 5 }), 'filter.type', 'expected a string');
    assertBadRequest(() => parseExpression({}), 'filter', 'missing "type"');
  });

  it('refuses missing members', () => {
    assertBadRequest(() => parseExpression({ type: 'and', left: true }), 'filter', 'missing "right"');
    assertBadRequest(() => parseExpression({ type: 'not' }), 'filter', 'missing "child"');
    assertBadRequest(() => parseExpression({ type: 'is-null' }), 'filter', 'missing "child"');
    assertBadRequest(() => parseExpression({ type: 'lt', left: ref('x') }), 'filter', 'missing "right"');
    assertBadRequest(() => parseExpression({ type: 'lt', term: 'x' }), 'filter', 'missing "value"');
    assertBadRequest(() => parseExpression({ type: 'in', child: ref('x') }), 'filter', 'missing "values"');
    assertBadRequest(() => parseExpression(unary('is-null', { type: 'reference' })), 'filter.child', 'missing "name"');
    assertBadRequest(() => parseExpression(cmp('eq', ref('x'), { type: 'literal' })), 'filter.right', 'missing "value"');
  });

  it('refuses unknown members', () => {
    assertBadRequest(() => parseExpression({ type: 'and', left: true, right: true, extra: 1 }), 'filter', 'unknown member "extra"');
    assertBadRequest(() => parseExpression(unary('is-null', { type: 'reference', name: 'x', id: 1 })), 'filter.child', 'either a name or an id');
    assertBadRequest(() => parseExpression(cmp('eq', ref('x'), { type: 'literal', value: 1, unit: 'ms' })), 'filter.right', 'unknown member "unit"');
  });

  it('refuses a __proto__ member as unknown, without touching prototypes', () => {
    const hostile = parseJsonText('{"type":"and","left":true,"right":true,"__proto__":{"polluted":1}}');
    assertBadRequest(() => parseExpression(hostile), 'filter', 'unknown member "__proto__"');
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('refuses mixing the current and deprecated members', () => {
    assertBadRequest(() => parseExpression({ type: 'is-null', child: ref('x'), term: 'x' }), 'filter', 'not both');
    assertBadRequest(() => parseExpression({ type: 'eq', left: ref('x'), value: 1 }), 'filter', 'not both');
  });

  it('refuses null, arrays and objects as literal values', () => {
    assertBadRequest(() => parseExpression(cmp('eq', ref('x'), null)), 'filter.right', 'must not be null');
    assertBadRequest(() => parseExpression(set('in', ref('x'), [1, [2]])), 'filter.values[1]', 'got an array');
    assertBadRequest(() => parseExpression({ type: 'eq', term: 'x', value: { a: 1 } }), 'filter.value', 'missing "type"');
  });

  it('refuses unknown value expression and term types', () => {
    assertBadRequest(() => parseExpression(cmp('eq', { type: 'column', name: 'x' }, 1)), 'filter.left', 'unknown value expression type "column"');
    assertBadRequest(() => parseExpression({ type: 'eq', term: { type: 'bogus' }, value: 1 }), 'filter.term', 'unknown term type "bogus"');
    assertBadRequest(() => parseExpression({ type: 'eq', term: 5, value: 1 }), 'filter.term', 'expected a term');
  });

  it('refuses a bad data-type', () => {
    assertBadRequest(() => parseExpression(cmp('eq', ref('x'), lit(1, 'integer'))), 'filter.right.data-type', 'unknown type');
    assertBadRequest(() => parseExpression(set('in', ref('x'), { type: 'literals', values: [1] })), 'filter.values', 'missing "data-type"');
  });

  it('refuses bad references and function names', () => {
    assertBadRequest(() => parseExpression(unary('is-null', idRef(1.5))), 'filter.child.id', 'integer field id');
    assertBadRequest(() => parseExpression(unary('is-null', ref(''))), 'filter.child.name', 'must not be empty');
    assertBadRequest(() => parseExpression(cmp('eq', apply('', ref('x')), 1)), 'filter.left.function', 'must not be empty');
    assertBadRequest(() => parseExpression(cmp('eq', apply([], ref('x')), 1)), 'filter.left.function', 'identifier must not be empty');
    assertBadRequest(() => parseExpression(cmp('eq', apply(['a', 1], ref('x')), 1)), 'filter.left.function[1]', 'expected a string');
    assertBadRequest(() => parseExpression(cmp('eq', { type: 'apply', function: 'f', arguments: 1 }, 1)), 'filter.left.arguments', 'expected an array');
  });

  it('refuses non-finite numbers', () => {
    assertBadRequest(() => parseExpression(cmp('eq', ref('x'), Number.POSITIVE_INFINITY)), 'filter.right', 'finite');
  });
});

describe('parseExpression: hostile sizes are bounded', () => {
  const assertTooLarge = (action: () => unknown, fragment: string): void => {
    assert.throws(action, (error: unknown) => error instanceof BadRequestError && error.message.startsWith('filter.') && error.message.includes(fragment));
  };

  const nested = (levels: number): JsonValue => {
    let expression: JsonValue = true;
    for (let level = 0; level < levels; level += 1) expression = notOf(expression);
    return expression;
  };

  it(`accepts ${MAX_EXPRESSION_DEPTH} levels and refuses one more`, () => {
    assert.doesNotThrow(() => parseExpression(nested(MAX_EXPRESSION_DEPTH - 1)));
    assertBadRequest(() => parseExpression(nested(MAX_EXPRESSION_DEPTH)), `filter${'.child'.repeat(MAX_EXPRESSION_DEPTH)}`, 'nested deeper');
  });

  it('refuses deep nesting through function arguments', () => {
    let value: JsonValue = ref('x');
    for (let level = 0; level < MAX_EXPRESSION_DEPTH; level += 1) value = apply('f', value);
    assertBadRequest(() => parseExpression(unary('is-null', value)), `filter.child${'.arguments[0]'.repeat(MAX_EXPRESSION_DEPTH - 1)}`, 'nested deeper');
  });

  it('refuses a million nested levels without overflowing the stack', () => {
    assertBadRequest(() => parseExpression(nested(1_000_000)), `filter${'.child'.repeat(MAX_EXPRESSION_DEPTH)}`, 'nested deeper');
  });

  it(`refuses more than ${MAX_EXPRESSION_NODES} nodes`, () => {
    // A balanced tree stays shallow and grows wide.
    const balanced = (levels: number): JsonValue => (levels === 0 ? unary('is-null', ref('x')) : orOf(balanced(levels - 1), balanced(levels - 1)));
    assertTooLarge(() => parseExpression(balanced(15)), `more than ${MAX_EXPRESSION_NODES} nodes`);
  });

  it('counts set members as nodes', () => {
    const members = Array.from({ length: MAX_SET_VALUES }, (_unused, index) => index);
    assert.equal(parseExpression(set('in', ref('x'), members)).type, 'in');
    const many = set('in', ref('x'), members);
    assertTooLarge(() => parseExpression(andOf(andOf(many, many), andOf(andOf(many, many), many))), 'nodes');
  });

  it(`refuses sets over ${MAX_SET_VALUES} values`, () => {
    const members = Array.from({ length: MAX_SET_VALUES + 1 }, (_unused, index) => index);
    assertBadRequest(() => parseExpression(set('in', ref('x'), members)), 'filter.values', `more than ${MAX_SET_VALUES} values`);
  });

  it(`refuses strings over ${MAX_STRING_LENGTH} characters`, () => {
    const long = 'a'.repeat(MAX_STRING_LENGTH + 1);
    assertBadRequest(() => parseExpression(cmp('eq', ref(long), 1)), 'filter.left.name', 'longer than');
    assertBadRequest(() => parseExpression(cmp('starts-with', ref('x'), long)), 'filter.right', 'longer than');
    assertBadRequest(() => parseExpression({ type: long }), 'filter.type', 'longer than');
  });

  it('cuts long client text short in messages', () => {
    assert.throws(() => parseExpression({ type: 'x'.repeat(10_000) }), (error: Error) => error.message.length < 200);
  });

  it(`refuses more than ${MAX_FUNCTION_ARGUMENTS} function arguments`, () => {
    const args = Array.from({ length: MAX_FUNCTION_ARGUMENTS + 1 }, () => ref('x'));
    assertBadRequest(() => parseExpression(cmp('eq', apply('f', ...args), 1)), 'filter.left.arguments', 'more than');
  });
});
