import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeSingleValue, encodeSingleValue, type DecodeResult } from './single-value-binary.js';
import type { Value } from './value.js';

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

function decoded(result: DecodeResult): Value {
  assert.ok(result.ok, result.ok ? '' : result.problem);
  return result.value;
}

function assertRefused(result: DecodeResult, problem: RegExp): void {
  assert.equal(result.ok, false);
  if (!result.ok) assert.match(result.problem, problem);
}

describe('decodeSingleValue', () => {
  test('reads int and date as 4-byte little-endian signed integers', () => {
    assert.equal(decoded(decodeSingleValue('int', bytes(0x22, 0, 0, 0))), 34);
    assert.equal(decoded(decodeSingleValue('int', bytes(0xff, 0xff, 0xff, 0xff))), -1);
    assert.equal(decoded(decodeSingleValue('date', bytes(0x00, 0x00, 0x00, 0x80))), -(2 ** 31));
  });

  test('reads long, time and timestamps as 8-byte little-endian signed integers', () => {
    assert.equal(decoded(decodeSingleValue('long', bytes(0x22, 0, 0, 0, 0, 0, 0, 0))), 34n);
    assert.equal(decoded(decodeSingleValue('long', bytes(0, 0, 0, 0, 0, 0, 0, 0x80))), -(2n ** 63n));
    assert.equal(decoded(decodeSingleValue('timestamptz_ns', bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))), -1n);
    assert.equal(decoded(decodeSingleValue('time', encodeSingleValue('time', 81_068_000_000n))), 81_068_000_000n);
  });

  test('reads a 4-byte long bound as the int it was written as before promotion', () => {
    assert.equal(decoded(decodeSingleValue('long', bytes(0xfe, 0xff, 0xff, 0xff))), -2n);
  });

  test('reads a 4-byte double bound as the float it was written as before promotion', () => {
    assert.equal(decoded(decodeSingleValue('double', encodeSingleValue('float', 1.5))), 1.5);
  });

  test('reads a 4-byte timestamp bound as the midnight of the date it was written as', () => {
    assert.equal(decoded(decodeSingleValue('timestamp', encodeSingleValue('date', 1))), 86_400_000_000n);
    assert.equal(decoded(decodeSingleValue('timestamp_ns', encodeSingleValue('date', -1))), -86_400_000_000_000n);
  });

  test('refuses a date bound outside the promoted timestamp_ns range instead of wrapping it', () => {
    assertRefused(decodeSingleValue('timestamp_ns', encodeSingleValue('date', 2 ** 31 - 1)), /outside the timestamp_ns range/);
  });

  test('does not read a 4-byte timestamptz bound (a date is never promoted to timestamptz)', () => {
    assertRefused(decodeSingleValue('timestamptz', bytes(1, 0, 0, 0)), /8 bytes, got 4/);
  });

  test('reads floats and doubles as IEEE 754 little-endian', () => {
    assert.equal(decoded(decodeSingleValue('float', bytes(0, 0, 0x80, 0x3f))), 1);
    assert.equal(decoded(decodeSingleValue('double', bytes(0, 0, 0, 0, 0, 0, 0xf0, 0xbf))), -1);
    assert.ok(Number.isNaN(decoded(decodeSingleValue('double', bytes(0, 0, 0, 0, 0, 0, 0xf8, 0x7f))) as number));
    assert.ok(Object.is(decoded(decodeSingleValue('float', bytes(0, 0, 0, 0x80))), -0));
  });

  test('reads a boolean from one byte, any non-zero byte being true', () => {
    assert.equal(decoded(decodeSingleValue('boolean', bytes(0))), false);
    assert.equal(decoded(decodeSingleValue('boolean', bytes(1))), true);
    assert.equal(decoded(decodeSingleValue('boolean', bytes(0x7f))), true);
  });

  test('reads strings as UTF-8, keeping a leading byte order mark', () => {
    assert.equal(decoded(decodeSingleValue('string', bytes(0x69, 0x63, 0x65))), 'ice');
    assert.equal(decoded(decodeSingleValue('string', bytes(0xf0, 0x9f, 0x98, 0x80))), '😀');
    assert.equal(decoded(decodeSingleValue('string', bytes(0xef, 0xbb, 0xbf, 0x61))), '\uFEFFa');
    assert.equal(decoded(decodeSingleValue('string', bytes())), '');
  });

  test('reads a uuid from 16 big-endian bytes as lowercase text', () => {
    const uuid = bytes(0xf7, 0x9c, 0x3e, 0x09, 0x67, 0x7c, 0x4b, 0xbd, 0xa4, 0x79, 0x3f, 0x34, 0x9c, 0xb7, 0x85, 0xe7);
    assert.equal(decoded(decodeSingleValue('uuid', uuid)), 'f79c3e09-677c-4bbd-a479-3f349cb785e7');
  });

  test('reads decimals as big-endian two\'s complement of the unscaled value, padded or not', () => {
    assert.deepEqual(decoded(decodeSingleValue('decimal(4,2)', bytes(0x05, 0x8c))), { unscaled: 1420n, scale: 2 });
    assert.deepEqual(decoded(decodeSingleValue('decimal(4, 2)', bytes(0xff, 0xff, 0xfa, 0x74))), { unscaled: -1420n, scale: 2 });
    assert.deepEqual(decoded(decodeSingleValue('decimal(9, 0)', bytes(0x80))), { unscaled: -128n, scale: 0 });
  });

  test('copies fixed and binary bytes so later changes to the manifest buffer do not leak in', () => {
    const source = bytes(1, 2, 3);
    const value = decoded(decodeSingleValue('binary', source));
    source[0] = 9;
    assert.deepEqual(value, bytes(1, 2, 3));
    assert.deepEqual(decoded(decodeSingleValue('fixed[3]', bytes(0, 0xff, 7))), bytes(0, 0xff, 7));
  });

  test('decodes from a view into a larger buffer at an odd offset', () => {
    const buffer = bytes(0xaa, 0x22, 0, 0, 0, 0, 0, 0, 0, 0xbb);
    assert.equal(decoded(decodeSingleValue('long', buffer.subarray(1, 9))), 34n);
    assert.equal(decoded(decodeSingleValue('int', buffer.subarray(1, 5))), 34);
  });
});

describe('decodeSingleValue on hostile bytes', () => {
  test('refuses an int bound of 3 bytes', () => {
    assertRefused(decodeSingleValue('int', bytes(1, 2, 3)), /int value is 4 bytes, got 3/);
  });

  test('refuses wrong lengths for every fixed-width type', () => {
    const cases: [string, number][] = [
      ['boolean', 2], ['boolean', 0], ['int', 8], ['date', 0], ['long', 5], ['long', 9], ['time', 4], ['timestamp', 7],
      ['timestamptz_ns', 16], ['float', 8], ['double', 5], ['uuid', 15], ['uuid', 17], ['fixed[4]', 3], ['fixed[4]', 5],
    ];
    for (const [type, length] of cases) {
      assert.equal(decodeSingleValue(type, new Uint8Array(length)).ok, false, `${type} of ${length} bytes`);
    }
  });

  test('refuses a time outside a day', () => {
    assertRefused(decodeSingleValue('time', encodeSingleValue('long', 86_400_000_000n)), /within a day/);
    assertRefused(decodeSingleValue('time', encodeSingleValue('long', -1n)), /within a day/);
  });

  test('refuses invalid UTF-8 (a lone continuation byte, a truncated sequence, an encoded surrogate)', () => {
    assertRefused(decodeSingleValue('string', bytes(0x80)), /not valid UTF-8/);
    assertRefused(decodeSingleValue('string', bytes(0xf0, 0x9f, 0x98)), /not valid UTF-8/);
    assertRefused(decodeSingleValue('string', bytes(0xed, 0xa0, 0x80)), /not valid UTF-8/);
  });

  test('refuses an empty decimal, one longer than 16 bytes, and one with more digits than the precision', () => {
    assertRefused(decodeSingleValue('decimal(9, 2)', bytes()), /1 to 16 bytes, got 0/);
    assertRefused(decodeSingleValue('decimal(38, 0)', new Uint8Array(17)), /got 17/);
    assertRefused(decodeSingleValue('decimal(3, 2)', bytes(0x03, 0xe8)), /more than 3 digits/);
  });

  test('refuses types planning has no values for', () => {
    assertRefused(decodeSingleValue('variant', bytes(1)), /no single-value form/);
    assertRefused(decodeSingleValue('geometry', bytes(1)), /no single-value form/);
    assertRefused(decodeSingleValue('not a type', bytes(1)), /no single-value form/);
  });
});

describe('encodeSingleValue', () => {
  test('round-trips a value of every type', () => {
    const cases: [string, Value][] = [
      ['boolean', true], ['int', -34], ['date', 17_486], ['long', 2n ** 63n - 1n], ['time', 0n], ['timestamp', -1n],
      ['timestamptz', 1_510_871_468_000_000n], ['timestamp_ns', -(2n ** 63n)], ['timestamptz_ns', 1n], ['float', -1.5],
      ['double', Math.PI], ['string', 'a😀\uFFFF'], ['uuid', 'f79c3e09-677c-4bbd-a479-3f349cb785e7'],
      ['fixed[2]', bytes(0, 255)], ['binary', bytes()], ['decimal(38, 10)', { unscaled: -(10n ** 38n - 1n), scale: 10 }],
    ];
    for (const [type, value] of cases) {
      assert.deepEqual(decoded(decodeSingleValue(type, encodeSingleValue(type, value))), value, type);
    }
  });

  test('writes decimals with the minimum number of bytes, sign bit included', () => {
    assert.deepEqual(encodeSingleValue('decimal(4, 2)', { unscaled: 1420n, scale: 2 }), bytes(0x05, 0x8c));
    assert.deepEqual(encodeSingleValue('decimal(3, 0)', { unscaled: 128n, scale: 0 }), bytes(0x00, 0x80));
    assert.deepEqual(encodeSingleValue('decimal(3, 0)', { unscaled: -128n, scale: 0 }), bytes(0x80));
    assert.deepEqual(encodeSingleValue('decimal(3, 0)', { unscaled: 0n, scale: 0 }), bytes(0x00));
  });

  test('refuses a value that is not of the type, as a bug', () => {
    assert.throws(() => encodeSingleValue('int', 2 ** 31), TypeError);
    assert.throws(() => encodeSingleValue('long', 1), TypeError);
    assert.throws(() => encodeSingleValue('decimal(4, 2)', { unscaled: 1n, scale: 3 }), TypeError);
    assert.throws(() => encodeSingleValue('decimal(4, 2)', { unscaled: 1n, scale: 2.5 } as never), TypeError);
    assert.throws(() => encodeSingleValue('fixed[4]', bytes(1)), TypeError);
    assert.throws(() => encodeSingleValue('uuid', 'F79C3E09-677C-4BBD-A479-3F349CB785E7'), TypeError);
    assert.throws(() => encodeSingleValue('string', '\uD800'), TypeError);
    assert.throws(() => encodeSingleValue('float', 0.1), TypeError);
  });
});
