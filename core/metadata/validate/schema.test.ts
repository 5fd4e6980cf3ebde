import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertBadRequest } from '../test-fixtures.js';
import { readSchemaInput, readType } from './schema.js';

test('primitive types are stored in their canonical spelling', () => {
  assert.equal(readType('LONG', 't'), 'long');
  assert.equal(readType('decimal(38,0)', 't'), 'decimal(38, 0)');
  assert.equal(readType('fixed[ 16 ]', 't'), 'fixed[16]');
  assert.equal(readType('timestamptz_ns', 't'), 'timestamptz_ns');
  assert.equal(readType('geography(OGC:CRS84,karney)', 't'), 'geography(OGC:CRS84, karney)');
});

test('unknown and malformed types are rejected', () => {
  assertBadRequest(() => readType('varchar', 't'), 't: unknown type "varchar"');
  assertBadRequest(() => readType('decimal(39,2)', 't'), 't: decimal precision must be between 1 and 38, got 39');
  assertBadRequest(() => readType({ type: 'tuple' }, 't'), 't.type: unknown nested type "tuple"');
});

test('deeply nested types are rejected instead of exhausting the stack', () => {
  let type: unknown = 'int';
  for (let depth = 0; depth < 10_000; depth += 1) type = { type: 'list', 'element-id': depth + 2, element: type, 'element-required': true };
  assertBadRequest(() => readSchemaInput({ type: 'struct', fields: [{ id: 1, name: 'deep', required: true, type }] }, 'schema'), /type nesting deeper than 64 levels/);
});

test('deeply nested default values are rejected', () => {
  let value: unknown = 1;
  for (let depth = 0; depth < 200; depth += 1) value = [value];
  assertBadRequest(
    () => readSchemaInput({ fields: [{ id: 1, name: 'a', required: false, type: 'int', 'initial-default': value }] }, 'schema'),
    'schema.fields[0].initial-default: nesting deeper than 64 levels',
  );
});

test('duplicate field ids are rejected', () => {
  assertBadRequest(
    () => readSchemaInput({ fields: [{ id: 1, name: 'a', required: true, type: 'int' }, { id: 1, name: 'b', required: true, type: 'int' }] }, 'schema'),
    'schema.fields: field id 1 is used more than once',
  );
});

test('identifier fields must exist and be required primitives', () => {
  const fields = [{ id: 1, name: 'a', required: false, type: 'int' }, { id: 2, name: 'f', required: true, type: 'double' }];
  assertBadRequest(() => readSchemaInput({ fields, 'identifier-field-ids': [3] }, 's'), 's.identifier-field-ids[0]: identifier field 3 does not exist');
  assertBadRequest(() => readSchemaInput({ fields, 'identifier-field-ids': [1] }, 's'), 's.identifier-field-ids[0]: identifier field a is not required');
  assertBadRequest(() => readSchemaInput({ fields, 'identifier-field-ids': [2] }, 's'), 's.identifier-field-ids[0]: identifier field f must not be float or double');
});

test('variant and struct defaults are restricted', () => {
  assertBadRequest(
    () => readSchemaInput({ fields: [{ id: 1, name: 'v', required: false, type: 'variant', 'write-default': 1 }] }, 's'),
    's.fields[0].write-default: must be null for type variant',
  );
  assertBadRequest(
    () => readSchemaInput({ fields: [{ id: 1, name: 's', required: false, type: { type: 'struct', fields: [] }, 'initial-default': { a: 1 } }] }, 's'),
    's.fields[0].initial-default: a struct default must be null or {}',
  );
});
