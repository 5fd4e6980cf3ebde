import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BadRequestError } from '../errors.js';
import { namespaceFromPath, namespaceFromQuery, nameFromPath } from './identifiers.js';

const raw = { encoding: 'raw' } as const;

test('levels split on %1F in either case, each form-decoded once', () => {
  assert.deepEqual(namespaceFromPath('accounting%1Ftax%1fpaid', raw), ['accounting', 'tax', 'paid']);
  assert.deepEqual(namespaceFromPath('a+b%2Fc', raw), ['a b/c']);
  assert.deepEqual(namespaceFromPath('100%2525', raw), ['100%25']);
});

test('an advertised separator splits levels too, and %1F still does', () => {
  const withDot = { encoding: 'raw', separator: '%2E' } as const;
  assert.deepEqual(namespaceFromPath('a%2Eb', withDot), ['a', 'b']);
  assert.deepEqual(namespaceFromPath('a.b%1Fc', withDot), ['a.b', 'c']);
});

test('decoded mode (API Gateway HTTP API) splits on the unit separator character and decodes nothing', () => {
  assert.deepEqual(namespaceFromPath('a%b\u001fc+d', { encoding: 'decoded' }), ['a%b', 'c+d']);
  assert.equal(nameFromPath('t%41', { encoding: 'decoded' }, 'table'), 't%41');
});

test('the parent query splits on the 0x1F character; empty means absent', () => {
  assert.deepEqual(namespaceFromQuery('a\u001fb', raw), ['a', 'b']);
  assert.equal(namespaceFromQuery('', raw), undefined);
  assert.equal(namespaceFromQuery(undefined, raw), undefined);
});

test('bad encodings and names are BadRequestError', () => {
  for (const bad of ['a%zz', '%E0%A4%A', 'a%1F%1Fb', 'a%01b', 'x'.repeat(256), '%ED%A0%80']) {
    assert.throws(() => namespaceFromPath(bad, raw), BadRequestError, bad);
  }
});
