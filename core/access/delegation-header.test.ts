import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BadRequestError } from '../errors.js';
import { parseAccessDelegation } from './delegation-header.js';

test('an absent or empty header asks for no delegation', () => {
  assert.deepEqual([...parseAccessDelegation(undefined)], []);
  assert.deepEqual([...parseAccessDelegation('')], []);
  assert.deepEqual([...parseAccessDelegation(' , ')], []);
});

test('each mechanism alone, both in either order, case and spaces ignored', () => {
  assert.deepEqual([...parseAccessDelegation('vended-credentials')], ['vended-credentials']);
  assert.deepEqual([...parseAccessDelegation('remote-signing')], ['remote-signing']);
  assert.deepEqual(new Set(parseAccessDelegation('remote-signing, Vended-Credentials')), new Set(['vended-credentials', 'remote-signing']));
  assert.deepEqual([...parseAccessDelegation('vended-credentials,vended-credentials,')], ['vended-credentials']);
});

test('an unknown mechanism is a 400 BadRequestException naming it', () => {
  assert.throws(() => parseAccessDelegation('vended-credentials,s3-keys'), (e: unknown) => e instanceof BadRequestError && e.status === 400 && e.type === 'BadRequestException' && e.message.includes("'s3-keys'"));
  assert.throws(() => parseAccessDelegation('vended_credentials'), BadRequestError);
});

test('a long unknown value is cut in the message', () => {
  assert.throws(() => parseAccessDelegation('x'.repeat(5000)), (e: unknown) => e instanceof BadRequestError && e.message.length < 300);
});
