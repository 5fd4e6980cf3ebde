import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { comparatorFor, compareSameType, compareStrings, compareUuidsSignedLegacy, compareValues } from './compare.js';
import { encodeSingleValue } from './single-value-binary.js';
import type { Value } from './value.js';
import { valueKey } from './value-key.js';

/** Asserts that `values` are in strictly ascending order under the type's comparator, pairwise. */
function assertAscending(type: string, values: readonly Value[]): void {
  for (let i = 0; i < values.length; i += 1) {
    for (let j = 0; j < values.length; j += 1) {
      const expected = Math.sign(i - j);
      const left = values[i] as Value;
      const right = values[j] as Value;
      assert.equal(compareValues(type, left, right), expected, `${type}: ${String(left)} vs ${String(right)}`);
    }
  }
}

describe('compareValues', () => {
  test('orders booleans false before true', () => {
    assertAscending('boolean', [false, true]);
  });

  test('orders ints, dates and longs as signed numbers', () => {
    assertAscending('int', [-(2 ** 31), -1, 0, 1, 2 ** 31 - 1]);
    assertAscending('date', [-719_529, -1, 0, 17_486]);
    assertAscending('long', [-(2n ** 63n), -1n, 0n, 2n ** 53n + 1n, 2n ** 63n - 1n]);
    assertAscending('timestamptz_ns', [-1n, 0n, 1n]);
  });

  test('orders floats as Java does: -Infinity < -1 < -0 < 0 < Infinity < NaN', () => {
    assertAscending('double', [Number.NEGATIVE_INFINITY, -1, -0, 0, Number.MIN_VALUE, Number.POSITIVE_INFINITY, Number.NaN]);
    assertAscending('float', [-1.5, -0, 0, 1.5]);
  });

  test('treats NaN as equal to NaN', () => {
    assert.equal(compareValues('double', Number.NaN, -Number.NaN), 0);
  });

  test('orders decimals by value, whatever their scales', () => {
    assertAscending('decimal(9, 2)', [{ unscaled: -1000n, scale: 2 }, { unscaled: -1n, scale: 2 }, { unscaled: 0n, scale: 2 }, { unscaled: 1420n, scale: 2 }]);
    assert.equal(compareValues('decimal(9, 2)', { unscaled: 1420n, scale: 2 }, { unscaled: 142n, scale: 1 }), 0);
    assert.equal(compareValues('decimal(9, 2)', { unscaled: 1421n, scale: 2 }, { unscaled: 142n, scale: 1 }), 1);
  });

  test('orders strings by code point, which is UTF-8 byte order, not UTF-16 order', () => {
    assert.ok('\uFFFF' > '😀', 'JS orders them by UTF-16 code units the other way');
    assertAscending('string', ['', 'a', 'ab', 'b', '\u00e9', '\uD7FF', '\uE000', '\uFFFF', '😀', '😁', '\u{10FFFF}']);
  });

  test('agrees with comparing the UTF-8 bytes', () => {
    const strings = ['', 'a', 'é', '\uFFFF', '😀', 'a😀', 'a\uFFFF', '\u{10000}', '\uFB01', 'z'];
    for (const left of strings) {
      for (const right of strings) {
        const bytes = compareValues('binary', encodeSingleValue('string', left), encodeSingleValue('string', right));
        assert.equal(compareStrings(left, right), bytes, `${left} vs ${right}`);
      }
    }
  });

  test('orders binary and fixed as unsigned bytes, a prefix first', () => {
    assertAscending('binary', [Uint8Array.of(), Uint8Array.of(0), Uint8Array.of(0, 0), Uint8Array.of(0x7f), Uint8Array.of(0x80), Uint8Array.of(0xff)]);
    assertAscending('fixed[2]', [Uint8Array.of(0, 0xff), Uint8Array.of(1, 0), Uint8Array.of(0xff, 0)]);
  });

  test('orders uuids as unsigned big-endian bytes', () => {
    assertAscending('uuid', [
      '00000000-0000-0000-0000-000000000000',
      '7fffffff-ffff-ffff-0000-000000000000',
      '80000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
    ]);
  });

  test('offers the legacy java.util.UUID order (two signed longs) for bounds older writers wrote', () => {
    const low = '7fffffff-ffff-ffff-0000-000000000000';
    const high = '80000000-0000-0000-0000-000000000000';
    assert.equal(compareUuidsSignedLegacy(low, high), 1);
    assert.equal(compareUuidsSignedLegacy('00000000-0000-0000-8000-000000000000', '00000000-0000-0000-7fff-ffffffffffff'), -1);
    assert.equal(compareUuidsSignedLegacy(low, low), 0);
  });

  test('has no order for types without values', () => {
    assert.equal(comparatorFor('variant'), undefined);
    assert.throws(() => compareValues('geometry', 1, 2), TypeError);
  });
});

describe('compareSameType', () => {
  test('orders values by their JS form as the typed comparators do', () => {
    assert.equal(compareSameType(-0, 0), -1);
    assert.equal(compareSameType(Number.NaN, Number.POSITIVE_INFINITY), 1);
    assert.equal(compareSameType(-(2n ** 63n), 0n), -1);
    assert.equal(compareSameType('\uFFFF', '😀'), -1);
    assert.equal(compareSameType('7fffffff-ffff-ffff-0000-000000000000', '80000000-0000-0000-0000-000000000000'), -1);
    assert.equal(compareSameType(true, false), 1);
    assert.equal(compareSameType(Uint8Array.of(0x80), Uint8Array.of(0x7f, 0xff)), 1);
    assert.equal(compareSameType({ unscaled: 142n, scale: 1 }, { unscaled: 1420n, scale: 2 }), 0);
  });

  test('refuses values of different JS forms', () => {
    assert.throws(() => compareSameType(1, 1n), TypeError);
    assert.throws(() => compareSameType('a', Uint8Array.of(0x61)), TypeError);
    assert.throws(() => compareSameType({ unscaled: 1n, scale: 0 }, Uint8Array.of(1)), TypeError);
  });
});

describe('valueKey', () => {
  test('is equal exactly for equal values of one type', () => {
    assert.equal(valueKey(Uint8Array.of(1, 2).subarray(0, 2)), valueKey(Uint8Array.of(1, 2)));
    assert.equal(valueKey(2n ** 64n), valueKey(2n ** 64n));
    assert.equal(valueKey(Number.NaN), valueKey(-Number.NaN));
    assert.notEqual(valueKey(-0), valueKey(0));
    assert.notEqual(valueKey('1'), valueKey(1));
    assert.notEqual(valueKey(1), valueKey(1n));
    assert.notEqual(valueKey(true), valueKey('b1'.slice(1)));
    assert.notEqual(valueKey(Uint8Array.of(0x61)), valueKey('a'));
    assert.equal(new Set([valueKey({ unscaled: 5n, scale: 2 }), valueKey({ unscaled: 5n, scale: 2 })]).size, 1);
  });
});
