import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRefusedByStorage } from './storage-refusal.js';

test('a 4xx from storage, anywhere in the cause chain, is a refusal', () => {
  const denied = Object.assign(new Error('Access Denied'), { $metadata: { httpStatusCode: 403 } });
  assert.equal(isRefusedByStorage(denied), true);
  assert.equal(isRefusedByStorage(new Error('read failed', { cause: denied })), true);
  assert.equal(isRefusedByStorage(Object.assign(new Error('x'), { name: 'NoSuchBucket' })), true);
});

test('a 5xx or a plain failure is not the caller\'s mistake', () => {
  assert.equal(isRefusedByStorage(Object.assign(new Error('Slow Down'), { $metadata: { httpStatusCode: 503 } })), false);
  assert.equal(isRefusedByStorage(new Error('socket hang up')), false);
  assert.equal(isRefusedByStorage(undefined), false);
});
