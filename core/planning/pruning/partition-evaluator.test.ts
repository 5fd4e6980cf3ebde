import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AvroRecord } from '../../avro/datum-reader.js';
import type { JsonValue } from '../../json/lossless-json.js';
import { applyTransform } from '../values/index.js';
import { partitionMightMatch } from './partition-evaluator.js';
import { partitionValueOf } from './partition-values.js';
import { projectInclusive } from './project-inclusive.js';
import { andOf, bind, cmp, fieldsOf, orOf, partitionField, ref, set, unary } from './test-fixtures.js';
import type { PartitionFieldInfo } from './partition-fields.js';

const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

describe('partitionValueOf', () => {
  it('reads each Avro form as the Value of the field type', () => {
    assert.deepEqual(partitionValueOf(5, { kind: 'int' }), { known: true, value: 5 });
    assert.deepEqual(partitionValueOf(5n, { kind: 'long' }), { known: true, value: 5n });
    assert.deepEqual(partitionValueOf(5, { kind: 'long' }), { known: true, value: 5n }, 'an int written before promotion to long');
    assert.deepEqual(partitionValueOf(17486, { kind: 'date' }), { known: true, value: 17486 });
    assert.deepEqual(partitionValueOf(7n, { kind: 'timestamp' }), { known: true, value: 7n });
    assert.deepEqual(partitionValueOf(new Uint8Array([0xff, 0x85]), { kind: 'decimal', precision: 9, scale: 2 }), {
      known: true,
      value: { unscaled: -123n, scale: 2 },
    });
    const uuidBytes = new Uint8Array([0xf7, 0x9c, 0x3e, 0x09, 0x67, 0x7c, 0x4b, 0xbd, 0xa4, 0x79, 0x3f, 0x34, 0x9c, 0xb7, 0x85, 0xe7]);
    assert.deepEqual(partitionValueOf(uuidBytes, { kind: 'uuid' }), { known: true, value: 'f79c3e09-677c-4bbd-a479-3f349cb785e7' });
    assert.deepEqual(partitionValueOf('F79C3E09-677C-4BBD-A479-3F349CB785E7', { kind: 'uuid' }), { known: true, value: 'f79c3e09-677c-4bbd-a479-3f349cb785e7' });
    assert.deepEqual(partitionValueOf(null, { kind: 'string' }), { known: true, value: null });
  });

  it('refuses values of the wrong form as unknown', () => {
    assert.deepEqual(partitionValueOf('5', { kind: 'int' }), { known: false });
    assert.deepEqual(partitionValueOf(2 ** 40, { kind: 'int' }), { known: false });
    assert.deepEqual(partitionValueOf(5n, { kind: 'int' }), { known: false });
    assert.deepEqual(partitionValueOf(new Uint8Array(3), { kind: 'uuid' }), { known: false });
    assert.deepEqual(partitionValueOf(new Uint8Array(2), { kind: 'fixed', length: 3 }), { known: false });
    assert.deepEqual(partitionValueOf(new Uint8Array(17), { kind: 'decimal', precision: 38, scale: 0 }), { known: false });
    assert.deepEqual(partitionValueOf(90_000_000_000n, { kind: 'time' }), { known: false });
    assert.deepEqual(partitionValueOf(undefined, { kind: 'int' }), { known: false });
  });
});

/** Spec 0 partitions by identity(i); spec 1 (after evolution) by bucket[4](id) and day(ts). */
const spec0 = fieldsOf(partitionField(3, 'i', 'identity', 1000));
const spec1 = fieldsOf(partitionField(1, 'id_bucket', 'bucket[4]', 1001), partitionField(8, 'ts_day', 'day', 1002));

const might = (filter: JsonValue, fields: readonly PartitionFieldInfo[], partition: AvroRecord): boolean =>
  partitionMightMatch(projectInclusive(bind(filter), fields), fields, partition);

describe('partitionMightMatch', () => {
  it('evaluates the projection against an identity tuple', () => {
    assert.equal(might(cmp('eq', ref('i'), 5), spec0, { i: 5 }), true);
    assert.equal(might(cmp('eq', ref('i'), 6), spec0, { i: 5 }), false);
    assert.equal(might(unary('is-null', ref('i')), spec0, { i: null }), true);
    assert.equal(might(cmp('not-eq', ref('i'), 5), spec0, { i: null }), true);
    assert.equal(might(cmp('lt', ref('i'), 5), spec0, { i: null }), false);
  });

  it('evaluates each file with its own spec after partition evolution', () => {
    const filter = andOf(cmp('eq', ref('id'), 34), cmp('eq', ref('i'), 5));
    const bucketOf34 = applyTransform({ kind: 'bucket', count: 4 }, 'long', 34n) as number;
    assert.equal(might(filter, spec0, { i: 5 }), true);
    assert.equal(might(filter, spec0, { i: 6 }), false);
    assert.equal(might(filter, spec1, { id_bucket: bucketOf34, ts_day: 0 }), true);
    assert.equal(might(filter, spec1, { id_bucket: (bucketOf34 + 1) % 4, ts_day: 0 }), false);
  });

  it('keeps a pre-1970 row of an Iceberg <= 0.10 file (day rounded toward zero)', () => {
    const filter = cmp('eq', ref('ts'), '1969-12-31T10:00:00');
    assert.equal(might(filter, spec1, { id_bucket: 0, ts_day: -1 }), true);
    assert.equal(might(filter, spec1, { id_bucket: 0, ts_day: 0 }), true);
    assert.equal(might(filter, spec1, { id_bucket: 0, ts_day: 1 }), false);
    assert.equal(might(cmp('gt-eq', ref('ts'), '2017-11-16T00:00:00'), spec1, { id_bucket: 0, ts_day: day('2017-11-15') }), false);
  });

  it('might match on a value it cannot read or a field missing from the record', () => {
    assert.equal(might(cmp('eq', ref('i'), 6), spec0, { i: 'five' }), true);
    assert.equal(might(cmp('eq', ref('i'), 6), spec0, {}), true);
    assert.equal(might(orOf(cmp('eq', ref('i'), 6), cmp('eq', ref('id'), 1)), spec0, { i: 5 }), true);
    assert.equal(might(set('in', ref('i'), [1, 2]), spec0, { i: 5n }), true);
  });

  it('reads a field named __proto__ as a field', () => {
    const fields = fieldsOf(partitionField(3, '__proto__', 'identity', 1000));
    const record: AvroRecord = {};
    Object.defineProperty(record, '__proto__', { value: 5, enumerable: true, configurable: true, writable: true });
    assert.equal(might(cmp('eq', ref('i'), 5), fields, record), true);
    assert.equal(might(cmp('eq', ref('i'), 6), fields, record), false);
  });
});
