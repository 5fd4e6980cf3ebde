import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../json/lossless-json.js';
import type { PartitionField } from '../../metadata/types.js';
import type { BoundPredicate } from '../expressions/index.js';
import { partitionFieldsOf } from './partition-fields.js';
import { projectStrict } from './project-strict.js';
import { aSchema, aSpec, bind, cmp, partitionField, ref, set, show, unary } from './test-fixtures.js';

const strict = (filter: JsonValue, field: PartitionField): string => {
  const [info] = partitionFieldsOf(aSpec(field), aSchema());
  const projected = info === undefined ? undefined : projectStrict(bind(filter) as BoundPredicate, info);
  return projected === undefined ? 'none' : show(projected);
};

describe('projectStrict', () => {
  it('confirms order predicates by whole truncate units', () => {
    const t = (): PartitionField => partitionField(3, 't', 'truncate[10]');
    assert.equal(strict(cmp('lt', ref('i'), 15), t()), 't lt 10');
    assert.equal(strict(cmp('lt-eq', ref('i'), 19), t()), 't lt 20');
    assert.equal(strict(cmp('gt', ref('i'), 15), t()), `(t gt 10 and t lt-eq ${2 ** 31 - 1 - 10})`);
    assert.equal(strict(cmp('gt-eq', ref('i'), 20), t()), `(t gt 10 and t lt-eq ${2 ** 31 - 1 - 10})`);
    assert.equal(strict(cmp('not-eq', ref('i'), 15), t()), 't not-eq 10');
    assert.equal(strict(cmp('eq', ref('i'), 15), t()), 'none');
  });

  it('confirms nothing from a boundary whose rounding wraps', () => {
    assert.equal(strict(cmp('lt', ref('i'), -(2 ** 31) + 1), partitionField(3, 't', 'truncate[10]')), 'none');
  });

  it('confirms only negations through a bucket', () => {
    const b = (): PartitionField => partitionField(3, 'b', 'bucket[4]');
    assert.match(strict(cmp('not-eq', ref('i'), 15), b()), /^b not-eq \d$/);
    assert.match(strict(set('not-in', ref('i'), [1, 2, 3]), b()), /^b not-(in|eq) /);
    assert.equal(strict(cmp('lt', ref('i'), 15), b()), 'none');
    assert.equal(strict(unary('is-null', ref('i')), b()), 'b is-null');
  });

  it('confirms time ranges by whole units', () => {
    const day = Date.parse('2017-11-16T00:00:00Z') / 86_400_000;
    const d = (): PartitionField => partitionField(8, 'd', 'day');
    assert.equal(strict(cmp('gt-eq', ref('ts'), '2017-11-16T00:00:00'), d()), `d gt ${day - 1}`);
    assert.equal(strict(cmp('lt', ref('ts'), '2017-11-16T00:00:00'), d()), `d lt ${day}`);
    assert.equal(strict(cmp('lt', ref('ts'), '2017-11-16T10:00:00'), d()), `d lt ${day}`);
  });

  it('confirms string prefixes that fit in the width', () => {
    const s = (): PartitionField => partitionField(2, 's', 'truncate[3]');
    assert.equal(strict(cmp('starts-with', ref('data'), 'abc'), s()), 's starts-with "abc"');
    assert.equal(strict(cmp('starts-with', ref('data'), 'abcd'), s()), 'none');
    assert.equal(strict(cmp('not-starts-with', ref('data'), 'abcd'), s()), 's not-starts-with "abc"');
    assert.equal(strict(cmp('lt-eq', ref('data'), 'abcd'), s()), 's lt "abc"');
  });

  it('confirms nothing through void', () => {
    assert.equal(strict(cmp('lt', ref('i'), 15), partitionField(3, 'v', 'void')), 'none');
  });
});
