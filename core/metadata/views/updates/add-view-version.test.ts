import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aField, aSchema, assertBadRequest } from '../../test-fixtures.js';
import { assertIllegalArgument, aViewDraft, aViewVersion, sql } from '../test-fixtures.js';
import { applyViewAddSchema } from './add-schema.js';
import { applyViewAddVersion } from './add-view-version.js';

const replacement = aViewVersion({ versionId: 9, representations: [sql('select 2')] });

test('a new version gets max+1 whatever id the client sent', () => {
  const draft = applyViewAddVersion(aViewDraft(), { action: 'add-view-version', viewVersion: replacement });
  assert.deepEqual(draft.metadata.versions.map((version) => version.versionId), [1, 2]);
  assert.equal(draft.lastAddedVersionId, 2);
  assert.deepEqual(draft.changes, [{ action: 'add-view-version', viewVersion: { ...replacement, versionId: 2 } }]);
});

test('an equivalent version is reused: id, timestamp and version id do not count', () => {
  const draft = aViewDraft();
  const current = draft.metadata.versions[0];
  assert.ok(current !== undefined);
  const same = applyViewAddVersion(draft, { action: 'add-view-version', viewVersion: { ...current, versionId: 5, timestampMs: 1n } });
  assert.deepEqual(same.changes, []);
  assert.equal(same.metadata.versions.length, 1);
  assert.equal(same.lastAddedVersionId, 1);
});

test('a version differing only in summary, catalog or namespace is new', () => {
  const current = aViewDraft().metadata.versions[0];
  assert.ok(current !== undefined);
  for (const changed of [{ summary: { a: 'b' } }, { defaultCatalog: 'prod' }, { defaultNamespace: ['other'] }]) {
    const draft = applyViewAddVersion(aViewDraft(), { action: 'add-view-version', viewVersion: { ...current, ...changed } });
    assert.equal(draft.metadata.versions.length, 2, JSON.stringify(changed));
  }
});

test('schema-id -1 is the schema added in this commit', () => {
  const wider = aSchema({ fields: [aField(1, 'id', 'long', true), aField(2, 'extra', 'int')] });
  const withSchema = applyViewAddSchema(aViewDraft(), { action: 'add-schema', schema: wider });
  const draft = applyViewAddVersion(withSchema, { action: 'add-view-version', viewVersion: { ...replacement, schemaId: -1 } });
  assert.equal(draft.metadata.versions[1]?.schemaId, 1);
});

test('schema-id -1 without an added schema is rejected', () => {
  assertBadRequest(
    () => applyViewAddVersion(aViewDraft(), { action: 'add-view-version', viewVersion: { ...replacement, schemaId: -1 } }),
    'Cannot set last added schema: no schema has been added',
  );
});

test('a version on an unknown schema is rejected', () => {
  assertIllegalArgument(
    () => applyViewAddVersion(aViewDraft(), { action: 'add-view-version', viewVersion: { ...replacement, schemaId: 3 } }),
    'Cannot add version with unknown schema: 3',
  );
});

test('dialects are compared case-insensitively', () => {
  assertIllegalArgument(
    () => applyViewAddVersion(aViewDraft(), { action: 'add-view-version', viewVersion: { ...replacement, representations: [sql('a', 'Trino'), sql('b', 'trino')] } }),
    'Invalid view version: Cannot add multiple queries for dialect trino',
  );
});

test('a version without representations is rejected', () => {
  assertIllegalArgument(
    () => applyViewAddVersion(aViewDraft(), { action: 'add-view-version', viewVersion: { ...replacement, representations: [] } }),
    'Invalid view version: Cannot add a version without representations',
  );
});
