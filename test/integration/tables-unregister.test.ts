import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { findTablePointer } from '../../core/catalog/tables/table-lookup.js';
import { swapPointer } from '../../core/catalog/pointers/swap-pointer.js';
import type { FileIO } from '../../core/store/file-io.js';
import { appendBaseOf, appendRequest, writeAppendFiles } from '../support/append-files.js';
import { assertError, assertStatus } from '../support/assertions.js';
import { keyWithRole } from '../support/auth-fixtures.js';
import { encodeLevel, namespacePath, startTestCatalog, type CatalogResponse, type TestCatalog } from '../support/catalog-harness.js';
import {
  aCreateTableRequest,
  aSnapshotId,
  identifierText,
  setProperties,
  tableApi,
  anUpdateCommit,
  type LoadTableResultJson,
  type TableApi,
  type TableId,
  type TableMetadataJson,
} from '../support/table-fixtures.js';

/**
 * unregisterTable (issue 11): the catalog forgets the table and keeps every file, answers the last
 * metadata location and its metadata; later commits fail; the name can be registered again from that
 * location, or created anew. Auth is on throughout (the bootstrap admin by default), on local files,
 * or on S3 when S3_ENDPOINT is set (Ceph RGW).
 *
 * Invariant (racing commits): once the unregister has answered, no commit to the identifier lands,
 * and every commit answered 200 is in the metadata the unregister returned.
 */
let catalog: TestCatalog;
let api: TableApi;
let files: FileIO;

before(async () => {
  catalog = await startTestCatalog({ auth: true, env: { CATALOG_LOG_LEVEL: 'error' } });
  api = tableApi(catalog);
  files = (await catalog.context()).files;
});
after(async () => catalog.close());

interface UnregisterResultJson {
  readonly 'metadata-location': string;
  readonly metadata: TableMetadataJson;
}

const tableUrl = (id: TableId) => `${api.prefix}/namespaces/${namespacePath(id.namespace)}/tables/${encodeLevel(id.name)}`;

function unregister(id: TableId, options: { token?: string | null; key?: string } = {}): Promise<CatalogResponse> {
  return catalog.request('POST', `${tableUrl(id)}/unregister`, {
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.key !== undefined ? { headers: { 'idempotency-key': options.key } } : {}),
  });
}

async function unregisterOk(id: TableId): Promise<UnregisterResultJson> {
  const response = await unregister(id);
  assertStatus(response, 200);
  const body = response.body as unknown as UnregisterResultJson;
  assert.deepEqual(Object.keys(body).sort(), ['metadata', 'metadata-location']);
  return body;
}

/** A table with one real append: metadata files, a manifest list, a manifest and a data file under its location. */
async function tableWithFiles(): Promise<{ id: TableId; loaded: LoadTableResultJson; objects: string[] }> {
  const { id, created } = await api.newTable();
  const base = appendBaseOf(created.metadata as unknown as Record<string, unknown>);
  const snapshotId = aSnapshotId();
  const written = await writeAppendFiles(files, base, snapshotId);
  assert.equal(await files.create(written.dataFile, new TextEncoder().encode('not really parquet')), 'created');
  await api.commitOk(id, appendRequest(base, snapshotId, written));
  await api.commitOk(id, anUpdateCommit((await api.loadOk(id)).metadata, [setProperties({ owner: 'bi' })]));
  const loaded = await api.loadOk(id);
  return { id, loaded, objects: await objectsUnder(loaded.metadata.location) };
}

async function objectsUnder(location: string): Promise<string[]> {
  return (await files.list(`${location}/`)).sort();
}

describe('unregisterTable', () => {
  test('GET /v1/config advertises the route', async () => {
    const config = await catalog.request('GET', '/v1/config');
    assertStatus(config, 200);
    const endpoints = (config.body as { endpoints: string[] }).endpoints;
    assert.ok(endpoints.includes('POST /v1/{prefix}/namespaces/{namespace}/tables/{table}/unregister'), endpoints.join('\n'));
  });

  test('unregister → load 404 → every file kept → register round trip → unregister again → re-create', async () => {
    const { id, loaded, objects } = await tableWithFiles();
    // Three metadata files, a manifest list, a manifest and a data file.
    assert.ok(objects.length >= 6, objects.join('\n'));

    const result = await unregisterOk(id);
    assert.equal(result['metadata-location'], loaded['metadata-location']);
    assert.deepEqual(result.metadata, loaded.metadata);

    assertError(await api.load(id), 404, 'NoSuchTableException', `Table does not exist: ${identifierText(id)}`);
    assertStatus(await api.exists(id), 404);
    assert.deepEqual(await api.listNames(id.namespace), []);
    assert.deepEqual(await objectsUnder(loaded.metadata.location), objects, 'no file under the table location was removed or added');

    const registered = await api.register(id.namespace, id.name, result['metadata-location']);
    assertStatus(registered, 200);
    assert.equal((registered.body as { 'metadata-location': string })['metadata-location'], result['metadata-location']);
    const reloaded = await api.loadOk(id);
    assert.equal(reloaded['metadata-location'], result['metadata-location']);
    assert.deepEqual(reloaded.metadata, result.metadata, 'the round trip gives the same metadata');

    // Registered again, the table takes commits again, and unregisters again with the new head.
    const committed = await api.commitOk(id, anUpdateCommit(reloaded.metadata, [setProperties({ again: 'yes' })]));
    const second = await unregisterOk(id);
    assert.equal(second['metadata-location'], committed['metadata-location']);
    assert.equal(second.metadata.properties?.['again'], 'yes');

    const recreated = await api.createOk(id.namespace, aCreateTableRequest(id.name));
    assert.notEqual(recreated.metadata['table-uuid'], loaded.metadata['table-uuid']);
    assert.equal((await api.loadOk(id)).metadata['table-uuid'], recreated.metadata['table-uuid']);
    for (const object of objects) assert.ok((await files.read(object)) !== undefined, `${object} still there`);
  });

  test('a commit after the unregister fails with 404 NoSuchTableException', async () => {
    const { id, loaded } = await tableWithFiles();
    await unregisterOk(id);
    assertError(await api.commit(id, anUpdateCommit(loaded.metadata, [setProperties({ late: 'yes' })])), 404, 'NoSuchTableException', identifierText(id));
    assertError(
      await catalog.request('POST', `${api.prefix}/transactions/commit`, {
        body: { 'table-changes': [{ identifier: { namespace: id.namespace, name: id.name }, ...anUpdateCommit(loaded.metadata, [setProperties({ late: 'tx' })]) }] },
      }),
      404,
      'NoSuchTableException',
    );
    assertError(await api.load(id), 404, 'NoSuchTableException');
  });

  test('a commit that read the pointer before the unregister cannot swap it afterwards', async () => {
    const { id } = await tableWithFiles();
    const ctx = await catalog.context();
    const stale = await findTablePointer(ctx, catalog.warehouse, id);
    assert.ok(stale !== undefined);
    await unregisterOk(id);
    // The commit's pointer swap, as commit-table.ts sends it: If-Match on the ETag it read. The
    // tombstone (or its deletion) changed the ETag, so the swap is refused and the commit, on its
    // next attempt, finds no table.
    const next = { ...stale.pointer.value, metadataLocation: `${stale.pointer.value.metadataLocation}.never` };
    const outcome = await swapPointer(ctx, stale.key, stale.pointer, next, async () => false);
    assert.equal(outcome.landed, false);
    assert.equal(await findTablePointer(ctx, catalog.warehouse, id), undefined);
    assertError(await api.load(id), 404, 'NoSuchTableException');
  });

  test('commits racing an unregister: none lands after it, every accepted one is in what it returned', async (t) => {
    const { id, loaded } = await tableWithFiles();
    const WRITERS = 8;
    const STAGGER_MS = 15;
    // Property updates without requirements never conflict: each is retried server-side until it
    // lands or finds no table.
    // Staggered around the unregister, so some commits land before it and some come after.
    const commits = Array.from({ length: WRITERS }, async (_, i) => {
      await delay(i * STAGGER_MS);
      return api.commit(id, { requirements: [], updates: [setProperties({ [`w${i}`]: String(i) })] });
    });
    const unregistered = delay((WRITERS / 2) * STAGGER_MS).then(() => unregister(id));
    const answers = await Promise.all(commits);
    const result = await unregistered;
    assertStatus(result, 200);
    const metadata = (result.body as unknown as UnregisterResultJson).metadata;
    for (const [i, answer] of answers.entries()) {
      if (answer.status === 200) assert.equal(metadata.properties?.[`w${i}`], String(i), `commit ${i} answered 200, so it is in the unregistered metadata`);
      // A swap in doubt (RGW answers some race losers 500) whose pointer the unregister then retired
      // and deleted cannot be settled: it may have landed just before the unregister (and be in
      // its answer) or not. Unknown is the honest answer (invariant 8), never a 200 or a 404 guess.
      else if (answer.status === 500) assertError(answer, 500, 'CommitStateUnknownException');
      else assertError(answer, 404, 'NoSuchTableException');
    }
    t.diagnostic(`racing commits: ${answers.filter((a) => a.status === 200).length} landed before the unregister, ${answers.filter((a) => a.status === 404).length} found no table, ${answers.filter((a) => a.status === 500).length} unknown`);
    // Nothing landed afterwards: the name is free, and registering the returned location gives exactly that metadata.
    assertError(await api.load(id), 404, 'NoSuchTableException');
    assertStatus(await api.register(id.namespace, id.name, (result.body as unknown as UnregisterResultJson)['metadata-location']), 200);
    assert.deepEqual((await api.loadOk(id)).metadata, metadata);
    assert.equal(metadata['table-uuid'], loaded.metadata['table-uuid']);
  });

  test('the un-prefixed twin unregisters from the default warehouse', async () => {
    const { id, created } = await api.newTable();
    const response = await catalog.request('POST', `/v1/namespaces/${namespacePath(id.namespace)}/tables/${encodeLevel(id.name)}/unregister`);
    assertStatus(response, 200);
    assert.equal((response.body as unknown as UnregisterResultJson)['metadata-location'], created['metadata-location']);
    assertError(await api.load(id), 404, 'NoSuchTableException');
  });

  test('an unknown table, or a table in an unknown namespace: 404 NoSuchTableException', async () => {
    const namespace = await api.newNamespace();
    assertError(await unregister({ namespace, name: 'missing' }), 404, 'NoSuchTableException', `Table does not exist: ${namespace[0]}.missing`);
    assertError(await unregister({ namespace: [`no_ns_${randomUUID().slice(0, 8)}`], name: 'missing' }), 404, 'NoSuchTableException');
  });

  test('a second unregister without a key is a 404, like a second drop', async () => {
    const { id } = await api.newTable();
    await unregisterOk(id);
    assertError(await unregister(id), 404, 'NoSuchTableException');
  });

  test('a retry with the same Idempotency-Key answers the first result again; a new key gets 404', async () => {
    const { id, created } = await api.newTable();
    const key = randomUUID();
    const first = await unregister(id, { key });
    const again = await unregister(id, { key });
    assertStatus(first, 200);
    assertStatus(again, 200);
    assert.equal(again.text, first.text);
    assert.equal((first.body as unknown as UnregisterResultJson)['metadata-location'], created['metadata-location']);
    assertError(await unregister(id, { key: randomUUID() }), 404, 'NoSuchTableException');
  });

  test('a caller without NamespaceOwner is refused, and the table stays', async () => {
    const { id } = await api.newTable();
    const scope = { type: 'Namespace', warehouse: catalog.warehouse, namespace: id.namespace } as const;
    const writer = await keyWithRole(catalog, `writer-${randomUUID().slice(0, 8)}`, 'TableWriter', scope);
    const reader = await keyWithRole(catalog, `reader-${randomUUID().slice(0, 8)}`, 'TableReader', scope);
    const nobody = await keyWithRole(catalog, `nobody-${randomUUID().slice(0, 8)}`);
    assertError(await unregister(id, { token: writer }), 403, 'ForbiddenException');
    assertError(await unregister(id, { token: reader }), 403, 'ForbiddenException');
    // A caller who may not even see the table is told it does not exist, as for every table route.
    assertError(await unregister(id, { token: nobody }), 404, 'NoSuchTableException');
    assertError(await unregister(id, { token: null }), 401);
    assertStatus(await api.load(id), 200);

    const owner = await keyWithRole(catalog, `owner-${randomUUID().slice(0, 8)}`, 'NamespaceOwner', scope);
    assertStatus(await unregister(id, { token: owner }), 200);
    assertError(await api.load(id), 404, 'NoSuchTableException');
  });
});
