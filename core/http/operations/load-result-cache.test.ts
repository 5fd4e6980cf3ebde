import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringifyJson } from '../../json/lossless-json.js';
import { LoadResultCache } from './load-result-cache.js';

test('an answer is serialized once per ETag, losslessly, and passed through as is', () => {
  const cache = new LoadResultCache();
  let builds = 0;
  const build = () => {
    builds++;
    return { 'snapshot-id': 2n ** 63n - 1n };
  };
  const first = cache.get('"a"', build);
  const again = cache.get('"a"', build);
  assert.equal(builds, 1);
  assert.equal(again, first);
  assert.equal(stringifyJson(first), '{"snapshot-id":9223372036854775807}');
  cache.get('"b"', build);
  assert.equal(builds, 2);
});

test('the least recently used answer is evicted first', () => {
  const cache = new LoadResultCache();
  let builds = 0;
  const build = () => ({ n: ++builds });
  for (let i = 0; i < 16; i++) cache.get(`"${i}"`, build);
  cache.get('"0"', build); // used again: now the most recent
  cache.get('"16"', build); // evicts "1"
  assert.equal(builds, 17);
  cache.get('"0"', build);
  assert.equal(builds, 17);
  cache.get('"1"', build);
  assert.equal(builds, 18);
});
