import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AvroError } from './avro-error.js';
import { BinaryDecoder } from './binary-decoder.js';
import { BinaryEncoder } from './binary-encoder.js';

const decoderOf = (...bytes: number[]): BinaryDecoder => new BinaryDecoder(Uint8Array.from(bytes));

function encoded(write: (encoder: BinaryEncoder) => void): Uint8Array {
  const encoder = new BinaryEncoder();
  write(encoder);
  return encoder.toBytes();
}

test('zig-zag longs match the Avro specification examples', () => {
  const cases: [bigint, number[]][] = [
    [0n, [0x00]],
    [-1n, [0x01]],
    [1n, [0x02]],
    [-2n, [0x03]],
    [2n, [0x04]],
    [-64n, [0x7f]],
    [64n, [0x80, 0x01]],
  ];
  for (const [value, bytes] of cases) {
    assert.deepEqual([...encoded((encoder) => encoder.writeLong(value))], bytes);
    assert.equal(decoderOf(...bytes).readLong(), value);
  }
});

test('longs round-trip across the whole 64-bit range, always as bigint', () => {
  const values = [0n, 1n, -1n, 2n ** 31n, -(2n ** 31n) - 1n, 2n ** 49n, 2n ** 53n + 1n, -(2n ** 53n) - 3n, 2n ** 62n, 2n ** 63n - 1n, -(2n ** 63n), 9223372036854775000n];
  const decoder = new BinaryDecoder(encoded((encoder) => values.forEach((value) => encoder.writeLong(value))));
  for (const value of values) {
    const read = decoder.readLong();
    assert.equal(typeof read, 'bigint');
    assert.equal(read, value);
  }
  assert.ok(decoder.atEnd());
});

test('ints round-trip and reject values beyond 32 bits', () => {
  const values = [0, 1, -1, 300, -300, 2 ** 31 - 1, -(2 ** 31)];
  const decoder = new BinaryDecoder(encoded((encoder) => values.forEach((value) => encoder.writeInt(value))));
  for (const value of values) assert.equal(decoder.readInt(), value);
  // 2^32 as a varint: its fifth byte carries more than four bits.
  assert.throws(() => decoderOf(0x80, 0x80, 0x80, 0x80, 0x10).readInt(), AvroError);
  assert.throws(() => decoderOf(0x80, 0x80, 0x80, 0x80, 0x80, 0x01).readInt(), AvroError);
  assert.throws(() => new BinaryEncoder().writeInt(2 ** 31), AvroError);
});

test('overlong and overflowing long varints are AvroErrors', () => {
  assert.throws(() => decoderOf(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02).readLong(), AvroError);
  assert.throws(() => decoderOf(...Array<number>(10).fill(0x80), 0x00).readLong(), AvroError);
  assert.throws(() => new BinaryEncoder().writeLong(2n ** 63n), AvroError);
});

test('floats, doubles and booleans', () => {
  const decoder = new BinaryDecoder(
    encoded((encoder) => {
      encoder.writeFloat(1.5);
      encoder.writeDouble(-0.1);
      encoder.writeDouble(Number.NaN);
      encoder.writeBoolean(true);
      encoder.writeBoolean(false);
    }),
  );
  assert.equal(decoder.readFloat(), 1.5);
  assert.equal(decoder.readDouble(), -0.1);
  assert.ok(Number.isNaN(decoder.readDouble()));
  assert.equal(decoder.readBoolean(), true);
  assert.equal(decoder.readBoolean(), false);
  assert.throws(() => decoderOf(0x02).readBoolean(), AvroError);
});

test('bytes, strings and fixed', () => {
  const decoder = new BinaryDecoder(
    encoded((encoder) => {
      encoder.writeBytes(Uint8Array.of(1, 2, 3));
      encoder.writeString('héllo ✓');
      encoder.writeString('');
      encoder.writeFixed(Uint8Array.of(9, 8));
    }),
  );
  assert.deepEqual(decoder.readBytes(), Uint8Array.of(1, 2, 3));
  assert.equal(decoder.readString(), 'héllo ✓');
  assert.equal(decoder.readString(), '');
  assert.deepEqual(decoder.readFixed(2), Uint8Array.of(9, 8));
  assert.ok(decoder.atEnd());
});

test('truncated input is an AvroError for every type', () => {
  assert.throws(() => decoderOf().readLong(), AvroError);
  assert.throws(() => decoderOf(0x80).readLong(), AvroError);
  assert.throws(() => decoderOf(0x80).readInt(), AvroError);
  assert.throws(() => decoderOf(0, 0, 0).readFloat(), AvroError);
  assert.throws(() => decoderOf(0, 0, 0, 0, 0, 0, 0).readDouble(), AvroError);
  assert.throws(() => decoderOf().readBoolean(), AvroError);
  assert.throws(() => decoderOf(0x06, 0x61).readString(), AvroError);
  assert.throws(() => decoderOf(1, 2).readFixed(3), AvroError);
});

test('a forged huge or negative length fails before any allocation', () => {
  const huge = encoded((encoder) => encoder.writeLong(2n ** 62n));
  assert.throws(() => new BinaryDecoder(huge).readBytes(), /exceeds/);
  assert.throws(() => new BinaryDecoder(huge).readString(), AvroError);
  assert.throws(() => decoderOf(0x01).readBytes(), /Negative/);
});

test('invalid UTF-8 in a string is an AvroError', () => {
  assert.throws(() => decoderOf(0x04, 0xc3, 0x28).readString(), AvroError);
});

test('decoded bytes are copies, not views of the file buffer', () => {
  const source = Uint8Array.of(0x04, 7, 7);
  const value = new BinaryDecoder(source).readBytes();
  source[1] = 0;
  assert.deepEqual(value, Uint8Array.of(7, 7));
});

test('values read from a Node Buffer are plain Uint8Array copies', () => {
  const source = Buffer.from([0x04, 7, 7, 0x02, 0x61]);
  const decoder = new BinaryDecoder(source);
  const value = decoder.readBytes();
  source[1] = 0;
  assert.equal(Object.getPrototypeOf(value), Uint8Array.prototype);
  assert.deepEqual(value, Uint8Array.of(7, 7));
  assert.equal(decoder.readString(), 'a');
});
