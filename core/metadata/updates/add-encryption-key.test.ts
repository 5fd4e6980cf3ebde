import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aDraft, aTable } from '../test-fixtures.js';
import { applyAddEncryptionKey } from './add-encryption-key.js';

const key = { keyId: 'k1', encryptedKeyMetadata: 'AAEC', encryptedById: 'kms-1', properties: { algo: 'AES_GCM' } };

test('adds an encryption key', () => {
  const draft = applyAddEncryptionKey(aDraft(aTable({ formatVersion: 3 })), { action: 'add-encryption-key', encryptionKey: key });
  assert.deepEqual(draft.metadata.encryptionKeys, [key]);
});

test('a key id that exists is a no-op, never a replacement', () => {
  const first = applyAddEncryptionKey(aDraft(aTable({ formatVersion: 3 })), { action: 'add-encryption-key', encryptionKey: key });
  const second = applyAddEncryptionKey(first, { action: 'add-encryption-key', encryptionKey: { keyId: 'k1', encryptedKeyMetadata: 'ZZZZ' } });
  assert.deepEqual(second.metadata.encryptionKeys, [key]);
  assert.equal(second.changes.length, 1);
});
