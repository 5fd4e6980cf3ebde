import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CatalogKeys } from '../catalog/catalog-keys.js';
import { recordEncryptionContext } from './encryption-context.js';

test('a warehouse record names the catalog and the warehouse, with or without a key prefix', () => {
  for (const prefix of ['', 'team/prod']) {
    const key = new CatalogKeys(prefix).tablePointer('sales.eu', ['finance'], 'orders');

    assert.deepEqual(recordEncryptionContext('acme', prefix, key), { catalog: 'acme', warehouse: 'sales.eu' });
  }
});

test('a system record, or a key outside the prefix, names the catalog only', () => {
  assert.deepEqual(recordEncryptionContext('acme', 'prod', 'prod/sys/api-keys/k1'), { catalog: 'acme' });
  assert.deepEqual(recordEncryptionContext('acme', 'prod', 'other/wh/sales/_ns'), { catalog: 'acme' });
});
