import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertBadRequest } from '../test-fixtures.js';
import { aView, aViewVersion, commitToView, replaceUpdates, sql } from './test-fixtures.js';

const twoDialects = aViewVersion({ representations: [sql('select 1', 'trino'), sql('select 1', 'spark')] });

test('a replace that drops a dialect is rejected', () => {
  assertBadRequest(
    () => commitToView(aView({ viewVersion: twoDialects }), replaceUpdates({ representations: [sql('select 2', 'Spark')] })),
    'Cannot replace view due to loss of view dialects (replace.drop-dialect.allowed=false): Previous dialects: [spark, trino] - New dialects: [spark]',
  );
});

test('a replace may drop a dialect when replace.drop-dialect.allowed is true', () => {
  const view = aView({ viewVersion: twoDialects, properties: { 'replace.drop-dialect.allowed': 'TRUE' } });
  const { metadata } = commitToView(view, replaceUpdates({ representations: [sql('select 2', 'spark')] }));
  assert.equal(metadata.currentVersionId, 2);
});

test('a replace that changes the SQL of a kept dialect is accepted', () => {
  const { metadata } = commitToView(aView(), replaceUpdates({ representations: [sql('select 2', 'spark'), sql('select 2', 'trino')] }));
  assert.deepEqual(metadata.versions[1]?.representations.map((each) => each.dialect), ['spark', 'trino']);
});
