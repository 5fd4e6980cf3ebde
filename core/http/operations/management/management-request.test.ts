import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../../../errors.js';
import { optionalString, stringList } from './management-request.js';

// Found by the route fuzzer: a lone surrogate in principal.groups of /authorization/simulate was a
// 500 (Cedar refuses it); such strings are a 400 like any other malformed field.
test('strings with lone surrogates are a 400', () => {
  assert.throws(() => stringList(['ok', '\udc00x'], 'principal.groups'), BadRequestError);
  assert.throws(() => optionalString('\ud800', 'principal.id'), BadRequestError);
  assert.deepEqual(stringList(['ok', '🧊'], 'groups'), ['ok', '🧊']);
});
