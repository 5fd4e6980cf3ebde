import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCatalog, type TestCatalog } from '../support/catalog-harness.js';
import { assertError } from '../support/assertions.js';
import {
  aField,
  anAppend,
  anAppendCommit,
  anUpdateCommit,
  aSchema,
  aSortField,
  aSortOrder,
  aSpec,
  currentSchema,
  defaultSortOrder,
  defaultSpec,
  removeProperties,
  removeSchemas,
  removeSnapshots,
  removeSpecs,
  schemaChange,
  setCurrentSchema,
  setLocation,
  setProperties,
  setRef,
  shapeOf,
  snapshotIds,
  sortOrderChange,
  specChange,
  tableApi,
  withColumns,
  withoutColumns,
  type TableApi,
  type TableId,
  type TableMetadataJson,
} from '../support/table-fixtures.js';

/**
 * CatalogTests rows 34, 55, 60, 61, 65–68 and 70 (behaviors.md): schema, partition spec and sort
 * order evolution, each sent as the Java client sends it (assert-table-uuid plus the requirements
 * UpdateRequirements derives; add-* with set-* -1, or set-* by id when an identical item exists),
 * plus the property, location and format-version updates of checklist §6.
 *
 * The concurrent variants of these rows (56–59, 62–64, 69) are in tables-concurrency.test.ts.
 * Row 34 runs although the RCK keeps `rck.supports-variant` off: the engine supports v3 variant.
 */
let catalog: TestCatalog;
let api: TableApi;

before(async () => {
  catalog = await startTestCatalog();
  api = tableApi(catalog);
});
after(async () => catalog.close());

/** Commits `updates` (built from the table's current metadata) and returns the reloaded metadata. */
async function evolve(id: TableId, build: (base: TableMetadataJson) => ReturnType<typeof anUpdateCommit>): Promise<TableMetadataJson> {
  const base = (await api.loadOk(id)).metadata;
  await api.commitOk(id, build(base));
  return (await api.loadOk(id)).metadata;
}

describe('schema evolution', () => {
  test('an added column is visible on reload, in a new current schema (55)', async () => {
    const { id } = await api.newTable();
    const loaded = await evolve(id, (base) => anUpdateCommit(base, schemaChange(base, withColumns(base, { name: 'col_name', type: 'string' }))));
    assert.equal(loaded['current-schema-id'], 1);
    assert.equal(loaded['last-column-id'], 3);
    assert.deepEqual(currentSchema(loaded).fields.at(-1), { id: 3, name: 'col_name', required: false, type: 'string' });
    assert.equal(loaded.schemas.length, 2);
    assert.equal(loaded['metadata-log'].length, 1);
  });

  test('adding three columns and deleting them again restores the original schema, which is reused (60)', async () => {
    const { id, created } = await api.newTable();
    const original = currentSchema(created.metadata);
    await evolve(id, (base) =>
      anUpdateCommit(base, schemaChange(base, withColumns(base, { name: 'col1', type: 'string' }, { name: 'col2', type: 'string' }, { name: 'col3', type: 'string' }))),
    );
    const reverted = await evolve(id, (base) => anUpdateCommit(base, schemaChange(base, withoutColumns(base, 'col1', 'col2', 'col3'))));
    assert.deepEqual(currentSchema(reverted).fields, original.fields);
    assert.equal(reverted['current-schema-id'], 0);
    assert.equal(reverted.schemas.length, 2);
    assert.equal(reverted['last-column-id'], 5, 'deleted ids are never reused');
  });

  test('a variant column can be added to a v3 table: it gets id 2 and the format stays 3 (34)', async () => {
    const { id } = await api.newTable({ schema: aSchema(aField(1, 'id', 'int')), properties: { 'format-version': '3' } });
    const loaded = await evolve(id, (base) => anUpdateCommit(base, schemaChange(base, withColumns(base, { name: 'v', type: 'variant' }))));
    assert.deepEqual(currentSchema(loaded).fields.at(-1), { id: 2, name: 'v', required: false, type: 'variant' });
    assert.equal(loaded['format-version'], 3);
  });

  test('a variant column cannot be added to a v2 table: 400', async () => {
    const { id, created } = await api.newTable();
    const base = created.metadata;
    assertError(await api.commit(id, anUpdateCommit(base, schemaChange(base, withColumns(base, { name: 'v', type: 'variant' })))), 400, undefined, 'variant is not supported until v3');
  });

  test('set-current-schema -1 without an added schema is a 400, and nothing changes (checklist §6)', async () => {
    const { id, created } = await api.newTable();
    assertError(await api.commit(id, anUpdateCommit(created.metadata, [setCurrentSchema(-1)])), 400);
    assert.equal((await api.loadOk(id))['metadata-location'], created['metadata-location']);
  });
});

describe('partition spec evolution', () => {
  test('an added bucket partition field is visible on reload (61)', async () => {
    const { id } = await api.newTable();
    const loaded = await evolve(id, (base) => anUpdateCommit(base, specChange(base, [{ source: 'id', transform: 'bucket[16]', name: 'id_bucket' }])));
    assert.deepEqual(defaultSpec(loaded).fields, [{ name: 'id_bucket', transform: 'bucket[16]', 'source-id': 1, 'field-id': 1000 }]);
    assert.equal(loaded['default-spec-id'], 1);
    assert.equal(loaded['last-partition-id'], 1000);
  });

  test('on v2, adding an identity field and removing it again reuses the original spec (65)', async () => {
    const { id, created } = await api.newTable();
    await evolve(id, (base) => anUpdateCommit(base, specChange(base, [{ source: 'id', transform: 'identity', name: 'id' }])));
    const reverted = await evolve(id, (base) => anUpdateCommit(base, specChange(base, [])));
    assert.deepEqual(defaultSpec(reverted), defaultSpec(created.metadata));
    assert.equal(reverted['default-spec-id'], 0);
    assert.equal(reverted['partition-specs'].length, 2);
    assert.equal(reverted['last-partition-id'], 1000);
  });

  test('re-adding a removed partition field recycles its field id and reuses the first spec (checklist §6 add-spec)', async () => {
    const { id } = await api.newTable({ 'partition-spec': aSpec() });
    await evolve(id, (base) => anUpdateCommit(base, specChange(base, [])));
    const readded = await evolve(id, (base) => anUpdateCommit(base, specChange(base, [{ source: 'id', transform: 'bucket[16]', name: 'id_bucket' }])));
    assert.equal(readded['default-spec-id'], 0, 'the identical first spec is reused');
    assert.equal(readded['last-partition-id'], 1000);
  });

  for (const withBranch of [false, true]) {
    test(`expiring metadata removes the unused spec and keeps the ones snapshots use (66, withBranch=${withBranch})`, async () => {
      const { id } = await api.newTable({ 'partition-spec': aSpec(), properties: { 'gc.enabled': 'true' } });
      let base = await evolve(id, (b) => anAppendCommit(b));
      if (withBranch) base = await evolve(id, (b) => anUpdateCommit(b, [setRef('test', snapshotIds(b)[0]!)]));
      await evolve(id, (b) => anUpdateCommit(b, specChange(b, [...namesOf(b), { source: 'data', transform: 'bucket[16]', name: 'data_bucket' }])));
      await evolve(id, (b) => anUpdateCommit(b, specChange(b, namesOf(b).filter((f) => f.name !== 'data_bucket'))));
      const three = await evolve(id, (b) => anUpdateCommit(b, specChange(b, [...namesOf(b), { source: 'data', transform: 'identity', name: 'data' }])));
      assert.deepEqual(
        three['partition-specs'].map((s) => s['spec-id']),
        [0, 1, 2],
      );
      const current = defaultSpec(three);

      // ExpireSnapshots with cleanExpiredMetadata: nothing expires, spec 1 is no longer used.
      const cleaned = await evolve(id, (b) => anUpdateCommit(b, [removeSpecs(1)]));
      assert.deepEqual(cleaned['partition-specs'], [defaultSpec(base), current]);
      assert.equal(cleaned['default-spec-id'], current['spec-id']);
      if (withBranch) assert.ok(cleaned.refs['test'] !== undefined, 'the branch is kept');
      const appended = await evolve(id, (b) => anAppendCommit(b));
      assert.equal(appended.snapshots.length, 2, 'the table takes appends after the cleanup');
    });
  }

  test('the default spec cannot be removed: 400', async () => {
    const { id, created } = await api.newTable();
    assertError(await api.commit(id, anUpdateCommit(created.metadata, [removeSpecs(0)])), 400);
  });
});

describe('removing unused schemas', () => {
  for (const withBranch of [false, true]) {
    test(`expiring metadata removes unused schemas; schemas of retained snapshots survive (67, withBranch=${withBranch})`, async () => {
      const { id } = await api.newTable();
      const first = await evolve(id, (b) => anAppendCommit(b));
      const firstSnapshot = first.snapshots[0]!;
      if (withBranch) await evolve(id, (b) => anUpdateCommit(b, [setRef('test', firstSnapshot['snapshot-id'])]));
      await evolve(id, (b) => anUpdateCommit(b, schemaChange(b, withColumns(b, { name: 'col_to_delete', type: 'int' }))));
      await evolve(id, (b) => anUpdateCommit(b, schemaChange(b, withoutColumns(b, 'col_to_delete'))));
      const three = await evolve(id, (b) => anUpdateCommit(b, schemaChange(b, withColumns(b, { name: 'extra_col', type: 'string' }))));
      assert.deepEqual(
        three.schemas.map((s) => s['schema-id']),
        [0, 1, 2],
      );

      // Keeps the schema of the one snapshot and the current schema.
      const cleaned = await evolve(id, (b) => anUpdateCommit(b, [removeSchemas(1)]));
      assert.deepEqual(
        cleaned.schemas.map((s) => s['schema-id']).sort(),
        [firstSnapshot['schema-id'], cleaned['current-schema-id']].sort(),
      );

      const second = await evolve(id, (b) => anAppendCommit(b));
      // Expire the first snapshot; a branch that still holds it keeps it and its schema.
      const expired = await evolve(id, (b) =>
        anUpdateCommit(b, withBranch ? [] : [removeSnapshots(firstSnapshot['snapshot-id']), removeSchemas(firstSnapshot['schema-id']!)]),
      );
      if (withBranch) {
        assert.equal(expired.snapshots.length, 2);
        assert.deepEqual(
          expired.schemas.map((s) => s['schema-id']).sort(),
          [0, 2],
        );
      } else {
        assert.deepEqual(snapshotIds(expired), [BigInt(second.snapshots[1]!['snapshot-id'])]);
        assert.deepEqual(
          expired.schemas.map((s) => s['schema-id']),
          [2],
        );
        assert.deepEqual(
          expired['snapshot-log'].map((e) => BigInt(e['snapshot-id'])),
          [BigInt(second.snapshots[1]!['snapshot-id'])],
          'the snapshot log is cut before the removed snapshot',
        );
      }
    });
  }

  test('the current schema cannot be removed: 400', async () => {
    const { id, created } = await api.newTable();
    assertError(await api.commit(id, anUpdateCommit(created.metadata, [removeSchemas(0)])), 400);
  });
});

describe('sort order evolution', () => {
  test('a replaced sort order is visible on reload (68)', async () => {
    const { id } = await api.newTable();
    const loaded = await evolve(id, (base) => anUpdateCommit(base, sortOrderChange(base, [{ source: 'id' }, { source: 'data', direction: 'desc', nullOrder: 'nulls-last' }])));
    assert.deepEqual(defaultSortOrder(loaded), {
      'order-id': 1,
      fields: [aSortField(1), aSortField(2, 'identity', 'desc', 'nulls-last')],
    });
  });

  test('changing the order and restoring it reuses the original order id (70)', async () => {
    const { id, created } = await api.newTable({ 'write-order': aSortOrder() });
    const original = defaultSortOrder(created.metadata);
    await evolve(id, (base) => anUpdateCommit(base, sortOrderChange(base, [{ source: 'id' }])));
    const restored = await evolve(id, (base) => anUpdateCommit(base, sortOrderChange(base, [{ source: 'id', transform: 'bucket[16]' }, { source: 'id' }])));
    assert.deepEqual(defaultSortOrder(restored), original);
    assert.equal(restored['default-sort-order-id'], 1);
    assert.equal(restored['sort-orders'].length, 2);
  });

  test('unsorting a sorted table adds order 0 (checklist §6 add-sort-order)', async () => {
    const { id } = await api.newTable({ 'write-order': aSortOrder() });
    const loaded = await evolve(id, (base) => anUpdateCommit(base, sortOrderChange(base, [])));
    assert.equal(loaded['default-sort-order-id'], 0);
    assert.deepEqual(defaultSortOrder(loaded), { 'order-id': 0, fields: [] });
  });
});

describe('properties, location and format version (checklist §6)', () => {
  test('set-properties and remove-properties change only the properties', async () => {
    const { id, created } = await api.newTable({ properties: { a: '1', b: '2' } });
    const loaded = await evolve(id, (base) => anUpdateCommit(base, [setProperties({ a: 'x', c: '3' }), removeProperties('b')]));
    assert.equal(loaded.properties['a'], 'x');
    assert.equal(loaded.properties['c'], '3');
    assert.ok(!('b' in loaded.properties));
    assert.deepEqual(loaded.schemas, created.metadata.schemas);
  });

  test('set-location moves the table location; later metadata files go there', async () => {
    const { id, created } = await api.newTable();
    const moved = `${created.metadata.location}-moved`;
    const base = created.metadata;
    const response = await api.commitOk(id, anUpdateCommit(base, [setLocation(moved)]));
    assert.equal(response.metadata.location, moved);
    assert.ok(response['metadata-location'].startsWith(`${moved}/metadata/00001-`));
  });

  test('upgrade-format-version 2 → 3 starts row lineage at 0; a downgrade is a 400', async () => {
    const { id, created } = await api.newTable();
    const upgraded = await evolve(id, (base) => anUpdateCommit(base, [{ action: 'upgrade-format-version', 'format-version': 3 }]));
    assert.equal(upgraded['format-version'], 3);
    assert.equal(upgraded['next-row-id'], 0);
    assertError(await api.commit(id, anUpdateCommit(upgraded, [{ action: 'upgrade-format-version', 'format-version': 2 }])), 400);
    assert.equal(created.metadata['format-version'], 2);
  });

  test('a commit that changes nothing writes no new metadata file (checklist §6 step 4)', async () => {
    const { id, created } = await api.newTable({ properties: { a: '1' } });
    const response = await api.commitOk(id, anUpdateCommit(created.metadata, []));
    assert.equal(response['metadata-location'], created['metadata-location']);
    const loaded = await api.loadOk(id);
    assert.deepEqual(loaded.metadata['metadata-log'], []);
  });

  test('an append within a schema change lands on the new schema id', async () => {
    const { id, created } = await api.newTable();
    const base = created.metadata;
    const updates = [...schemaChange(base, withColumns(base, { name: 'x', type: 'long' })), ...anAppend(base, { schemaId: 1 })];
    const loaded = (await api.commitOk(id, anUpdateCommit(base, updates))).metadata;
    assert.equal(loaded.snapshots[0]!['schema-id'], 1);
    assert.deepEqual(shapeOf(currentSchema(loaded).fields).at(-1), { name: 'x', type: 'long', required: false });
  });
});

function namesOf(metadata: TableMetadataJson): { source: string; transform: string; name: string }[] {
  const fields = currentSchema(metadata).fields;
  return defaultSpec(metadata).fields.map((f) => ({ source: fields.find((c) => c.id === f['source-id'])!.name, transform: f.transform, name: f.name }));
}
