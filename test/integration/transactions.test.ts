import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pointerKey, readPointer } from '../../core/catalog/pointers/pointer-protocol.js';
import { namespacePath, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { assertError, assertStatus } from '../support/assertions.js';
import { createTableBody } from '../support/table-requests.js';

/** POST /transactions/commit: all table changes land or none (TestRESTCatalog's multi-table tests). */
let catalog: TestCatalog;
let P: string;
before(async () => {
  catalog = await startTestCatalog();
  P = `/v1/${catalog.warehouse}`;
});
after(async () => catalog.close());

async function tables(count: number): Promise<{ namespace: string[]; names: string[] }> {
  const namespace = [uniqueName('tx')];
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace } }), 200);
  const names = Array.from({ length: count }, (_, i) => `t${i}`);
  for (const name of names) assertStatus(await catalog.request('POST', `${P}/namespaces/${namespacePath(namespace)}/tables`, { body: createTableBody(name) }), 200);
  return { namespace, names };
}

const load = async (namespace: string[], name: string) =>
  (await catalog.request('GET', `${P}/namespaces/${namespacePath(namespace)}/tables/${name}`)).body as { 'metadata-location': string; metadata: Record<string, unknown> };

/** What a schema change sends: assert the current schema, add a column, make it current. */
function addColumn(namespace: string[], name: string, column: string, expectedSchemaId = 0) {
  return {
    identifier: { namespace, name },
    requirements: [{ type: 'assert-current-schema-id', 'current-schema-id': expectedSchemaId }],
    updates: [
      {
        action: 'add-schema',
        schema: {
          type: 'struct',
          fields: [
            { id: 1, name: 'id', required: true, type: 'long' },
            { id: 2, name: 'data', required: false, type: 'string' },
            { id: 3, name: column, required: false, type: 'string' },
          ],
        },
      },
      { action: 'set-current-schema', 'schema-id': -1 },
    ],
  };
}

test('two tables change in one call and both land (multipleDiffsAgainstMultipleTables)', async () => {
  const { namespace, names } = await tables(2);
  const response = await catalog.request('POST', `${P}/transactions/commit`, { body: { 'table-changes': names.map((n) => addColumn(namespace, n, 'extra')) } });
  assertStatus(response, 204);
  for (const name of names) assert.equal((await load(namespace, name)).metadata['current-schema-id'], 1);
});

test('when the last table fails its requirement, neither table changes (multipleDiffsAgainstMultipleTablesLastFails)', async () => {
  const { namespace, names } = await tables(2);
  const before = await Promise.all(names.map((n) => load(namespace, n)));
  const changes = [addColumn(namespace, names[0]!, 'extra'), addColumn(namespace, names[1]!, 'extra', 1)];
  assertError(await catalog.request('POST', `${P}/transactions/commit`, { body: { 'table-changes': changes } }), 409, 'CommitFailedException', 'Requirement failed: current schema changed: expected id 1 != 0');
  const afterwards = await Promise.all(names.map((n) => load(namespace, n)));
  assert.deepEqual(afterwards.map((t) => t['metadata-location']), before.map((t) => t['metadata-location']));
});

test('a missing table fails the whole transaction with 404', async () => {
  const { namespace, names } = await tables(1);
  const changes = [addColumn(namespace, names[0]!, 'x'), addColumn(namespace, 'missing', 'x')];
  assertError(await catalog.request('POST', `${P}/transactions/commit`, { body: { 'table-changes': changes } }), 404, 'NoSuchTableException', 'missing');
  assert.equal((await load(namespace, names[0]!)).metadata['current-schema-id'], 0);
});

test('overlapping transactions race: exactly one wins, the other gets 409, no pointer is left pending', async () => {
  const ROUNDS = 6;
  let wins = 0;
  let conflicts = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const { namespace, names } = await tables(3);
    const [a, b, c] = names as [string, string, string];
    const first = catalog.request('POST', `${P}/transactions/commit`, { body: { 'table-changes': [addColumn(namespace, a, 'x'), addColumn(namespace, b, 'x')] } });
    const second = catalog.request('POST', `${P}/transactions/commit`, { body: { 'table-changes': [addColumn(namespace, c, 'y'), addColumn(namespace, b, 'y')] } });
    const statuses = (await Promise.all([first, second])).map((r) => r.status).sort();
    assert.deepEqual(statuses, [204, 409], `round ${round}: ${JSON.stringify(statuses)}`);
    wins++;
    conflicts++;
    const ctx = await catalog.context();
    for (const name of names) {
      const raw = await readPointer(ctx, pointerKey(ctx, catalog.warehouse, namespace, 'table', name));
      assert.equal(raw?.value.pending, undefined, `table ${name} left pending`);
    }
    // The winner's tables all moved, the loser's untouched one did not.
    const schemaIds = await Promise.all(names.map(async (n) => (await load(namespace, n)).metadata['current-schema-id']));
    assert.equal(schemaIds[1], 1);
    assert.ok((schemaIds[0] === 1 && schemaIds[2] === 0) || (schemaIds[0] === 0 && schemaIds[2] === 1), JSON.stringify(schemaIds));
  }
  process.stdout.write(`# overlapping transactions: ${wins} winners, ${conflicts} 409s over ${ROUNDS} rounds\n`);
});

test('malformed transaction bodies: 4xx in the error model', async () => {
  const { namespace, names } = await tables(1);
  const bodies: unknown[] = [
    {},
    { 'table-changes': [] },
    { 'table-changes': 'x' },
    { 'table-changes': [42] },
    { 'table-changes': [{ requirements: [], updates: [] }] },
    { 'table-changes': [{ identifier: { namespace, name: names[0] }, updates: [] }] },
    { 'table-changes': [{ identifier: { namespace: 'flat', name: 'x' }, requirements: [], updates: [] }] },
    { 'table-changes': [{ identifier: { namespace, name: names[0] }, requirements: [], updates: [{ action: 'nope' }] }] },
    { 'table-changes': [addColumn(namespace, names[0]!, 'a'), addColumn(namespace, names[0]!, 'b')] },
    { 'table-changes': [{ identifier: { namespace, name: names[0] }, requirements: [{ type: 'assert-create' }], updates: [] }] },
    { 'table-changes': Array.from({ length: 101 }, (_, i) => ({ identifier: { namespace, name: `t${i}` }, requirements: [], updates: [] })) },
  ];
  for (const body of bodies) assertError(await catalog.request('POST', `${P}/transactions/commit`, { body }), 400);
  assertError(await catalog.request('POST', `${P}/transactions/commit`, { rawBody: '{"table-changes": [' }), 400);
});
