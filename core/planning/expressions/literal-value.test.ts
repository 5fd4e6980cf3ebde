import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LiteralJson } from './expression.js';
import { convertLiteral, type LiteralConversion } from './literal-value.js';

const value = (json: LiteralJson, type: string, dataType?: string): unknown => {
  const converted: LiteralConversion = convertLiteral(json, type, dataType);
  if (converted.ok !== true) assert.fail(`expected ${String(json)} to convert to ${type}: ${String(converted.ok)}`);
  return converted.ok === true ? converted.value : undefined;
};
const outcome = (json: LiteralJson, type: string, dataType?: string): LiteralConversion['ok'] => convertLiteral(json, type, dataType).ok;

describe('convertLiteral: numbers', () => {
  it('converts integers to int, long, float, double', () => {
    assert.equal(value(7, 'int'), 7);
    assert.equal(value(7, 'long'), 7n);
    assert.equal(value(2n ** 62n, 'long'), 2n ** 62n);
    assert.equal(value(7, 'float'), 7);
    assert.equal(value(2n ** 62n, 'double'), 2 ** 62);
  });

  it('answers above-max / below-min outside the int and long ranges', () => {
    assert.equal(outcome(2 ** 31 - 1, 'int'), true);
    assert.equal(outcome(2 ** 31, 'int'), 'above-max');
    assert.equal(outcome(-(2 ** 31), 'int'), true);
    assert.equal(outcome(-(2 ** 31) - 1, 'int'), 'below-min');
    assert.equal(outcome(2n ** 63n, 'long'), 'above-max');
    assert.equal(outcome(-(2n ** 63n) - 1n, 'long'), 'below-min');
    assert.equal(outcome(1e300, 'long'), 'above-max');
  });

  it('refuses a fraction for an integer column', () => {
    assert.equal(outcome(1.5, 'int'), false);
    assert.equal(outcome('1', 'long'), false);
  });

  it('rounds to float and folds beyond the float range', () => {
    assert.equal(value(0.1, 'float'), Math.fround(0.1));
    assert.equal(value(0.1, 'double'), 0.1);
    assert.equal(outcome(1e39, 'float'), 'above-max');
    assert.equal(outcome(-1e39, 'float'), 'below-min');
  });

  it('refuses a boolean or string for numbers and a number for booleans', () => {
    assert.equal(outcome(true, 'int'), false);
    assert.equal(outcome('1.5', 'double'), false);
    assert.equal(outcome(1, 'boolean'), false);
    assert.equal(value(true, 'boolean'), true);
  });
});

describe('convertLiteral: decimals', () => {
  it('reads a string of exactly the column scale', () => {
    assert.deepEqual(value('123.45', 'decimal(9, 2)'), { unscaled: 12345n, scale: 2 });
    assert.deepEqual(value('-1.50', 'decimal(9, 2)'), { unscaled: -150n, scale: 2 });
    assert.deepEqual(value('1.42E+1', 'decimal(9, 1)'), { unscaled: 142n, scale: 1 });
  });

  it('refuses a string that would need rounding', () => {
    const converted = convertLiteral('1.234', 'decimal(9, 2)');
    assert.equal(converted.ok, false);
    assert.match(converted.ok === false ? converted.problem : '', /scale/);
    assert.equal(outcome('1.5', 'decimal(9, 2)'), false);
  });

  it('rounds a JSON number half up to the column scale', () => {
    assert.deepEqual(value(1.005, 'decimal(9, 3)'), { unscaled: 1005n, scale: 3 });
    assert.deepEqual(value(1.235, 'decimal(9, 2)'), { unscaled: 124n, scale: 2 });
    assert.deepEqual(value(7, 'decimal(9, 2)'), { unscaled: 700n, scale: 2 });
    assert.deepEqual(value(1e-7, 'decimal(9, 2)'), { unscaled: 0n, scale: 2 });
  });

  it('folds numbers beyond the precision and refuses such strings', () => {
    assert.equal(outcome(1e7, 'decimal(9, 2)'), 'above-max');
    assert.equal(outcome(-1e7, 'decimal(9, 2)'), 'below-min');
    assert.equal(outcome(9_999_999.99, 'decimal(9, 2)'), true);
    assert.equal(outcome('10000000.00', 'decimal(9, 2)'), false);
  });

  it('refuses malformed decimal text', () => {
    assert.equal(outcome('1,5', 'decimal(9, 2)'), false);
    assert.equal(outcome('', 'decimal(9, 2)'), false);
    assert.equal(outcome(true, 'decimal(9, 2)'), false);
  });
});

describe('convertLiteral: dates and times', () => {
  it('reads ISO dates as days from the epoch, and integers as days', () => {
    assert.equal(value('1970-01-01', 'date'), 0);
    assert.equal(value('1969-12-31', 'date'), -1);
    assert.equal(value('2024-02-29', 'date'), 19_782);
    assert.equal(value('0001-01-01', 'date'), -719_162);
    assert.equal(value(19_782, 'date'), 19_782);
  });

  it('refuses impossible or malformed dates', () => {
    for (const text of ['2023-02-29', '2024-13-01', '2024-1-01', '2024-01-01T00:00:00', 'yesterday']) assert.equal(outcome(text, 'date'), false, text);
  });

  it('reads times with up to microseconds', () => {
    assert.equal(value('00:00:00', 'time'), 0n);
    assert.equal(value('22:31:08.123456', 'time'), ((22n * 60n + 31n) * 60n + 8n) * 1_000_000n + 123_456n);
    assert.equal(value('00:00:00.5', 'time'), 500_000n);
    assert.equal(outcome('00:00:00.1234567', 'time'), false);
    assert.equal(value(5, 'time'), 5n);
    assert.equal(outcome('24:00:00', 'time'), false);
    assert.equal(outcome(86_400_000_000, 'time'), 'above-max');
  });

  it('reads timestamp without an offset and timestamptz with a zero one, as the spec says', () => {
    const micros = 1_196_676_930_123_456n; // 2007-12-03T10:15:30.123456Z
    assert.equal(value('2007-12-03T10:15:30.123456', 'timestamp'), micros);
    assert.equal(value('2007-12-03T10:15:30.123456+00:00', 'timestamptz'), micros);
    assert.equal(outcome('2007-12-03T12:15:30.123456+02:00', 'timestamptz'), false);
    assert.equal(value('2007-12-03T10:15:30.123456Z', 'timestamptz'), micros);
    assert.equal(outcome('2007-12-03T10:15:30.123456+00:00', 'timestamp'), false);
    assert.equal(outcome('2007-12-03T10:15:30.123456', 'timestamptz'), false);
    assert.equal(value(micros, 'timestamp'), micros);
  });

  it('reads nanosecond timestamps with nine fractional digits', () => {
    assert.equal(value('1970-01-01T00:00:00.000000001', 'timestamp_ns'), 1n);
    assert.equal(value('1970-01-01T00:00:01+00:00', 'timestamptz_ns'), 1_000_000_000n);
    assert.equal(outcome('1970-01-01T00:00:00.000000001', 'timestamp'), false);
  });

  it('widens a typed date to a timestamp', () => {
    assert.equal(value('1970-01-02', 'timestamptz_ns', 'date'), 86_400_000_000_000n);
  });
});

describe('convertLiteral: strings, uuids and bytes', () => {
  it('keeps strings and lower-cases uuids', () => {
    assert.equal(value('héllo', 'string'), 'héllo');
    assert.equal(value('EB26BDB1-A1D8-4AA6-990E-DA940875492C', 'uuid'), 'eb26bdb1-a1d8-4aa6-990e-da940875492c');
    assert.equal(outcome('eb26bdb1a1d84aa6990eda940875492c', 'uuid'), false);
    assert.equal(outcome(5, 'string'), false);
  });

  it('reads hex for binary and fixed, checking the fixed length', () => {
    assert.deepEqual(value('78797A', 'binary'), new Uint8Array([0x78, 0x79, 0x7a]));
    assert.deepEqual(value('78797a', 'fixed[3]'), new Uint8Array([0x78, 0x79, 0x7a]));
    assert.deepEqual(value('', 'binary'), new Uint8Array([]));
    assert.equal(outcome('7879', 'fixed[3]'), false);
    assert.equal(outcome('787', 'binary'), false);
    assert.equal(outcome('zz', 'binary'), false);
  });

  it('has no literals for variant, geometry or unknown', () => {
    assert.equal(outcome('x', 'variant'), false);
    assert.equal(outcome('x', 'geometry'), false);
  });
});

describe('convertLiteral: NaN and infinities', () => {
  it('refuses a NaN literal and reads the infinities', () => {
    assert.equal(outcome('NaN', 'double'), false);
    assert.equal(value('Infinity', 'double'), Number.POSITIVE_INFINITY);
    assert.equal(value('-Infinity', 'float'), Number.NEGATIVE_INFINITY);
  });
});

describe('convertLiteral: typed literals', () => {
  it('widens int to long and double, float to double', () => {
    assert.equal(value(3, 'long', 'int'), 3n);
    assert.equal(value(3, 'double', 'int'), 3);
    assert.equal(value(0.1, 'double', 'float'), Math.fround(0.1));
  });

  it('reads a decimal of the same scale whatever its precision', () => {
    assert.deepEqual(value('1.50', 'decimal(9, 2)', 'decimal(38, 2)'), { unscaled: 150n, scale: 2 });
    assert.equal(outcome('1.5', 'decimal(9, 2)', 'decimal(9, 1)'), false);
  });

  it('refuses an int literal out of its declared range', () => {
    assert.equal(outcome(2 ** 31, 'long', 'int'), 'above-max');
  });

  it('refuses unrelated types', () => {
    assert.equal(outcome('2024-01-01', 'string', 'date'), false);
    assert.equal(outcome(1, 'date', 'int'), false);
  });
});
