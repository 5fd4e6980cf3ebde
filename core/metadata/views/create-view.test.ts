import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aField, aSchema, assertBadRequest } from '../test-fixtures.js';
import { createView } from './create-view.js';
import { aCreateViewRequest, assertIllegalArgument, aView, aViewVersion, NOW, sql, VIEW_LOCATION, VIEW_UUID } from './test-fixtures.js';

test('create assigns schema id 0 and version id 1, whatever the request says', () => {
  const view = aView({ schema: { ...aSchema(), schemaId: 5 }, viewVersion: aViewVersion({ versionId: 7, schemaId: 5 }) });
  assert.deepEqual(view.schemas.map((schema) => schema.schemaId), [0]);
  assert.equal(view.currentVersionId, 1);
  assert.deepEqual(view.versions.map((version) => [version.versionId, version.schemaId]), [[1, 0]]);
});

test('create writes a version-log of one entry at the commit time', () => {
  const view = aView({ viewVersion: aViewVersion({ timestampMs: 5n }) });
  assert.deepEqual(view.versionLog, [{ timestampMs: BigInt(NOW), versionId: 1 }]);
  assert.equal(view.versions[0]?.timestampMs, BigInt(NOW));
});

test('create records operation "create" after the client summary entries', () => {
  const view = aView({ viewVersion: aViewVersion({ summary: { 'engine-name': 'trino', operation: 'other' } }) });
  assert.deepEqual(view.versions[0]?.summary, { 'engine-name': 'trino', operation: 'create' });
});

test('create keeps the column ids as sent and assigns schema id 0 (Java basicCreateView)', () => {
  const view = aView({ schema: aSchema({ schemaId: 5, fields: [aField(3, 'id', 'int'), aField(4, 'data', 'string')] }) });
  assert.deepEqual(view.schemas[0]?.fields.map((field) => field.id), [3, 4]);
  assert.equal(view.schemas[0]?.schemaId, 0);
  assert.equal(view.versions[0]?.schemaId, 0);
});

test('create keeps location, properties, default catalog and namespace as sent', () => {
  const view = aView({
    location: `${VIEW_LOCATION}/`,
    properties: { comment: 'daily' },
    viewVersion: aViewVersion({ defaultCatalog: 'prod', defaultNamespace: ['a', 'b'] }),
  });
  assert.equal(view.location, `${VIEW_LOCATION}/`);
  assert.deepEqual(view.properties, { comment: 'daily' });
  assert.equal(view.versions[0]?.defaultCatalog, 'prod');
  assert.deepEqual(view.versions[0]?.defaultNamespace, ['a', 'b']);
  assert.equal(view.viewUuid, VIEW_UUID);
  assert.equal(view.formatVersion, 1);
});

test('create with two queries for one dialect is an IllegalArgumentException', () => {
  assertIllegalArgument(
    () => aView({ viewVersion: aViewVersion({ representations: [sql('select 1', 'trino'), sql('select 2', 'trino')] }) }),
    'Invalid view version: Cannot add multiple queries for dialect trino',
  );
});

test('create keeps several dialects', () => {
  const view = aView({ viewVersion: aViewVersion({ representations: [sql('select 1', 'trino'), sql('select 1', 'spark')] }) });
  assert.deepEqual(view.versions[0]?.representations.map((each) => each.dialect), ['trino', 'spark']);
});

test('create without a location is rejected', () => {
  assertBadRequest(() => createView(aCreateViewRequest({ location: '' }), { now: NOW, newUuid: () => VIEW_UUID }), 'Cannot create a view without a location');
});

test('create rejects a bad version.history.num-entries', () => {
  assertIllegalArgument(() => aView({ properties: { 'version.history.num-entries': '0' } }), 'version.history.num-entries must be positive but was 0');
});
