import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseJson, type JsonValue } from '../../json/lossless-json.js';
import { InvalidValueError } from './invalid-value-error.js';
import { formatJsonSingleValue, parseJsonSingleValue } from './json-single-value.js';
import type { Value } from './value.js';

function assertInvalid(type: string, json: JsonValue, message: RegExp): void {
  assert.throws(() => parseJsonSingleValue(type, json), (error: unknown) => {
    assert.ok(error instanceof InvalidValueError, `expected InvalidValueError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.match(error.message, message);
    return true;
  });
}

describe('parseJsonSingleValue: the spec examples', () => {
  test('reads each example of Appendix D', () => {
    const cases: [string, JsonValue, Value][] = [
      ['boolean', true, true],
      ['int', 34, 34],
      ['long', 34, 34n],
      ['float', 1.0, 1],
      ['double', 1.0, 1],
      ['decimal(4, 2)', '14.20', { unscaled: 1420n, scale: 2 }],
      ['date', '2017-11-16', 17_486],
      ['time', '22:31:08.123456', 81_068_123_456n],
      ['timestamp', '2017-11-16T22:31:08.123456', 1_510_871_468_123_456n],
      ['timestamptz', '2017-11-16T22:31:08.123456+00:00', 1_510_871_468_123_456n],
      ['timestamp_ns', '2017-11-16T22:31:08.123456789', 1_510_871_468_123_456_789n],
      ['timestamptz_ns', '2017-11-16T22:31:08.123456789+00:00', 1_510_871_468_123_456_789n],
      ['string', 'iceberg', 'iceberg'],
      ['uuid', 'f79c3e09-677c-4bbd-a479-3f349cb785e7', 'f79c3e09-677c-4bbd-a479-3f349cb785e7'],
      ['fixed[4]', '000102ff', Uint8Array.of(0, 1, 2, 255)],
      ['binary', '000102ff', Uint8Array.of(0, 1, 2, 255)],
    ];
    for (const [type, json, expected] of cases) assert.deepEqual(parseJsonSingleValue(type, json), expected, type);
  });

  test('reads JSON null as the absent value for every type', () => {
    assert.equal(parseJsonSingleValue('int', null), null);
    assert.equal(parseJsonSingleValue('decimal(9, 2)', null), null);
  });
});

describe('parseJsonSingleValue: what Java clients send', () => {
  test('reads a long beyond 2^53 exactly, as lossless JSON gives it', () => {
    assert.equal(parseJsonSingleValue('long', parseJson('9223372036854775807')), 9_223_372_036_854_775_807n);
    assert.equal(parseJsonSingleValue('long', parseJson('-9223372036854775808')), -(2n ** 63n));
  });

  test('reads "NaN", "Infinity" and "-Infinity" as Jackson writes non-finite floats and doubles', () => {
    assert.ok(Number.isNaN(parseJsonSingleValue('double', 'NaN') as number));
    assert.equal(parseJsonSingleValue('float', 'Infinity'), Number.POSITIVE_INFINITY);
    assert.equal(parseJsonSingleValue('double', '-Infinity'), Number.NEGATIVE_INFINITY);
  });

  test('rounds a float literal to the nearest 32-bit float', () => {
    assert.equal(parseJsonSingleValue('float', 0.1), Math.fround(0.1));
  });

  test('reads decimals in BigDecimal syntax, exponent included, when the scale matches', () => {
    assert.deepEqual(parseJsonSingleValue('decimal(4, 2)', '-14.20'), { unscaled: -1420n, scale: 2 });
    assert.deepEqual(parseJsonSingleValue('decimal(4, 2)', '1.420E+1'), { unscaled: 1420n, scale: 2 });
    assert.deepEqual(parseJsonSingleValue('decimal(4, 0)', '+14'), { unscaled: 14n, scale: 0 });
    assert.deepEqual(parseJsonSingleValue('decimal(4, 2)', '.50'), { unscaled: 50n, scale: 2 });
  });

  test('reads times and timestamps without seconds or with 1 to 9 fraction digits', () => {
    assert.equal(parseJsonSingleValue('time', '22:31'), 81_060_000_000n);
    assert.equal(parseJsonSingleValue('time', '22:31:08.1'), 81_068_100_000n);
    assert.equal(parseJsonSingleValue('timestamp', '2017-11-16T22:31'), 1_510_871_460_000_000n);
    assert.equal(parseJsonSingleValue('timestamp', '2017-11-16T22:31:08.123456000'), 1_510_871_468_123_456n);
    assert.equal(parseJsonSingleValue('timestamp_ns', '2017-11-16T22:31:08'), 1_510_871_468_000_000_000n);
  });

  test('reads a UTC timestamptz written with Z or -00:00', () => {
    assert.equal(parseJsonSingleValue('timestamptz', '1970-01-01T00:00:00Z'), 0n);
    assert.equal(parseJsonSingleValue('timestamptz', '1970-01-01T00:00:00.000001-00:00'), 1n);
  });

  test('reads dates and timestamps before 1970 and beyond year 9999', () => {
    assert.equal(parseJsonSingleValue('date', '1969-12-31'), -1);
    assert.equal(parseJsonSingleValue('date', '0000-03-01'), -719_468);
    assert.equal(parseJsonSingleValue('date', '-0001-12-31'), -719_529);
    assert.equal(parseJsonSingleValue('date', '+10000-01-01'), 2_932_897);
    assert.equal(parseJsonSingleValue('timestamp', '1969-12-31T23:59:59.999999'), -1n);
  });

  test('reads uuid and hex in upper case and writes them in lower case', () => {
    assert.equal(parseJsonSingleValue('uuid', 'F79C3E09-677C-4BBD-A479-3F349CB785E7'), 'f79c3e09-677c-4bbd-a479-3f349cb785e7');
    assert.deepEqual(parseJsonSingleValue('binary', 'ABCDEF'), Uint8Array.of(0xab, 0xcd, 0xef));
    assert.equal(formatJsonSingleValue('binary', Uint8Array.of(0xab, 0xcd, 0xef)), 'abcdef');
  });
});

describe('parseJsonSingleValue: malformed and out-of-range literals', () => {
  test('refuses a JSON value of the wrong kind for each type', () => {
    const cases: [string, JsonValue][] = [
      ['boolean', 'true'], ['int', '34'], ['long', '34'], ['float', true], ['double', 'one'], ['decimal(4, 2)', 14.2],
      ['date', 17_486], ['time', 0], ['timestamp', 0], ['string', 1], ['uuid', 1], ['fixed[1]', 1], ['binary', []],
      ['int', { value: 1 }],
    ];
    for (const [type, json] of cases) assertInvalid(type, json, /Cannot parse .* as a/);
  });

  test('refuses integers out of range or not integral', () => {
    assertInvalid('int', 2 ** 31, /32-bit range/);
    assertInvalid('int', -(2 ** 31) - 1, /32-bit range/);
    assertInvalid('int', 1.5, /32-bit range/);
    assertInvalid('long', parseJson('9223372036854775808'), /64-bit range/);
    assertInvalid('long', 1e20, /64-bit range/);
    assertInvalid('long', 0.5, /64-bit range/);
  });

  test('refuses floats and doubles beyond their range instead of reading infinity', () => {
    assertInvalid('float', 1e39, /out of the float range/);
    assertInvalid('double', parseJson('1e400'), /out of the double range/);
    assertInvalid('double', 'nan', /expected a JSON number/);
  });

  test('refuses a decimal whose scale differs from the type\'s, or with too many digits', () => {
    assertInvalid('decimal(4, 2)', '14.2', /scale is 1, the type's is 2/);
    assertInvalid('decimal(4, 2)', '14', /scale is 0/);
    assertInvalid('decimal(4, 0)', '2E+2', /scale is -2/);
    assertInvalid('decimal(4, 2)', '100.00', /more than 4 digits/);
    assertInvalid('decimal(4, 2)', '1,00', /not a decimal number/);
    assertInvalid('decimal(4, 2)', '.', /not a decimal number/);
    assertInvalid('decimal(4, 2)', '', /not a decimal number/);
    assertInvalid('decimal(4, 2)', ` 1.00`, /not a decimal number/);
    assertInvalid('decimal(38, 2)', `${'9'.repeat(1000)}.00`, /not a decimal number/);
  });

  test('refuses dates and times that do not exist', () => {
    assertInvalid('date', '2017-02-29', /not a valid date/);
    assertInvalid('date', '2016-13-01', /not a valid date/);
    assertInvalid('date', '2016-00-10', /not a valid date/);
    assertInvalid('date', '17-11-16', /not an ISO date/);
    assertInvalid('date', '12017-11-16', /malformed year/);
    assertInvalid('date', '+2017-11-16', /malformed year/);
    assertInvalid('date', '2017-11-16T00:00', /not an ISO date/);
    assertInvalid('date', '+999999999-01-01', /out of the date range/);
    assertInvalid('time', '24:00:00', /not a valid time/);
    assertInvalid('time', '23:60', /not a valid time/);
    assertInvalid('time', '23:59:60', /not a valid time/);
    assertInvalid('time', '1:02:03', /not an ISO time/);
    assertInvalid('time', '01:02:03.1234567890', /not an ISO time/);
  });

  test('refuses digits a microsecond type cannot hold rather than rounding them away', () => {
    assertInvalid('time', '22:31:08.1234567', /more precise than microseconds/);
    assertInvalid('timestamp', '2017-11-16T22:31:08.123456789', /more precise than microseconds/);
  });

  test('refuses a timestamptz without a zero offset and a timestamp with one', () => {
    assertInvalid('timestamptz', '2017-11-16T22:31:08', /needs the zone offset/);
    assertInvalid('timestamptz', '2017-11-16T14:31:08-08:00', /must be \+00:00/);
    assertInvalid('timestamptz_ns', '2017-11-16T22:31:08+01:00', /must be \+00:00/);
    assertInvalid('timestamp', '2017-11-16T22:31:08+00:00', /must not have an offset/);
    assertInvalid('timestamp_ns', '2017-11-16T22:31:08Z', /must not have an offset/);
    assertInvalid('timestamptz', '2017-11-16T22:31:08+19:00', /invalid zone offset/);
  });

  test('refuses timestamps beyond the 64-bit range', () => {
    assertInvalid('timestamp_ns', '2262-04-12T00:00:00', /out of the timestamp_ns range/);
    assertInvalid('timestamp', '+300000-01-01T00:00:00', /out of the timestamp range/);
    assert.equal(parseJsonSingleValue('timestamp_ns', '2262-04-11T23:47:16.854775807'), 2n ** 63n - 1n);
  });

  test('refuses malformed timestamps', () => {
    for (const text of ['', 'T', '2017-11-16', '2017-11-16 22:31:08', '2017-11-16T', '2017-11-16T22', '2017-11-16T22:31:08.', 'x2017-11-16T22:31']) {
      assertInvalid('timestamp', text, /timestamp/);
    }
  });

  test('refuses malformed uuid, hex and fixed of the wrong length', () => {
    assertInvalid('uuid', 'f79c3e09677c4bbda4793f349cb785e7', /8-4-4-4-12/);
    assertInvalid('uuid', '{f79c3e09-677c-4bbd-a479-3f349cb785e7}', /8-4-4-4-12/);
    assertInvalid('uuid', 'g79c3e09-677c-4bbd-a479-3f349cb785e7', /8-4-4-4-12/);
    assertInvalid('binary', 'abc', /hex string/);
    assertInvalid('binary', 'zz', /hex string/);
    assertInvalid('fixed[4]', '000102', /expected 4 bytes, got 3/);
  });

  test('refuses a string with an unpaired surrogate, which has no UTF-8 form', () => {
    assertInvalid('string', 'a\uD800b', /unpaired surrogate/);
  });

  test('refuses types planning has no values for', () => {
    assertInvalid('variant', 1, /no values of that type/);
    assertInvalid('geography', 'POINT (30 10)', /no values of that type/);
  });

  test('keeps a huge malformed input out of the message', () => {
    assertInvalid('int', 'x'.repeat(10_000), /^.{1,300}$/s);
  });
});

describe('formatJsonSingleValue', () => {
  test('writes each type as the spec shows it', () => {
    const cases: [string, Value, JsonValue][] = [
      ['boolean', false, false],
      ['int', -34, -34],
      ['long', 34n, 34],
      ['long', 2n ** 63n - 1n, 2n ** 63n - 1n],
      ['decimal(4, 2)', { unscaled: 1420n, scale: 2 }, '14.20'],
      ['decimal(4, 2)', { unscaled: -5n, scale: 2 }, '-0.05'],
      ['decimal(4, 0)', { unscaled: -14n, scale: 0 }, '-14'],
      ['date', 17_486, '2017-11-16'],
      ['date', -719_529, '-0001-12-31'],
      ['date', 2_932_897, '+10000-01-01'],
      ['time', 81_068_000_000n, '22:31:08.000000'],
      ['timestamp', 1_510_871_468_123_456n, '2017-11-16T22:31:08.123456'],
      ['timestamp', -1n, '1969-12-31T23:59:59.999999'],
      ['timestamptz', 1_510_871_468_123_456n, '2017-11-16T22:31:08.123456+00:00'],
      ['timestamp_ns', 1_510_871_468_123_456_789n, '2017-11-16T22:31:08.123456789'],
      ['timestamptz_ns', -1n, '1969-12-31T23:59:59.999999999+00:00'],
      ['uuid', 'f79c3e09-677c-4bbd-a479-3f349cb785e7', 'f79c3e09-677c-4bbd-a479-3f349cb785e7'],
      ['fixed[4]', Uint8Array.of(0, 1, 2, 255), '000102ff'],
      ['float', Math.fround(0.1), 0.1],
      ['double', Number.NaN, 'NaN'],
      ['float', Number.NEGATIVE_INFINITY, '-Infinity'],
    ];
    for (const [type, value, expected] of cases) assert.deepEqual(formatJsonSingleValue(type, value), expected, `${type} ${String(value)}`);
  });

  test('round-trips through JSON text for every type', () => {
    const cases: [string, Value][] = [
      ['boolean', true], ['int', -(2 ** 31)], ['long', -(2n ** 63n)], ['float', Math.fround(3.4028234663852886e38)],
      ['double', Number.MIN_VALUE], ['decimal(38, 38)', { unscaled: 10n ** 38n - 1n, scale: 38 }], ['date', -(2 ** 31)],
      ['date', 2 ** 31 - 1], ['time', 86_399_999_999n], ['timestamp', -(2n ** 63n)], ['timestamptz', 2n ** 63n - 1n],
      ['timestamp_ns', -(2n ** 63n)], ['timestamptz_ns', 2n ** 63n - 1n], ['string', '😀 "quoted" \\ \u0000'],
      ['uuid', '00000000-0000-0000-0000-000000000000'], ['binary', Uint8Array.of()], ['fixed[1]', Uint8Array.of(7)],
    ];
    for (const [type, value] of cases) {
      const text = JSON.stringify(formatJsonSingleValue(type, value), (_key, item: unknown) =>
        typeof item === 'bigint' ? JSON.rawJSON(item.toString()) : item);
      assert.deepEqual(parseJsonSingleValue(type, parseJson(text)), value, `${type} via ${text}`);
    }
  });

  test('writes null for the absent value', () => {
    assert.equal(formatJsonSingleValue('string', null), null);
  });

  test('refuses a value that is not of the type, as a bug', () => {
    assert.throws(() => formatJsonSingleValue('date', 1.5), TypeError);
    assert.throws(() => formatJsonSingleValue('time', 86_400_000_000n), TypeError);
    assert.throws(() => formatJsonSingleValue('variant', 1), TypeError);
  });
});
