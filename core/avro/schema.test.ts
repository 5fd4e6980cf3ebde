import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AvroError } from './avro-error.js';
import { parseSchema, parseSchemaText, type AvroRecordSchema, type AvroSchema } from './schema.js';

function field(schema: AvroSchema, name: string): AvroSchema {
  assert.equal(schema.type, 'record');
  const found = (schema as AvroRecordSchema).fields.find((candidate) => candidate.name === name);
  assert.ok(found, `field ${name}`);
  return found.type;
}

test('primitives parse from names and objects', () => {
  for (const name of ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']) {
    assert.equal(parseSchema(name).type, name);
    assert.equal(parseSchema({ type: name }).type, name);
  }
});

test('named types resolve through namespaces to the same definition', () => {
  const schema = parseSchema({
    type: 'record',
    name: 'Outer',
    namespace: 'org.example',
    fields: [
      { name: 'inner', type: { type: 'record', name: 'Inner', fields: [{ name: 'x', type: 'int' }] } },
      { name: 'same', type: 'Inner' },
      { name: 'qualified', type: 'org.example.Inner' },
      { name: 'other', type: { type: 'fixed', name: 'Hash', namespace: 'other.ns', size: 4 } },
      { name: 'otherRef', type: 'other.ns.Hash' },
      { name: 'dotted', type: { type: 'enum', name: 'x.y.Color', symbols: ['RED', 'GREEN'] } },
      { name: 'dottedRef', type: 'x.y.Color' },
    ],
  });
  assert.equal(schema.type === 'record' && schema.name, 'org.example.Outer');
  const inner = field(schema, 'inner');
  assert.equal(inner.type === 'record' && inner.name, 'org.example.Inner');
  assert.equal(field(schema, 'same'), inner);
  assert.equal(field(schema, 'qualified'), inner);
  assert.equal(field(schema, 'otherRef'), field(schema, 'other'));
  assert.equal(field(schema, 'dottedRef'), field(schema, 'dotted'));
});

test('a record may refer to itself', () => {
  const schema = parseSchema({
    type: 'record',
    name: 'Node',
    fields: [
      { name: 'value', type: 'int' },
      { name: 'next', type: ['null', 'Node'] },
    ],
  });
  const next = field(schema, 'next');
  assert.ok(next.type === 'union' && next.branches[1] === schema);
});

test('logical types and Iceberg ids are carried through as attributes', () => {
  const schema = parseSchema({
    type: 'record',
    name: 'r',
    fields: [
      { name: 'd', type: { type: 'int', logicalType: 'date' }, 'field-id': 7, doc: 'ignored' },
      { name: 'dec', type: { type: 'fixed', name: 'dec9', size: 4, logicalType: 'decimal', precision: 9, scale: 2 } },
      { name: 'l', type: { type: 'array', items: 'long', 'element-id': 8 } },
    ],
  });
  assert.ok(schema.type === 'record');
  assert.deepEqual(schema.fields[0]?.attributes, { 'field-id': 7 });
  assert.deepEqual(field(schema, 'd'), { type: 'int', attributes: { logicalType: 'date' } });
  const decimal = field(schema, 'dec');
  assert.ok(decimal.type === 'fixed');
  assert.deepEqual(decimal.attributes, { logicalType: 'decimal', precision: 9, scale: 2 });
  const list = field(schema, 'l');
  assert.ok(list.type === 'array');
  assert.deepEqual(list.attributes, { 'element-id': 8 });
});

test('defaults are kept as written', () => {
  const schema = parseSchema({ type: 'record', name: 'r', fields: [{ name: 'o', type: ['null', 'long'], default: null }, { name: 'p', type: 'int' }] });
  assert.ok(schema.type === 'record');
  assert.equal(schema.fields[0]?.default, null);
  assert.equal(schema.fields[1]?.default, undefined);
});

test('unknown and malformed schemas are AvroErrors', () => {
  const bad: unknown[] = [
    'decimal',
    { type: 'uuid4' },
    { type: 'record', name: 'r' },
    { type: 'record', fields: [] },
    { type: 'record', name: 'r', fields: [{ name: 'a', type: 'int' }, { name: 'a', type: 'long' }] },
    { type: 'record', name: 'r', fields: [{ name: 'a' }] },
    { type: 'record', name: 'r', fields: [{ name: 'a', type: { type: 'record', name: 'r', fields: [] } }] },
    { type: 'enum', name: 'e', symbols: ['A', 'A'] },
    { type: 'enum', name: 'e', symbols: [1] },
    { type: 'fixed', name: 'f', size: -1 },
    { type: 'fixed', name: 'f', size: 1.5 },
    { type: 'array' },
    { type: 'map' },
    ['null', ['int', 'long']],
    ['int', 'int'],
    { type: 'record', name: 'int', fields: [] },
    42,
    null,
  ];
  for (const schema of bad) assert.throws(() => parseSchema(schema), AvroError, JSON.stringify(schema));
});

test('schema text that is not JSON, or nested absurdly deep, is an AvroError', () => {
  assert.throws(() => parseSchemaText('{"type":'), AvroError);
  const deep = '{"type":"array","items":'.repeat(5000) + '"int"' + '}'.repeat(5000);
  assert.throws(() => parseSchemaText(deep), AvroError);
});

test('a field named __proto__ is an ordinary field', () => {
  const schema = parseSchema({ type: 'record', name: 'r', fields: [{ name: '__proto__', type: 'int', 'field-id': 1 }] });
  assert.ok(schema.type === 'record');
  assert.equal(schema.fields[0]?.name, '__proto__');
  assert.equal(Object.getPrototypeOf(schema.fields[0]?.attributes), Object.prototype);
});
