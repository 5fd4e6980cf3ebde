/**
 * Property test: random and near-miss filter JSON (every other seed a well-formed filter with
 * random names, literals and the odd mutation, so binding is reached too). Parsing and binding either succeed or throw a
 * BadRequestError whose message starts with the filter's path; nothing else escapes (a TypeError
 * here would be a 500). Each case is generated from a seed, so a failure names the seed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BadRequestError } from '../../errors.js';
import { stringifyJson, type JsonValue } from '../../json/lossless-json.js';
import { seededRandom } from '../../metadata/test-fixtures.js';
import { bindExpression } from './bind-expression.js';
import { evaluateRow, recordReader } from './evaluate-row.js';
import { parseExpression } from './parse-expression.js';
import { serializeBoundExpression } from './serialize-expression.js';
import { aSchema } from './test-fixtures.js';

const CASES = 3_000;

type Random = () => number;

function pick<T>(next: Random, items: readonly T[]): T {
  const item = items[Math.floor(next() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

const TYPES = [
  'true', 'false', 'and', 'or', 'not', 'is-null', 'not-null', 'is-nan', 'not-nan', 'lt', 'lt-eq', 'gt', 'gt-eq', 'eq', 'not-eq',
  'starts-with', 'not-starts-with', 'in', 'not-in', 'literal', 'literals', 'reference', 'apply', 'transform', 'bogus', '',
];
const MEMBERS = ['type', 'left', 'right', 'child', 'term', 'value', 'values', 'name', 'id', 'function', 'arguments', 'transform', 'data-type', 'catalog', 'identifier', '__proto__'];
const NAMES = ['id', 'data', 'i', 'f', 'd', 'dec', 'day', 'ts', 'tstz', 'u', 'fx', 'bin', 'b', 'location', 'location.lat', 'tags', 'tags.element', 't', 'tsn', 'v', 'req', 'ID', 'nope', ''];
const SCALARS: readonly JsonValue[] = [
  null, true, false, 0, -1, 1.5, 2 ** 31, 2n ** 63n, -(2n ** 64n), 1e308, '', 'a', 'NaN', 'Infinity', '1.50', '2024-02-29', '2024-02-30',
  '1970-01-01T00:00:00', '1970-01-01T00:00:00+00:00', 'eb26bdb1-a1d8-4aa6-990e-da940875492c', '0AFF', 'bucket[16]', 'bucket[0]', 'day',
  'truncate[2]', 'identity', 'decimal(9, 2)', 'date', 'long', 'variant', 'int',
];

function randomJson(next: Random, depth: number): JsonValue {
  const roll = next();
  if (depth > 5 || roll < 0.3) return pick(next, [...SCALARS, ...NAMES]);
  if (roll < 0.4) return Array.from({ length: Math.floor(next() * 4) }, () => randomJson(next, depth + 1));
  const object: Record<string, JsonValue> = {};
  if (next() < 0.9) object['type'] = pick(next, TYPES);
  const members = Math.floor(next() * 4);
  for (let index = 0; index < members; index += 1) {
    const member = pick(next, MEMBERS);
    const value = member === 'name' || member === 'term' ? pick(next, NAMES) : randomJson(next, depth + 1);
    Object.defineProperty(object, member, { value, enumerable: true, writable: true, configurable: true });
  }
  return object;
}

const PREDICATES = ['is-null', 'not-null', 'is-nan', 'not-nan', 'lt', 'lt-eq', 'gt', 'gt-eq', 'eq', 'not-eq', 'starts-with', 'not-starts-with', 'in', 'not-in'];

function term(next: Random): JsonValue {
  const roll = next();
  if (roll < 0.5) return { type: 'reference', name: pick(next, NAMES) };
  if (roll < 0.6) return { type: 'reference', id: Math.floor(next() * 25) };
  const fn = pick(next, ['bucket[16]', 'day', 'hour', 'truncate[2]', 'identity', 'bucket', 'truncate', 'lower', 'void']);
  const args: JsonValue[] = fn === 'bucket' || fn === 'truncate' ? [pick(next, [4, 0, 'x']), term(next)] : [term(next)];
  return { type: 'apply', function: fn, arguments: args };
}

/** A filter that is well formed but for the odd mutation: it reaches binding most of the time. */
function nearMiss(next: Random, depth: number): JsonValue {
  const roll = next();
  let node: Record<string, JsonValue>;
  if (depth < 3 && roll < 0.3) node = { type: pick(next, ['and', 'or']), left: nearMiss(next, depth + 1), right: nearMiss(next, depth + 1) };
  else if (depth < 3 && roll < 0.4) node = { type: 'not', child: nearMiss(next, depth + 1) };
  else {
    const type = pick(next, PREDICATES);
    const literal = pick(next, SCALARS);
    if (type.includes('null') || type.includes('nan')) node = { type, child: term(next) };
    else if (type.endsWith('in')) node = { type, child: term(next), values: Array.from({ length: Math.floor(next() * 3) }, () => pick(next, SCALARS)) };
    else node = next() < 0.2 ? { type, left: literal, right: term(next) } : { type, left: term(next), right: literal };
  }
  if (next() < 0.1) {
    const member = pick(next, MEMBERS);
    Object.defineProperty(node, member, { value: randomJson(next, 4), enumerable: true, writable: true, configurable: true });
  }
  return node;
}

test(`random filter JSON only ever fails as a BadRequestError (${CASES} seeds)`, () => {
  const schema = aSchema();
  let bound = 0;
  for (let seed = 1; seed <= CASES; seed += 1) {
    const next = seededRandom(seed);
    const json = seed % 2 === 0 ? randomJson(next, 0) : nearMiss(next, 0);
    const caseSensitive = next() < 0.5;
    try {
      const expression = bindExpression(parseExpression(json), schema, { caseSensitive });
      bound += 1;
      // What binds must also serialize and evaluate without throwing.
      serializeBoundExpression(expression);
      serializeBoundExpression(expression, { style: 'legacy' });
      evaluateRow(expression, recordReader(() => null));
    } catch (error) {
      const context = `seed ${seed}: ${stringifyJson(json)}`;
      assert.ok(error instanceof BadRequestError, `${context}: ${String(error)}`);
      assert.ok(error.message.startsWith('filter'), `${context}: ${error.message}`);
    }
  }
  assert.ok(bound > CASES / 30, `only ${bound} of ${CASES} random filters bound: the generator has drifted`);
});
