import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createInsideNamespace, createRecord } from '../../core/catalog/namespaces/create-inside-namespace.js';
import { namespacePath, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';

/**
 * Invariant 3 (catalog-on-s3.md): a table is never left in a namespace that a concurrent drop
 * removed, and a namespace holding a table is never dropped. Table routes come later, so the tables
 * here are bare pointers written through the same guard the table routes will use, against the
 * same store the server's handlers use; the drops go over HTTP.
 */
let catalog: TestCatalog;
let P: string;
before(async () => {
  catalog = await startTestCatalog();
  P = `/v1/${catalog.warehouse}`;
});
after(async () => catalog.close());

const ROUNDS = 16;
const CREATORS = 6;

test('namespace drop racing table creates: never a table in a dropped namespace, never a non-empty namespace dropped', async () => {
  const ctx = await catalog.context();
  const outcomes = { dropped: 0, refusedNotEmpty: 0, tablesCreated: 0, tablesRefused: 0 };
  // The stagger scales with this store's drop latency (local files, RGW and AWS differ tenfold),
  // so that every store sees creates land before, during and after the drop.
  const probe = [uniqueName('probe')];
  assert.equal((await catalog.request('POST', `${P}/namespaces`, { body: { namespace: probe } })).status, 200);
  const probeStart = performance.now();
  assert.equal((await catalog.request('DELETE', `${P}/namespaces/${namespacePath(probe)}`)).status, 204);
  const dropMs = Math.max(1, performance.now() - probeStart);
  for (let round = 0; round < ROUNDS; round++) {
    const namespace = [uniqueName(`race${round}`)];
    const created = await catalog.request('POST', `${P}/namespaces`, { body: { namespace } });
    assert.equal(created.status, 200);
    const creates = Array.from({ length: CREATORS }, async (_, i) => {
      // Stagger the writers so some land before the drop's listing, some after its mark and, in
      // later rounds, some after the drop has finished.
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * dropMs * 3 * ((round + 1) / ROUNDS))));
      const key = ctx.keys.tablePointer(catalog.warehouse, namespace, `t${i}`);
      try {
        return { key, outcome: await createInsideNamespace(ctx, catalog.warehouse, namespace, createRecord(ctx, key, { kind: 'table', state: 'active', 'state-since-ms': Date.now(), uuid: `u${i}`, 'metadata-location': 'file:///nowhere' })) };
      } catch (error) {
        return { key, outcome: (error as { type?: string }).type ?? 'error' };
      }
    });
    const dropped = catalog.request('DELETE', `${P}/namespaces/${namespacePath(namespace)}`);
    const [dropResponse, ...results] = await Promise.all([dropped, ...creates]);
    const createdKeys = results.filter((r) => r.outcome === 'created').map((r) => r.key);
    for (const r of results) assert.ok(['created', 'NoSuchNamespaceException', 'ConcurrentModificationException'].includes(r.outcome), `unexpected ${r.outcome}`);

    const folder = ctx.keys.namespaceFolder(catalog.warehouse, namespace);
    const remaining = await ctx.records.objects.list({ prefix: folder });
    const remainingTables = remaining.objects.map((o) => o.key).filter((k) => k !== `${folder}_ns`);
    const namespaceExists = (await catalog.request('HEAD', `${P}/namespaces/${namespacePath(namespace)}`)).status === 204;

    if (dropResponse.status === 204) {
      outcomes.dropped++;
      assert.equal(createdKeys.length, 0, 'a create succeeded in a namespace that was then dropped');
      assert.equal(namespaceExists, false);
      assert.deepEqual(remainingTables, [], 'a table pointer was left in a dropped namespace');
    } else {
      assert.equal(dropResponse.status, 409, dropResponse.text);
      outcomes.refusedNotEmpty++;
      assert.equal(namespaceExists, true);
      assert.ok(createdKeys.length > 0 || remainingTables.length === 0);
    }
    // Every pointer still there belongs to a create that reported success, and vice versa.
    assert.deepEqual([...remainingTables].sort(), [...createdKeys].sort());
    outcomes.tablesCreated += createdKeys.length;
    outcomes.tablesRefused += results.length - createdKeys.length;
  }
  // Both sides must have won sometimes, or the race was not exercised.
  process.stdout.write(`# drop-race outcomes ${JSON.stringify(outcomes)}\n`);
  assert.ok(outcomes.tablesCreated > 0, 'no create ever won');
  assert.ok(outcomes.dropped > 0, 'no drop ever won');
});
