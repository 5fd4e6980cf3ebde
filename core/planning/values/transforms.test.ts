import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTransform, type Transform } from '../../metadata/transforms.js';
import { formatJsonSingleValue, parseJsonSingleValue } from './json-single-value.js';
import { encodeSingleValue } from './single-value-binary.js';
import { applyTransform, transformFor, transformResultType } from './transforms.js';
import type { Value } from './value.js';

function aTransform(text: string): Transform {
  const parsed = parseTransform(text);
  assert.ok(parsed.ok);
  return parsed.transform;
}

function apply(transform: string, type: string, value: Value | null): Value | null {
  return applyTransform(aTransform(transform), type, value);
}

function fromJson(type: string, json: string | number): Value {
  return parseJsonSingleValue(type, json) as Value;
}

describe('identity and void', () => {
  test('identity returns the value itself', () => {
    assert.equal(apply('identity', 'string', 'iceberg'), 'iceberg');
    assert.deepEqual(apply('identity', 'decimal(4, 2)', { unscaled: 1n, scale: 2 }), { unscaled: 1n, scale: 2 });
  });

  test('void maps every value to null', () => {
    assert.equal(apply('void', 'int', 34), null);
    assert.equal(apply('void', 'uuid', 'f79c3e09-677c-4bbd-a479-3f349cb785e7'), null);
  });

  test('every transform maps null to null', () => {
    for (const [transform, type] of [['identity', 'int'], ['bucket[4]', 'string'], ['truncate[2]', 'binary'], ['year', 'date'], ['hour', 'timestamptz_ns']]) {
      assert.equal(apply(transform as string, type as string, null), null);
    }
  });
});

describe('bucket[N]', () => {
  test('takes (hash & Integer.MAX_VALUE) % N of the spec hash', () => {
    assert.equal(apply('bucket[16]', 'int', 34), 2017239379 % 16);
    assert.equal(apply('bucket[100]', 'date', fromJson('date', '2017-11-16')), (-653330422 & 0x7fffffff) % 100);
    assert.equal(apply('bucket[1000]', 'string', 'iceberg'), 1210000089 % 1000);
  });

  test('puts an int and the same long in the same bucket', () => {
    assert.equal(apply('bucket[7]', 'int', -5), apply('bucket[7]', 'long', -5n));
  });
});

describe('truncate[W]', () => {
  test('rounds ints and longs down to a multiple of W, negatives included (spec examples)', () => {
    assert.equal(apply('truncate[10]', 'int', 1), 0);
    assert.equal(apply('truncate[10]', 'int', -1), -10);
    assert.equal(apply('truncate[10]', 'int', -10), -10);
    assert.equal(apply('truncate[10]', 'int', 19), 10);
    assert.equal(apply('truncate[10]', 'long', 1n), 0n);
    assert.equal(apply('truncate[10]', 'long', -1n), -10n);
  });

  test('wraps at the edge of the int and long ranges as Java\'s arithmetic does', () => {
    assert.equal(apply('truncate[10]', 'int', -(2 ** 31)), 2 ** 31 - 2);
    assert.equal(apply('truncate[10]', 'long', -(2n ** 63n)), 2n ** 63n - 2n);
    assert.equal(apply('truncate[2147483647]', 'int', 2 ** 31 - 2), -(2 ** 31) + 1);
  });

  test('truncates a decimal\'s unscaled value, keeping the scale (spec example 10.65 -> 10.60)', () => {
    assert.deepEqual(apply('truncate[50]', 'decimal(4, 2)', fromJson('decimal(4, 2)', '10.65')), { unscaled: 1050n, scale: 2 });
    assert.deepEqual(apply('truncate[10]', 'decimal(4, 2)', fromJson('decimal(4, 2)', '10.65')), { unscaled: 1060n, scale: 2 });
    assert.deepEqual(apply('truncate[10]', 'decimal(4, 2)', fromJson('decimal(4, 2)', '-0.05')), { unscaled: -10n, scale: 2 });
  });

  test('may round a decimal past its precision, as Java does, and the result still encodes and formats', () => {
    const truncated = apply('truncate[10]', 'decimal(3, 0)', { unscaled: -999n, scale: 0 });
    assert.deepEqual(truncated, { unscaled: -1000n, scale: 0 });
    assert.equal(formatJsonSingleValue('decimal(3, 0)', truncated), '-1000');
    assert.deepEqual(encodeSingleValue('decimal(3, 0)', truncated as Value), Uint8Array.of(0xfc, 0x18));
  });

  test('keeps the first W code points of a string, a surrogate pair being one', () => {
    assert.equal(apply('truncate[3]', 'string', 'iceberg'), 'ice');
    assert.equal(apply('truncate[2]', 'string', '😀😁😂'), '😀😁');
    assert.equal(apply('truncate[2]', 'string', 'a😀b'), 'a😀');
    assert.equal(apply('truncate[10]', 'string', 'ab'), 'ab');
  });

  test('keeps the first W bytes of binary', () => {
    assert.deepEqual(apply('truncate[2]', 'binary', Uint8Array.of(1, 2, 3)), Uint8Array.of(1, 2));
    assert.deepEqual(apply('truncate[4]', 'binary', Uint8Array.of(1)), Uint8Array.of(1));
  });
});

describe('year, month, day and hour', () => {
  const timestamp = '2017-11-16T22:31:08.123456';

  test('count units from 1970 for dates and every timestamp type', () => {
    const values: [string, Value][] = [
      ['timestamp', fromJson('timestamp', timestamp)],
      ['timestamptz', fromJson('timestamptz', `${timestamp}+00:00`)],
      ['timestamp_ns', fromJson('timestamp_ns', `${timestamp}789`)],
      ['timestamptz_ns', fromJson('timestamptz_ns', `${timestamp}789+00:00`)],
    ];
    for (const [type, value] of values) {
      assert.equal(apply('year', type, value), 47, type);
      assert.equal(apply('month', type, value), 47 * 12 + 10, type);
      assert.equal(apply('day', type, value), 17_486, type);
      assert.equal(apply('hour', type, value), 17_486 * 24 + 22, type);
    }
    const date = fromJson('date', '2017-11-16');
    assert.equal(apply('year', 'date', date), 47);
    assert.equal(apply('month', 'date', date), 574);
    assert.equal(apply('day', 'date', date), 17_486);
  });

  test('round down before 1970: the last instant of 1969 is year, month, day and hour -1', () => {
    for (const [type, value] of [['timestamp', -1n], ['timestamptz_ns', -1n]] as const) {
      for (const unit of ['year', 'month', 'day', 'hour']) assert.equal(apply(unit, type, value), -1, `${unit} of ${type}`);
    }
    for (const unit of ['year', 'month', 'day']) assert.equal(apply(unit, 'date', -1), -1, unit);
  });

  test('round down exactly at unit boundaries before 1970', () => {
    assert.equal(apply('year', 'date', fromJson('date', '1969-01-01')), -1);
    assert.equal(apply('year', 'date', fromJson('date', '1968-12-31')), -2);
    assert.equal(apply('month', 'date', fromJson('date', '1969-01-01')), -12);
    assert.equal(apply('hour', 'timestamp', -3_600_000_000n), -1);
    assert.equal(apply('hour', 'timestamp', -3_600_000_001n), -2);
    assert.equal(apply('day', 'timestamp_ns', -86_400_000_000_000n), -1);
    assert.equal(apply('day', 'timestamp_ns', -86_400_000_000_001n), -2);
  });

  test('handle leap days and far years', () => {
    assert.equal(apply('month', 'date', fromJson('date', '2000-02-29')), 30 * 12 + 1);
    assert.equal(apply('year', 'timestamp', fromJson('timestamp', '+10000-01-01T00:00:00')), 8030);
    assert.equal(apply('year', 'date', fromJson('date', '-0001-12-31')), -1 - 1970);
  });
});

describe('transformResultType', () => {
  test('gives each transform\'s result type (day is a date, as in Java)', () => {
    assert.deepEqual(transformResultType(aTransform('identity'), 'decimal(9,2)'), { kind: 'decimal', precision: 9, scale: 2 });
    assert.deepEqual(transformResultType(aTransform('void'), 'uuid'), { kind: 'uuid' });
    assert.deepEqual(transformResultType(aTransform('bucket[8]'), 'string'), { kind: 'int' });
    assert.deepEqual(transformResultType(aTransform('truncate[8]'), 'binary'), { kind: 'binary' });
    assert.deepEqual(transformResultType(aTransform('year'), 'timestamptz'), { kind: 'int' });
    assert.deepEqual(transformResultType(aTransform('month'), 'date'), { kind: 'int' });
    assert.deepEqual(transformResultType(aTransform('day'), 'timestamp_ns'), { kind: 'date' });
    assert.deepEqual(transformResultType(aTransform('hour'), 'timestamp'), { kind: 'int' });
  });

  test('has no result for an unknown transform or a source type the transform refuses', () => {
    assert.equal(transformResultType(aTransform('zorder'), 'int'), undefined);
    assert.equal(transformResultType(aTransform('bucket[4]'), 'float'), undefined);
    assert.equal(transformResultType(aTransform('truncate[4]'), 'uuid'), undefined);
    assert.equal(transformResultType(aTransform('hour'), 'date'), undefined);
    assert.equal(transformResultType(aTransform('identity'), 'variant'), undefined);
  });
});

describe('transformFor', () => {
  test('is undefined when the transform does not apply, so planning skips that field', () => {
    assert.equal(transformFor(aTransform('zorder'), 'int'), undefined);
    assert.equal(transformFor(aTransform('year'), 'string'), undefined);
    assert.throws(() => applyTransform(aTransform('year'), 'string', 'x'), TypeError);
  });
});
