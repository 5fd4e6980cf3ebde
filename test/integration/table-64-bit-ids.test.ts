import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { namespacePath, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { assertStatus } from '../support/assertions.js';
import { appendCommit, createTableBody, tableState } from '../support/table-requests.js';

/** Snapshot ids, sequence numbers and row ids use the whole signed 64-bit range; none may be rounded. */
let catalog: TestCatalog;
let P: string;
before(async () => {
  catalog = await startTestCatalog();
  P = `/v1/${catalog.warehouse}`;
});
after(async () => catalog.close());

const MAX = 9223372036854775807n;
const NEAR_MAX = 9223372036854775806n;
const MIN = -9223372036854775808n;

test('ids near 2^63 round-trip exactly through create, commit, load and the stored metadata file', async () => {
  const namespace = [uniqueName('longs')];
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace } }), 200);
  const tablePath = `${P}/namespaces/${namespacePath(namespace)}/tables/t`;
  assertStatus(await catalog.request('POST', `${P}/namespaces/${namespacePath(namespace)}/tables`, { body: createTableBody('t', { properties: { 'format-version': '3' } }) }), 200);

  let state = tableState(((await catalog.request('GET', tablePath)).body as { metadata: Record<string, unknown> }).metadata);
  const first = appendCommit(state, MAX);
  const firstSnapshot = (first['updates'] as { snapshot?: Record<string, unknown> }[])[0]!.snapshot!;
  firstSnapshot['first-row-id'] = 0;
  firstSnapshot['added-rows'] = NEAR_MAX - 10n;
  assertStatus(await catalog.request('POST', tablePath, { body: first }), 200);

  state = tableState(((await catalog.request('GET', tablePath)).body as { metadata: Record<string, unknown> }).metadata);
  const second = appendCommit(state, MIN);
  const secondSnapshot = (second['updates'] as { snapshot?: Record<string, unknown> }[])[0]!.snapshot!;
  secondSnapshot['first-row-id'] = NEAR_MAX - 10n;
  secondSnapshot['added-rows'] = 5;
  const committed = await catalog.request('POST', tablePath, { body: second });
  assertStatus(committed, 200);

  const loaded = await catalog.request('GET', tablePath);
  assertStatus(loaded, 200);
  // The raw text carries the exact digits: nothing went through a double.
  assert.ok(loaded.text.includes('"snapshot-id":9223372036854775807'), 'max id rounded');
  assert.ok(loaded.text.includes('"snapshot-id":-9223372036854775808'), 'min id rounded');
  assert.ok(loaded.text.includes('"parent-snapshot-id":9223372036854775807'));
  assert.ok(loaded.text.includes(`"next-row-id":${NEAR_MAX - 5n}`), 'next-row-id rounded');
  const metadata = (loaded.body as { metadata: Record<string, unknown> }).metadata;
  assert.equal(tableState(metadata).mainSnapshotId, MIN);

  const location = (loaded.body as { 'metadata-location': string })['metadata-location'];
  const ctx = await catalog.context();
  const stored = new TextDecoder().decode(await ctx.files.read(location));
  assert.ok(stored.includes('9223372036854775807') && stored.includes('-9223372036854775808') && stored.includes(String(NEAR_MAX - 5n)));
});
