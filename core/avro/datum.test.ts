import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AvroError } from './avro-error.js';
import { BinaryDecoder } from './binary-decoder.js';
import { BinaryEncoder } from './binary-encoder.js';
import { readDatum, type AvroValue } from './datum-reader.js';
import { writeDatum } from './datum-writer.js';
import { parseSchema } from './schema.js';

function roundTrip(schemaJson: unknown, value: unknown): AvroValue {
  const schema = parseSchema(schemaJson);
  const encoder = new BinaryEncoder();
  writeDatum(schema, value, encoder);
  const decoder = new BinaryDecoder(encoder.toBytes());
  const read = readDatum(schema, decoder);
  assert.ok(decoder.atEnd(), 'every written byte is consumed');
  return read;
}

test('every primitive round-trips', () => {
  assert.equal(roundTrip('null', null), null);
  assert.equal(roundTrip('boolean', true), true);
  assert.equal(roundTrip('int', -123456), -123456);
  assert.equal(roundTrip('long', 2n ** 63n - 1n), 2n ** 63n - 1n);
  assert.equal(roundTrip('long', 42), 42n);
  assert.equal(roundTrip('float', 0.25), 0.25);
  assert.equal(roundTrip('double', Math.PI), Math.PI);
  assert.deepEqual(roundTrip('bytes', Uint8Array.of(0, 255)), Uint8Array.of(0, 255));
  assert.equal(roundTrip('string', 'snapshot ✓'), 'snapshot ✓');
});

test('records, enums, fixed, arrays and maps round-trip', () => {
  const schema = {
    type: 'record',
    name: 'everything',
    fields: [
      { name: 'color', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN', 'BLUE'] } },
      { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 3 } },
      { name: 'longs', type: { type: 'array', items: 'long' } },
      { name: 'empty', type: { type: 'array', items: 'string' } },
      { name: 'props', type: { type: 'map', values: 'string' } },
      { name: 'nested', type: { type: 'record', name: 'Nested', fields: [{ name: 'flag', type: 'boolean' }] } },
      { name: 'nestedList', type: { type: 'array', items: 'Nested' } },
      { name: 'date', type: { type: 'int', logicalType: 'date' } },
    ],
  };
  const value = {
    color: 'BLUE',
    hash: Uint8Array.of(1, 2, 3),
    longs: [1n, -(2n ** 63n), 7n],
    empty: [],
    props: new Map([
      ['a', 'x'],
      ['', 'empty key'],
    ]),
    nested: { flag: true },
    nestedList: [{ flag: false }, { flag: true }],
    date: 19000,
  };
  assert.deepEqual(roundTrip(schema, value), value);
});

test('a plain object is accepted for a map and read back as a Map', () => {
  assert.deepEqual(roundTrip({ type: 'map', values: 'int' }, { a: 1, b: 2 }), new Map([['a', 1], ['b', 2]]));
});

test('unions decode to the bare branch value and encode by first fitting branch', () => {
  const schema = ['null', 'int', 'long', 'string', { type: 'record', name: 'R', fields: [{ name: 'x', type: 'int' }] }, { type: 'array', items: 'int' }];
  assert.equal(roundTrip(schema, null), null);
  assert.equal(roundTrip(schema, 5), 5);
  assert.equal(roundTrip(schema, 5n), 5n);
  assert.equal(roundTrip(schema, 2 ** 40), 2n ** 40n);
  assert.equal(roundTrip(schema, 'text'), 'text');
  assert.deepEqual(roundTrip(schema, { x: 1 }), { x: 1 });
  assert.deepEqual(roundTrip(schema, [1, 2]), [1, 2]);
});

test('missing record fields take their default or null', () => {
  const schema = { type: 'record', name: 'R', fields: [{ name: 'o', type: ['null', 'long'], default: null }, { name: 'n', type: 'int', default: 3 }] };
  assert.deepEqual(roundTrip(schema, {}), { o: null, n: 3 });
  assert.throws(() => roundTrip({ type: 'record', name: 'S', fields: [{ name: 'req', type: 'string' }] }, {}), /\$\.req/);
});

test('values that do not fit the schema are AvroErrors', () => {
  assert.throws(() => roundTrip('int', 1.5), AvroError);
  assert.throws(() => roundTrip('int', 2 ** 31), AvroError);
  assert.throws(() => roundTrip('long', 2 ** 60), AvroError);
  assert.throws(() => roundTrip({ type: 'fixed', name: 'F', size: 2 }, Uint8Array.of(1)), AvroError);
  assert.throws(() => roundTrip({ type: 'enum', name: 'E', symbols: ['A'] }, 'B'), AvroError);
  assert.throws(() => roundTrip(['null', 'int'], 'text'), AvroError);
});

test('a record field named __proto__ is an own property, not a prototype swap', () => {
  const read = roundTrip({ type: 'record', name: 'R', fields: [{ name: '__proto__', type: { type: 'map', values: 'int' } }] }, { ['__proto__']: new Map([['polluted', 1]]) } as unknown);
  assert.ok(read !== null && typeof read === 'object' && !Array.isArray(read) && !(read instanceof Uint8Array) && !(read instanceof Map));
  assert.equal(Object.getPrototypeOf(read), Object.prototype);
  assert.ok(Object.hasOwn(read, '__proto__'));
});

test('bad enum and union indexes in the data are AvroErrors', () => {
  const enumSchema = parseSchema({ type: 'enum', name: 'E', symbols: ['A'] });
  assert.throws(() => readDatum(enumSchema, new BinaryDecoder(Uint8Array.of(0x02))), AvroError);
  assert.throws(() => readDatum(parseSchema(['null', 'int']), new BinaryDecoder(Uint8Array.of(0x04))), AvroError);
  assert.throws(() => readDatum(parseSchema(['null', 'int']), new BinaryDecoder(Uint8Array.of(0x01))), AvroError);
});

test('array and map blocks with negative counts carry a byte size and are read too', () => {
  const encoder = new BinaryEncoder();
  // Two blocks: -2 items (then a 2-byte size), then 1 item, then the 0 terminator.
  encoder.writeLong(-2);
  encoder.writeLong(2);
  encoder.writeLong(1);
  encoder.writeLong(2);
  encoder.writeLong(1);
  encoder.writeLong(3);
  encoder.writeLong(0);
  assert.deepEqual(readDatum(parseSchema({ type: 'array', items: 'long' }), new BinaryDecoder(encoder.toBytes())), [1n, 2n, 3n]);
});

test('a forged array count larger than the data is an AvroError, not an allocation', () => {
  const encoder = new BinaryEncoder();
  encoder.writeLong(2n ** 60n);
  encoder.writeLong(1);
  assert.throws(() => readDatum(parseSchema({ type: 'array', items: 'long' }), new BinaryDecoder(encoder.toBytes())), /claims/);
});

test('zero-width items cannot be multiplied without bound', () => {
  const encoder = new BinaryEncoder();
  encoder.writeLong(2n ** 40n);
  encoder.writeLong(0);
  assert.throws(() => readDatum(parseSchema({ type: 'array', items: 'null' }), new BinaryDecoder(encoder.toBytes())), /zero-width/);
  // Within the allowance, arrays of nulls are fine.
  assert.deepEqual(roundTrip({ type: 'array', items: 'null' }, [null, null]), [null, null]);
});

test('a hostile recursive value nested thousands deep is an AvroError, not a stack overflow', () => {
  const schema = parseSchema({ type: 'record', name: 'Node', fields: [{ name: 'next', type: ['null', 'Node'] }] });
  // Union index 1 ("Node") repeated: each byte opens another level.
  const bytes = new Uint8Array(100_000).fill(0x02);
  assert.throws(() => readDatum(schema, new BinaryDecoder(bytes)), AvroError);
});
