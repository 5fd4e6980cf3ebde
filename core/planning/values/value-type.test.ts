import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromBigEndian, toMinimalBigEndian } from './twos-complement.js';
import { uuidBytesFromText, uuidTextFromBytes } from './uuid-bytes.js';
import { valueTypeOf, valueTypeToString } from './value-type.js';

describe('valueTypeOf', () => {
  test('reads every primitive type with a value, in any spelling the catalog accepts', () => {
    assert.deepEqual(valueTypeOf('decimal(10,2)'), { kind: 'decimal', precision: 10, scale: 2 });
    assert.deepEqual(valueTypeOf('Decimal( 38 , 0 )'), { kind: 'decimal', precision: 38, scale: 0 });
    assert.deepEqual(valueTypeOf('fixed[16]'), { kind: 'fixed', length: 16 });
    assert.deepEqual(valueTypeOf('TIMESTAMPTZ_NS'), { kind: 'timestamptz_ns' });
    for (const kind of ['boolean', 'int', 'long', 'float', 'double', 'date', 'time', 'timestamp', 'string', 'uuid', 'binary']) {
      assert.deepEqual(valueTypeOf(kind), { kind });
    }
  });

  test('gives no value type for types planning never prunes on, or for nonsense', () => {
    for (const type of ['variant', 'unknown', 'geometry', 'geography(srid:4326)', 'decimal(39, 0)', 'fixed[0]', 'struct', '']) {
      assert.equal(valueTypeOf(type), undefined, type);
    }
  });

  test('writes the canonical spelling back', () => {
    assert.equal(valueTypeToString({ kind: 'decimal', precision: 10, scale: 2 }), 'decimal(10, 2)');
    assert.equal(valueTypeToString({ kind: 'fixed', length: 3 }), 'fixed[3]');
    assert.equal(valueTypeToString({ kind: 'uuid' }), 'uuid');
  });
});

describe('two\'s complement bytes', () => {
  test('uses the minimum number of bytes, as Java\'s BigInteger.toByteArray', () => {
    const cases: [bigint, number[]][] = [
      [0n, [0x00]], [1n, [0x01]], [127n, [0x7f]], [128n, [0x00, 0x80]], [255n, [0x00, 0xff]], [256n, [0x01, 0x00]],
      [-1n, [0xff]], [-128n, [0x80]], [-129n, [0xff, 0x7f]], [-256n, [0xff, 0x00]], [1420n, [0x05, 0x8c]],
    ];
    for (const [value, bytes] of cases) {
      assert.deepEqual(toMinimalBigEndian(value), Uint8Array.from(bytes), String(value));
      assert.equal(fromBigEndian(Uint8Array.from(bytes)), value, String(value));
    }
  });

  test('reads sign-extended padding as the same value', () => {
    assert.equal(fromBigEndian(Uint8Array.of(0xff, 0xff, 0xff, 0x80)), -128n);
    assert.equal(fromBigEndian(Uint8Array.of(0x00, 0x00, 0x05, 0x8c)), 1420n);
  });

  test('round-trips the extremes of decimal(38)', () => {
    for (const value of [10n ** 38n - 1n, -(10n ** 38n - 1n), 2n ** 127n - 1n, -(2n ** 127n)]) {
      const bytes = toMinimalBigEndian(value);
      assert.ok(bytes.byteLength <= 16);
      assert.equal(fromBigEndian(bytes), value);
    }
  });
});

describe('uuid bytes', () => {
  test('are the big-endian bytes of the text (spec Appendix B, note 4)', () => {
    const bytes = uuidBytesFromText('f79c3e09-677c-4bbd-a479-3f349cb785e7');
    assert.deepEqual(bytes, Uint8Array.of(0xf7, 0x9c, 0x3e, 0x09, 0x67, 0x7c, 0x4b, 0xbd, 0xa4, 0x79, 0x3f, 0x34, 0x9c, 0xb7, 0x85, 0xe7));
    assert.equal(uuidTextFromBytes(bytes as Uint8Array), 'f79c3e09-677c-4bbd-a479-3f349cb785e7');
  });

  test('refuse text that is not 8-4-4-4-12 hex', () => {
    for (const text of ['', 'f79c3e09-677c-4bbd-a479-3f349cb785e', 'f79c3e09-677c-4bbd-a4793f349cb785e7-', 'f79c3e09_677c_4bbd_a479_3f349cb785e7']) {
      assert.equal(uuidBytesFromText(text), undefined, text);
    }
  });
});
