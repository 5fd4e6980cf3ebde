import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NoSuchNamespaceError, NoSuchWarehouseError } from '../errors.js';
import { mapErrorFor } from './error-response.js';

test('createNamespace answers a missing parent or warehouse 400 of the same type (its spec lists no 404)', () => {
  for (const error of [new NoSuchNamespaceError('Namespace does not exist: a'), new NoSuchWarehouseError('Warehouse does not exist: w')]) {
    const mapped = mapErrorFor('createNamespace', error);
    assert.equal(mapped.status, 400);
    assert.deepEqual(mapped.body, { error: { message: error.message, type: error.type, code: 400 } });
  }
});

test('operations whose spec lists 404 keep it', () => {
  const mapped = mapErrorFor('loadNamespaceMetadata', new NoSuchNamespaceError('Namespace does not exist: a'));
  assert.equal(mapped.status, 404);
  assert.equal(mapped.body.error.code, 404);
});
