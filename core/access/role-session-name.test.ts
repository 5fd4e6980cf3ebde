import assert from 'node:assert/strict';
import { test } from 'node:test';
import { roleSessionName } from './role-session-name.js';

const STS_NAME = /^[\w+=,.@-]{2,64}$/;

test('a caller label becomes a valid STS role session name that names it', () => {
  assert.equal(roleSessionName('user:alice@example.com'), 'iceberg-user-alice@example.com');
  assert.match(roleSessionName('apikey:0f3c9d'), STS_NAME);
});

test('characters STS refuses are replaced', () => {
  const name = roleSessionName('user:Ünïcode name/with spaces?');
  assert.match(name, STS_NAME);
  assert.ok(!name.includes(' '));
});

test('a long label is cut to 64 characters and stays distinct from another with the same start', () => {
  const a = roleSessionName(`user:${'a'.repeat(100)}1`);
  const b = roleSessionName(`user:${'a'.repeat(100)}2`);
  assert.match(a, STS_NAME);
  assert.match(b, STS_NAME);
  assert.equal(a.length, 64);
  assert.notEqual(a, b);
});

test('an empty label still gives a valid name', () => {
  assert.match(roleSessionName(''), STS_NAME);
});
