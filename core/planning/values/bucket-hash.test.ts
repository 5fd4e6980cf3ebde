import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bucketHash, bucketOfHash, hashLong } from './bucket-hash.js';
import { parseJsonSingleValue } from './json-single-value.js';
import { murmur3Hash32 } from './murmur3.js';
import type { Value } from './value.js';

function valueOf(type: string, json: string | number | boolean): Value {
  const value = parseJsonSingleValue(type, json);
  assert.notEqual(value, null);
  return value as Value;
}

describe('murmur3Hash32', () => {
  test('matches the reference MurmurHash3_x86_32 with seed 0', () => {
    assert.equal(murmur3Hash32(new Uint8Array()), 0);
    assert.equal(murmur3Hash32(new TextEncoder().encode('hello')), 0x248bfa47);
    assert.equal(murmur3Hash32(new TextEncoder().encode('The quick brown fox jumps over the lazy dog')) >>> 0, 0x2e4ff723);
  });

  test('hashes a view into a larger buffer by its own bytes only', () => {
    const buffer = Uint8Array.of(9, 0, 1, 2, 3, 9);
    assert.equal(murmur3Hash32(buffer.subarray(1, 5)), murmur3Hash32(Uint8Array.of(0, 1, 2, 3)));
  });
});

describe('bucketHash: the test values of spec Appendix B', () => {
  const vectors: [string, string | number | boolean, number][] = [
    ['int', 34, 2017239379],
    ['long', 34, 2017239379],
    ['decimal(4, 2)', '14.20', -500754589],
    ['date', '2017-11-16', -653330422],
    ['time', '22:31:08', -662762989],
    ['timestamp', '2017-11-16T22:31:08', -2047944441],
    ['timestamp', '2017-11-16T22:31:08.000001', -1207196810],
    ['timestamptz', '2017-11-16T22:31:08+00:00', -2047944441],
    ['timestamptz', '2017-11-16T22:31:08.000001+00:00', -1207196810],
    ['timestamp_ns', '2017-11-16T22:31:08', -2047944441],
    ['timestamp_ns', '2017-11-16T22:31:08.000001001', -1207196810],
    ['timestamptz_ns', '2017-11-16T22:31:08+00:00', -2047944441],
    ['timestamptz_ns', '2017-11-16T22:31:08.000001001+00:00', -1207196810],
    ['string', 'iceberg', 1210000089],
    ['uuid', 'f79c3e09-677c-4bbd-a479-3f349cb785e7', 1488055340],
    ['fixed[4]', '00010203', -188683207],
    ['binary', '00010203', -188683207],
    ['boolean', true, 1392991556],
    ['float', 1, -142385009],
    ['float', 0, 1669671676],
    ['double', 1, -142385009],
    ['double', 0, 1669671676],
  ];
  for (const [type, json, expected] of vectors) {
    test(`${type} ${String(json)} hashes to ${expected}`, () => {
      assert.equal(bucketHash(type, valueOf(type, json)), expected);
    });
  }

  test('-0.0 hashes as 0.0 (note 5)', () => {
    assert.equal(bucketHash('float', -0), 1669671676);
    assert.equal(bucketHash('double', -0), 1669671676);
  });

  test('every NaN hashes alike (note 5)', () => {
    const otherNaN = new DataView(new ArrayBuffer(8));
    otherNaN.setBigUint64(0, 0x7ff0000000000001n);
    assert.equal(bucketHash('double', otherNaN.getFloat64(0)), bucketHash('double', Number.NaN));
    assert.equal(bucketHash('double', Number.NaN), hashLong(0x7ff8000000000000n));
  });
});

describe('bucketHash: stability under type promotion', () => {
  test('an int and a long of the same value hash alike, negative ones included', () => {
    for (const value of [0, -1, 2 ** 31 - 1, -(2 ** 31)]) {
      assert.equal(bucketHash('int', value), bucketHash('long', BigInt(value)));
    }
  });

  test('a float and the double of the same value hash alike', () => {
    assert.equal(bucketHash('float', Math.fround(0.1)), bucketHash('double', Math.fround(0.1)));
  });

  test('a decimal hashes independently of its scale', () => {
    assert.equal(bucketHash('decimal(9, 4)', { unscaled: 1420n, scale: 4 }), bucketHash('decimal(4, 2)', { unscaled: 1420n, scale: 2 }));
  });

  test('a nanosecond timestamp before 1970 hashes as its floored microseconds', () => {
    assert.equal(bucketHash('timestamp_ns', -1n), bucketHash('timestamp', -1n));
    assert.equal(bucketHash('timestamp_ns', -1000n), bucketHash('timestamp', -1n));
    assert.equal(bucketHash('timestamp_ns', -1001n), bucketHash('timestamp', -2n));
  });
});

describe('bucketOfHash', () => {
  test('masks the sign bit before taking the remainder, as Java does', () => {
    assert.equal(bucketOfHash(2017239379, 16), 2017239379 % 16);
    assert.equal(bucketOfHash(-653330422, 100), (-653330422 & 0x7fffffff) % 100);
    assert.equal(bucketOfHash(-(2 ** 31), 7), 0);
    assert.equal(bucketOfHash(-1, 2 ** 31 - 1), 0);
  });
});
