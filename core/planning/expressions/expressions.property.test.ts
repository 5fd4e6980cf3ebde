/**
 * Property test: random filters over the fixture schema, in every wire form, with the invariants
 * checked on each. Each case is generated from a seed, so a failure names the seed that reproduces it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJson, stringifyJson, type JsonValue } from '../../json/lossless-json.js';
import { seededRandom } from '../../metadata/test-fixtures.js';
import type { Value } from '../values/value.js';
import { bindExpression } from './bind-expression.js';
import type { BoundExpression, BoundTerm } from './bound-expression.js';
import { evaluateRow } from './evaluate-row.js';
import { parseExpression } from './parse-expression.js';
import { serializeBoundExpression, serializeExpression } from './serialize-expression.js';
import { aSchema, notOf } from './test-fixtures.js';

const CASES = 400;
const ROWS_PER_CASE = 20;
const MAX_DEPTH = 4;

type Random = () => number;

function pick<T>(next: Random, items: readonly T[]): T {
  const item = items[Math.floor(next() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

interface Column {
  readonly name: string;
  /** JSON literals a client may send for it, out-of-range ones included. */
  readonly literals: readonly JsonValue[];
  /** Values a row may hold (never null: nulls break the complement law on purpose). */
  readonly values: readonly Value[];
  readonly floating?: boolean;
  readonly text?: boolean;
}

const COLUMNS: readonly Column[] = [
  { name: 'i', literals: [-2, 0, 1, 3, 2 ** 31, -(2 ** 31) - 1, 2 ** 31 - 1], values: [-2, 0, 1, 2, 3, 2 ** 31 - 1] },
  { name: 'id', literals: [0, 5, 2n ** 62n, 2n ** 63n, -(2n ** 63n) - 1n], values: [0n, 5n, 2n ** 62n, -(2n ** 62n)] },
  { name: 'd', literals: [-1.5, 0, 2.25, 1e308], values: [-1.5, 0, 2.25, Number.NaN, Number.POSITIVE_INFINITY], floating: true },
  { name: 'f', literals: [0.5, -2, 1e39, -1e39], values: [0.5, -2, Number.NaN], floating: true },
  { name: 'data', literals: ['', 'a', 'ab', 'b', 'é'], values: ['', 'a', 'abc', 'b', 'é', '\u{10000}'], text: true },
  { name: 'dec', literals: ['0.00', '1.50', '-2.25', 3, 1.005, 1e8], values: [{ unscaled: 0n, scale: 2 }, { unscaled: 150n, scale: 2 }, { unscaled: -225n, scale: 2 }] },
  { name: 'day', literals: ['1970-01-01', '2024-02-29', 0, 19_782], values: [0, 19_782, -1] },
  { name: 'ts', literals: ['1970-01-01T00:00:00', '2024-01-01T12:00:00.5'], values: [0n, 1_704_110_400_500_000n, -1n] },
  { name: 'b', literals: [true, false], values: [true, false] },
];

const COMPARISONS = ['lt', 'lt-eq', 'gt', 'gt-eq', 'eq', 'not-eq'] as const;

function predicate(next: Random): JsonValue {
  const column = pick(next, COLUMNS);
  const legacy = next() < 0.3;
  const term: JsonValue = legacy ? column.name : { type: 'reference', name: column.name };
  const roll = next();
  if (roll < 0.15) {
    const type = pick(next, column.floating === true ? ['is-null', 'not-null', 'is-nan', 'not-nan'] : ['is-null', 'not-null']);
    return legacy ? { type, term } : { type, child: term };
  }
  if (roll < 0.35) {
    const type = pick(next, ['in', 'not-in']);
    const values = Array.from({ length: Math.floor(next() * 4) }, () => pick(next, column.literals));
    return legacy ? { type, term, values } : { type, child: term, values };
  }
  const type = column.text === true && next() < 0.3 ? pick(next, ['starts-with', 'not-starts-with']) : pick(next, COMPARISONS);
  const literal = pick(next, column.literals);
  if (legacy) return { type, term, value: literal };
  if (!type.includes('starts') && next() < 0.3) return { type, left: literal, right: term };
  return { type, left: term, right: literal };
}

function expression(next: Random, depth: number): JsonValue {
  const roll = next();
  if (depth >= MAX_DEPTH || roll < 0.4) return predicate(next);
  if (roll < 0.45) return pick(next, [true, false, { type: 'true' }, { type: 'false' }]);
  if (roll < 0.6) return notOf(expression(next, depth + 1));
  return { type: pick(next, ['and', 'or']), left: expression(next, depth + 1), right: expression(next, depth + 1) };
}

function randomRow(next: Random): (term: BoundTerm) => Value | null {
  const values = new Map(COLUMNS.map((column) => [column.name, pick(next, column.values)]));
  return (term) => values.get(term.kind === 'reference' ? term.name : term.reference.name) ?? null;
}

function hasNestedConstant(node: BoundExpression): boolean {
  if (node.type !== 'and' && node.type !== 'or') return false;
  const constant = (child: BoundExpression): boolean => child.type === 'true' || child.type === 'false';
  return constant(node.left) || constant(node.right) || hasNestedConstant(node.left) || hasNestedConstant(node.right);
}

const wire = (json: JsonValue): JsonValue => parseJson(stringifyJson(json));

test(`random filters keep their invariants (${CASES} seeds)`, () => {
  const schema = aSchema();
  const bind = (json: JsonValue): BoundExpression => bindExpression(parseExpression(json), schema);
  for (let seed = 1; seed <= CASES; seed += 1) {
    const next = seededRandom(seed);
    const json = expression(next, 0);
    const context = `seed ${seed}: ${stringifyJson(json)}`;

    // Unbound round trip: what serializeExpression writes parses back to the same expression.
    const parsed = parseExpression(json);
    assert.deepEqual(parseExpression(wire(serializeExpression(parsed))), parsed, context);

    // Bound round trip, in both residual styles.
    const bound = bind(json);
    assert.deepEqual(bind(wire(serializeBoundExpression(bound))), bound, `${context} (current)`);
    assert.deepEqual(bind(wire(serializeBoundExpression(bound, { style: 'legacy' }))), bound, `${context} (legacy)`);

    // No `not` survives binding, and constants appear only as the whole expression.
    const text = stringifyJson(serializeBoundExpression(bound));
    assert.ok(!text.includes('"not"'), `${context}: not left in ${text}`);
    assert.ok(!hasNestedConstant(bound), `${context}: constant left inside ${text}`);

    // Pushing `not` down (and folding out-of-range literals) is exact on rows without nulls.
    const negated = bind(notOf(json));
    for (let index = 0; index < ROWS_PER_CASE; index += 1) {
      const row = randomRow(next);
      assert.equal(evaluateRow(negated, row), !evaluateRow(bound, row), `${context} (row ${index})`);
    }
  }
});
