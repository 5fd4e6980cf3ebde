import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson, stringifyJson } from '../../json/lossless-json.js';
import { assertBadRequest } from '../test-fixtures.js';
import { parseViewMetadata, serializeViewMetadata } from './serialize.js';
import { aView, aViewVersion, commitToView, replaceUpdates, sql } from './test-fixtures.js';
import type { ViewMetadata } from './types.js';

const MAX_LONG = 9223372036854775807n;

function roundTrip(view: ViewMetadata): ViewMetadata {
  return parseViewMetadata(parseJson(stringifyJson(serializeViewMetadata(view))));
}

test('view metadata is written in Java field order without empty properties', () => {
  assert.deepEqual(Object.keys(serializeViewMetadata(aView())), [
    'view-uuid', 'format-version', 'location', 'schemas', 'current-version-id', 'versions', 'version-log',
  ]);
  assert.deepEqual(Object.keys(serializeViewMetadata(aView({ properties: { a: 'b' } }))).slice(3, 4), ['properties']);
});

test('a version is written in Java field order, default-catalog only when set', () => {
  const json = serializeViewMetadata(aView({ viewVersion: aViewVersion({ defaultCatalog: 'prod' }) }));
  const [version] = json['versions'] as Record<string, unknown>[];
  assert.deepEqual(Object.keys(version ?? {}), [
    'version-id', 'timestamp-ms', 'schema-id', 'summary', 'default-catalog', 'default-namespace', 'representations',
  ]);
  assert.deepEqual(version?.['representations'], [{ type: 'sql', sql: 'select * from ns.tbl', dialect: 'spark' }]);
  const plain = (serializeViewMetadata(aView())['versions'] as Record<string, unknown>[])[0];
  assert.equal(Object.hasOwn(plain ?? {}, 'default-catalog'), false);
  assert.deepEqual(serializeViewMetadata(aView())['version-log'], [{ 'timestamp-ms': 1_700_000_000_000, 'version-id': 1 }]);
});

test('a 64-bit timestamp-ms survives a round trip exactly', () => {
  const view = commitToView(aView(), replaceUpdates({ timestampMs: MAX_LONG, representations: [sql('select 2')] })).metadata;
  const text = stringifyJson(serializeViewMetadata(view));
  assert.match(text, /"timestamp-ms":9223372036854775807/);
  const back = roundTrip(view);
  assert.equal(back.versions[1]?.timestampMs, MAX_LONG);
  assert.equal(back.versionLog[1]?.timestampMs, MAX_LONG);
  assert.deepEqual(back, view);
});

test('serialise then parse gives the same metadata', () => {
  const view = aView({ properties: { comment: 'x' }, viewVersion: aViewVersion({ defaultCatalog: 'c', defaultNamespace: [] }) });
  assert.deepEqual(roundTrip(view), view);
});

test('parse reads the view-spec example', () => {
  const view = parseViewMetadata(parseJson(`{
    "view-uuid": "fa6506c3-7681-40c8-86dc-e36561f83385", "format-version": 1,
    "location": "s3://bucket/warehouse/default.db/event_agg", "current-version-id": 1,
    "properties": { "comment": "Daily event counts" },
    "versions": [{ "version-id": 1, "timestamp-ms": 1573518431292, "schema-id": 1, "default-catalog": "prod",
      "default-namespace": ["default"], "summary": { "engine-name": "Spark", "engine-version": "3.3.2" },
      "representations": [{ "type": "SQL", "sql": "SELECT 1", "dialect": "spark" }] }],
    "schemas": [{ "schema-id": 1, "type": "struct", "fields": [{ "id": 1, "name": "event_count", "required": false, "type": "int" }] }],
    "version-log": [{ "timestamp-ms": 1573518431292, "version-id": 1 }]
  }`));
  assert.equal(view.currentVersionId, 1);
  assert.equal(view.versions[0]?.representations[0]?.type, 'sql');
  assert.equal(view.versions[0]?.defaultCatalog, 'prod');
});

test('parse rejects another format version', () => {
  const json = { ...serializeViewMetadata(aView()), 'format-version': 2 };
  assertBadRequest(() => parseViewMetadata(json), 'metadata.format-version: unsupported view format version v2 (supported: v1)');
});

test('parse rejects a current version that does not exist', () => {
  const json = { ...serializeViewMetadata(aView()), 'current-version-id': 3 };
  assertBadRequest(() => parseViewMetadata(json), 'Invalid view metadata: current version 3 does not exist');
});

test('parse rejects an unknown representation type, naming it', () => {
  const json = serializeViewMetadata(aView());
  const versions = (json['versions'] as Record<string, unknown>[]).map((version) => ({ ...version, representations: [{ type: 'substrait', plan: 'x' }] }));
  assertBadRequest(() => parseViewMetadata({ ...json, versions }), 'metadata.versions[0].representations[0].type: unknown view representation type "substrait"');
});
