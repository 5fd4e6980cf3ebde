import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AvroRecord } from '../../avro/datum-reader.js';
import type { JsonValue } from '../../json/lossless-json.js';
import { residualFor } from './residual.js';
import { andOf, apply, bind, cmp, fieldsOf, orOf, partitionField, ref, show, unary } from './test-fixtures.js';
import type { PartitionFieldInfo } from './partition-fields.js';

const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const fields = fieldsOf(
  partitionField(3, 'i', 'identity', 1000),
  partitionField(8, 'ts_day', 'day', 1001),
  partitionField(1, 'id_bucket', 'bucket[4]', 1002),
);
const residual = (filter: JsonValue, partition: AvroRecord, spec: readonly PartitionFieldInfo[] = fields): string =>
  show(residualFor(bind(filter), spec, partition));

describe('residualFor', () => {
  const partition = { i: 5, ts_day: day('2017-11-16'), id_bucket: 1 };

  it('resolves predicates on identity-partitioned columns', () => {
    assert.equal(residual(cmp('eq', ref('i'), 5), partition), 'true');
    assert.equal(residual(cmp('lt', ref('i'), 5), partition), 'false');
    assert.equal(residual(andOf(cmp('gt-eq', ref('i'), 5), cmp('eq', ref('data'), 'x')), partition), 'data eq "x"');
    assert.equal(residual(orOf(cmp('lt', ref('i'), 5), cmp('eq', ref('data'), 'x')), partition), 'data eq "x"');
    assert.equal(residual(unary('is-null', ref('i')), { ...partition, i: null }), 'true');
    assert.equal(residual(cmp('not-eq', ref('i'), 5), { ...partition, i: null }), 'true');
  });

  it('makes a predicate false when its inclusive projection rules the partition out', () => {
    assert.equal(residual(cmp('lt', ref('ts'), '2017-11-16T00:00:00'), partition), 'false');
    // bucket[4] of 34L is 2017239379 % 4 = 3 (spec Appendix B).
    assert.equal(residual(cmp('eq', ref('id'), 34), { ...partition, id_bucket: 2 }), 'false');
    assert.equal(residual(cmp('eq', ref('id'), 34), { ...partition, id_bucket: 3 }), 'id eq 34n');
  });

  it('keeps a predicate the partition does not decide', () => {
    assert.equal(residual(cmp('lt', ref('ts'), '2017-11-16T12:00:00'), partition), 'ts lt 1510833600000000n');
    assert.equal(residual(cmp('gt-eq', ref('ts'), '2017-11-16T00:00:01'), partition), 'ts gt-eq 1510790401000000n');
  });

  it('makes a predicate true when its strict projection holds for the partition', () => {
    assert.equal(residual(cmp('gt-eq', ref('ts'), '2017-11-16T00:00:00'), partition), 'true');
    assert.equal(residual(cmp('gt', ref('ts'), '2017-11-15T23:59:59.999999'), partition), 'true');
    assert.equal(residual(cmp('lt', ref('ts'), '2017-11-17T00:00:00'), partition), 'true');
    assert.equal(residual(cmp('lt-eq', ref('ts'), '2017-11-16T23:59:59.999999'), partition), 'true');
    assert.equal(residual(cmp('not-eq', ref('ts'), '2017-11-15T10:00:00'), partition), 'true');
    assert.equal(residual(cmp('not-eq', ref('id'), 34), { ...partition, id_bucket: 2 }), 'true');
  });

  it('confirms a pre-1970 unit only if the unit below confirms it too (Iceberg <= 0.10 files)', () => {
    // Day 0 may hold 1969-12-31 rows of a legacy file, which fail ts >= 1970-01-01.
    assert.equal(residual(cmp('gt-eq', ref('ts'), '1970-01-01T00:00:00'), { ...partition, ts_day: 0 }), 'ts gt-eq 0n');
    assert.equal(residual(cmp('gt-eq', ref('ts'), '1970-01-01T00:00:00'), { ...partition, ts_day: 1 }), 'true');
    assert.equal(residual(cmp('lt', ref('ts'), '1970-01-01T00:00:00'), { ...partition, ts_day: -1 }), 'true');
  });

  it('resolves truncated strings by the strict projection', () => {
    const spec = fieldsOf(partitionField(2, 's', 'truncate[2]', 1000));
    assert.equal(residual(cmp('starts-with', ref('data'), 'ab'), { s: 'ab' }, spec), 'true');
    assert.equal(residual(cmp('starts-with', ref('data'), 'abc'), { s: 'ab' }, spec), 'data starts-with "abc"');
    assert.equal(residual(cmp('lt', ref('data'), 'b'), { s: 'ab' }, spec), 'true');
    assert.equal(residual(cmp('gt', ref('data'), 'abc'), { s: 'ab' }, spec), 'data gt "abc"');
  });

  it('resolves a transform term equal to the partition transform', () => {
    assert.equal(residual(cmp('eq', apply('bucket[4]', ref('id')), 1), partition), 'true');
    assert.equal(residual(cmp('eq', apply('bucket[4]', ref('id')), 2), partition), 'false');
    assert.equal(residual(cmp('eq', apply('bucket[8]', ref('id')), 2), partition), 'bucket(id) eq 2');
  });

  it('leaves predicates in place when the partition value cannot be read', () => {
    assert.equal(residual(cmp('eq', ref('i'), 5), { ...partition, i: 'x' }), 'i eq 5');
    assert.equal(residual(cmp('eq', ref('i'), 5), { ts_day: 0 }), 'i eq 5');
  });

  it('uses the file spec: a column only an older spec partitioned stays', () => {
    const spec0 = fieldsOf(partitionField(3, 'i', 'identity', 1000));
    assert.equal(residual(cmp('eq', ref('ts'), '2017-11-16T00:00:00'), { i: 5 }, spec0), 'ts eq 1510790400000000n');
  });
});
