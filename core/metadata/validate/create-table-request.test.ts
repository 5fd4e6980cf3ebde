import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertBadRequest } from '../test-fixtures.js';
import { validateCreateTableRequest } from './create-table-request.js';

const schema = { type: 'struct', fields: [{ id: 3, name: 'id', required: true, type: 'long' }] };

test('reads a complete create request', () => {
  const request = validateCreateTableRequest({
    name: 'tbl',
    location: 's3://b/t',
    schema,
    'partition-spec': { 'spec-id': 0, fields: [{ 'source-id': 3, 'field-id': 1000, name: 'id', transform: 'identity' }] },
    'write-order': { 'order-id': 1, fields: [{ 'source-id': 3, transform: 'identity', direction: 'DESC', 'null-order': 'nulls-last' }] },
    'stage-create': true,
    properties: { 'format-version': '3' },
  });
  assert.equal(request.name, 'tbl');
  assert.equal(request.stageCreate, true);
  assert.deepEqual(request.writeOrder, { orderId: 1, fields: [{ sourceId: 3, transform: 'identity', direction: 'desc', nullOrder: 'nulls-last' }] });
});

test('name and schema are required', () => {
  assertBadRequest(() => validateCreateTableRequest({ schema }), 'name: required field is missing');
  assertBadRequest(() => validateCreateTableRequest({ name: 't' }), 'schema: required field is missing');
});

test('properties must map strings to strings', () => {
  assertBadRequest(() => validateCreateTableRequest({ name: 't', schema, properties: { a: 1 } }), 'properties.a: expected a string, got a number');
});

test('the body must be an object', () => {
  assertBadRequest(() => validateCreateTableRequest([]), 'expected an object, got an array');
});
