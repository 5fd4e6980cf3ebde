import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aDraft, aTable, commitTo } from '../test-fixtures.js';
import { applyRemoveEncryptionKey } from './remove-encryption-key.js';

test('removes an encryption key', () => {
  const table = commitTo(aTable({ formatVersion: 3 }), [{ action: 'add-encryption-key', encryptionKey: { keyId: 'k1', encryptedKeyMetadata: 'AAEC' } }]).metadata;
  const draft = applyRemoveEncryptionKey(aDraft(table), { action: 'remove-encryption-key', keyId: 'k1' });
  assert.deepEqual(draft.metadata.encryptionKeys, []);
});

test('an unknown key id is a no-op', () => {
  assert.deepEqual(applyRemoveEncryptionKey(aDraft(), { action: 'remove-encryption-key', keyId: 'nope' }).changes, []);
});
