import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJson, stringifyJson, type JsonValue } from '../../json/lossless-json.js';
import { bindExpression, type BindOptions } from './bind-expression.js';
import type { BoundExpression } from './bound-expression.js';
import { parseExpression } from './parse-expression.js';
import { serializeBoundExpression, serializeExpression, type SerializeBoundOptions } from './serialize-expression.js';
import { aSchema, andOf, apply, cmp, idRef, lit, notOf, orOf, ref, set, unary } from './test-fixtures.js';

const bind = (json: JsonValue, options?: BindOptions): BoundExpression => bindExpression(parseExpression(json), aSchema(), options);
/** Through text, as on the wire: big integers must survive as bigint. */
const wire = (json: JsonValue): JsonValue => parseJson(stringifyJson(json));

const unboundFilters: readonly [string, JsonValue][] = [
  ['booleans', andOf(true, orOf(false, notOf({ type: 'true' })))],
  ['every unary', andOf(andOf(unary('is-null', ref('a')), unary('not-null', idRef(3))), andOf(unary('is-nan', ref('f')), unary('not-nan', ref('f'))))],
  ['comparisons both ways', andOf(cmp('lt', ref('a'), 1.5), cmp('gt-eq', 'x', ref('b')))],
  ['typed literals and big integers', orOf(cmp('eq', ref('a'), lit('1.50', 'decimal(9,2)')), cmp('not-eq', ref('b'), 2n ** 70n))],
  ['sets in both forms', andOf(set('in', ref('a'), [1, 'x', true]), set('not-in', ref('b'), { type: 'literals', values: [1, 2], 'data-type': 'long' }))],
  ['deprecated forms', andOf({ type: 'starts-with', term: 'a', value: 'p' }, { type: 'in', term: { type: 'transform', transform: 'day', term: 'ts' }, values: ['2024-01-01'] })],
  ['apply of every function name form', andOf(
    cmp('eq', apply('bucket', 16, ref('id')), 1),
    cmp('eq', apply({ catalog: 'c', identifier: ['ns', 'f'] }, apply(['ns', 'g'], ref('x')), unary('is-null', ref('y'))), true),
  )],
];

describe('serializeExpression: unbound round trips', () => {
  for (const [name, json] of unboundFilters) {
    it(`parses back to the same expression: ${name}`, () => {
      const parsed = parseExpression(json);
      const written = serializeExpression(parsed);
      assert.deepEqual(parseExpression(wire(written)), parsed);
    });
  }

  it('writes the preferred members, never the deprecated ones', () => {
    const written = stringifyJson(serializeExpression(parseExpression({ type: 'eq', term: { type: 'transform', transform: 'bucket[4]', term: 'id' }, value: 3 })));
    assert.equal(written, '{"type":"eq","left":{"type":"apply","function":"bucket[4]","arguments":[{"type":"reference","name":"id"}]},"right":3}');
    assert.equal(stringifyJson(serializeExpression(parseExpression({ type: 'true' }))), 'true');
  });
});

const boundFilters: readonly [string, JsonValue][] = [
  ['numbers', andOf(cmp('lt', ref('i'), 5), andOf(cmp('gt', ref('id'), 2n ** 62n), cmp('lt-eq', ref('f'), 0.1)))],
  ['double and boolean', orOf(cmp('gt-eq', ref('d'), -1e300), cmp('eq', ref('b'), false))],
  ['decimal', set('in', ref('dec'), ['-0.05', '12345.67', 3])],
  ['dates beyond year 9999 and before year 1', orOf(cmp('eq', ref('day'), 3_000_000), cmp('lt', ref('ts'), -(2n ** 62n)))],
  ['NaN-free infinities', cmp('lt', ref('d'), 'Infinity')],
  ['dates and times', andOf(cmp('eq', ref('day'), '0001-01-01'), andOf(cmp('lt', ref('t'), '23:59:59.999999'), cmp('gt', ref('ts'), '1969-12-31T23:59:59.000001')))],
  ['zoned and nanosecond timestamps', andOf(cmp('eq', ref('tstz'), '2007-12-03T12:15:30.123456Z'), cmp('not-eq', ref('tsn'), '2262-04-11T23:47:16.854775807'))],
  ['uuid, fixed, binary, string', andOf(
    andOf(cmp('eq', ref('u'), 'EB26BDB1-A1D8-4AA6-990E-DA940875492C'), cmp('eq', ref('fx'), '0aFF00')),
    andOf(set('not-in', ref('bin'), ['', '00']), cmp('not-starts-with', ref('data'), 'pré')),
  )],
  ['nested field and null checks', andOf(unary('not-null', ref('location.lat')), unary('is-nan', ref('location.Lon')))],
  ['transforms', andOf(cmp('eq', apply('bucket', 16, ref('id')), 3), andOf(cmp('gt', apply('day', ref('ts')), '2024-01-01'), cmp('eq', apply('truncate[2]', ref('data')), 'ab')))],
  ['constants', true],
];

describe('serializeBoundExpression: bound round trips', () => {
  const styles: readonly SerializeBoundOptions[] = [{}, { style: 'legacy' }, { references: 'id' }];
  for (const options of styles) {
    for (const [name, json] of boundFilters) {
      it(`binds back to the same expression (${options.style ?? 'current'}, ${options.references ?? 'name'}): ${name}`, () => {
        const bound = bind(json);
        const written = serializeBoundExpression(bound, options);
        assert.deepEqual(bind(wire(written)), bound);
      });
    }
  }

  it('writes the legacy form Java 1.10 clients parse', () => {
    const bound = bind(andOf(cmp('eq', apply('bucket[16]', ref('id')), 3), set('in', ref('data'), ['a', 'b'])));
    assert.deepEqual(serializeBoundExpression(bound, { style: 'legacy' }), {
      type: 'and',
      left: { type: 'eq', term: { type: 'transform', transform: 'bucket[16]', term: 'id' }, value: 3 },
      right: { type: 'in', term: 'data', values: ['a', 'b'] },
    });
  });

  it('writes the current form with the term on the left', () => {
    assert.deepEqual(serializeBoundExpression(bind(cmp('lt', 5, ref('i')))), { type: 'gt', left: { type: 'reference', name: 'i' }, right: 5 });
    assert.deepEqual(serializeBoundExpression(bind(unary('is-null', ref('i'))), { references: 'id' }), { type: 'is-null', child: { type: 'reference', id: 3 } });
  });
});
