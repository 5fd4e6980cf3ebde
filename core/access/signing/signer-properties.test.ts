import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ForbiddenError } from '../../errors.js';
import { checkSignerProperties, SIGNER_PROPERTY, signerProperties, type SigningTable } from './signer-properties.js';

const orders: SigningTable = { warehouse: 'default', namespace: ['sales', 'eu'], name: 'orders', uuid: '11111111-1111-4111-8111-111111111111' };
const customers: SigningTable = { ...orders, name: 'customers', uuid: '22222222-2222-4222-8222-222222222222' };

test("a table's own signer properties, echoed unchanged, pass", () => {
  assert.doesNotThrow(() => checkSignerProperties(signerProperties(orders), orders));
});

test('no properties (clients that echo none) pass: the path names the table', () => {
  assert.doesNotThrow(() => checkSignerProperties({}, orders));
});

test("refuses another table's properties at this table's endpoint", () => {
  assert.throws(() => checkSignerProperties(signerProperties(customers), orders), ForbiddenError);
});

test('refuses the properties of a dropped table re-created under the same name (its old uuid)', () => {
  assert.throws(() => checkSignerProperties(signerProperties({ ...orders, uuid: customers.uuid }), orders), ForbiddenError);
});

test('refuses another namespace or warehouse, one property at a time', () => {
  assert.throws(() => checkSignerProperties({ [SIGNER_PROPERTY.namespace]: 'sales' }, orders), ForbiddenError);
  assert.throws(() => checkSignerProperties({ [SIGNER_PROPERTY.warehouse]: 'other' }, orders), ForbiddenError);
});

test('properties the catalog does not hand out are ignored', () => {
  assert.doesNotThrow(() => checkSignerProperties({ 'client.extra': 'x' }, orders));
});
