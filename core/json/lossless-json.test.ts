import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertLosslessJsonSupported, parseJson, stringifyJson, MAX_JSON_DEPTH } from './lossless-json.js';

test('integers near 2^63 survive a parse and stringify round trip', () => {
  const text = '{"snapshot-id":9223372036854775807,"min":-9223372036854775808,"small":42,"ratio":1.5}';
  const parsed = parseJson(text) as Record<string, unknown>;
  assert.equal(parsed['snapshot-id'], 9223372036854775807n);
  assert.equal(parsed['min'], -9223372036854775808n);
  assert.equal(parsed['small'], 42);
  assert.equal(stringifyJson(parsed), text);
});

test('safe integers stay numbers and floats are untouched', () => {
  const parsed = parseJson('[9007199254740991, 1e300, -0.25]') as unknown[];
  assert.deepEqual(parsed, [9007199254740991, 1e300, -0.25]);
});

test('malformed JSON throws SyntaxError', () => {
  assert.throws(() => parseJson('{"a":'), SyntaxError);
});

test('nesting deeper than MAX_JSON_DEPTH is a SyntaxError before JSON.parse recurses; brackets inside strings do not count', () => {
  const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);
  assert.doesNotThrow(() => parseJson(deep(MAX_JSON_DEPTH)));
  assert.throws(() => parseJson(deep(MAX_JSON_DEPTH + 1)), SyntaxError);
  assert.throws(() => parseJson('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)), /nested deeper/);
  assert.deepEqual(parseJson(JSON.stringify({ s: '[[[[\\"{{{{'.repeat(1000) })), { s: '[[[[\\"{{{{'.repeat(1000) });
});

test('a runtime whose JSON.parse hands the reviver no source text is refused (code review 3: Node 20 rounds ids silently)', () => {
  const node20Parse = ((text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) =>
    JSON.parse(text, reviver === undefined ? undefined : (key, value) => reviver.call(undefined, key, value))) as typeof JSON.parse;
  assert.throws(() => assertLosslessJsonSupported(node20Parse), /Node\.js >= 22 is required/);
  assert.doesNotThrow(() => assertLosslessJsonSupported());
});
