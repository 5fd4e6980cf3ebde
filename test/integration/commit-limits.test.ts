import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { namespacePath, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { assertError, assertStatus } from '../support/assertions.js';
import { aCreateTableRequest, type LoadTableResultJson } from '../support/table-fixtures.js';
import { aCreateViewRequest, type LoadViewResultJson } from '../support/view-fixtures.js';

// F6: a commit carries at most 1,000 updates and 100 requirements (table, view, each table of a
// transaction); 1,000 updates apply in one linear pass.
let catalog: TestCatalog;
let base: string;
let ns: string[];
let tableUuid: string;
let viewUuid: string;
before(async () => {
  catalog = await startTestCatalog();
  ns = [uniqueName('limits')];
  base = `/v1/${catalog.warehouse}/namespaces/${namespacePath(ns)}`;
  assertStatus(await catalog.request('POST', `/v1/${catalog.warehouse}/namespaces`, { body: { namespace: ns } }), 200);
  const table = await catalog.request('POST', `${base}/tables`, { body: aCreateTableRequest('t') });
  tableUuid = (table.body as unknown as LoadTableResultJson).metadata['table-uuid'];
  const view = await catalog.request('POST', `${base}/views`, { body: aCreateViewRequest('v') });
  viewUuid = (view.body as unknown as LoadViewResultJson).metadata['view-uuid'];
});
after(async () => catalog.close());

const updates = (n: number) => Array.from({ length: n }, (_, i) => ({ action: 'set-properties', updates: { [`k${i}`]: `v${i}` } }));

test('a table commit with 1,000 updates applies; 1,001 updates or 101 requirements are a 400', async () => {
  const ok = await catalog.request('POST', `${base}/tables/t`, { body: { requirements: [{ type: 'assert-table-uuid', uuid: tableUuid }], updates: updates(1_000) } });
  assertStatus(ok, 200);
  assert.equal(Object.keys((ok.body as unknown as LoadTableResultJson).metadata.properties).filter((key) => key.startsWith('k')).length, 1_000);
  assertError(await catalog.request('POST', `${base}/tables/t`, { body: { requirements: [], updates: updates(1_001) } }), 400, 'BadRequestException', 'at most 1000 updates');
  const requirements = Array.from({ length: 101 }, () => ({ type: 'assert-table-uuid', uuid: tableUuid }));
  assertError(await catalog.request('POST', `${base}/tables/t`, { body: { requirements, updates: updates(1) } }), 400, 'BadRequestException', 'at most 100 requirements');
});

test('a view commit with 1,001 updates is a 400', async () => {
  assertError(await catalog.request('POST', `${base}/views/v`, { body: { requirements: [{ type: 'assert-view-uuid', uuid: viewUuid }], updates: updates(1_001) } }), 400, 'BadRequestException', 'at most 1000 updates');
});

test('a transaction whose table change carries 1,001 updates is a 400 and commits nothing', async () => {
  const body = { 'table-changes': [{ identifier: { namespace: ns, name: 't' }, requirements: [], updates: updates(1_001).map((u, i) => ({ ...u, updates: { [`tx${i}`]: 'x' } })) }] };
  assertError(await catalog.request('POST', `/v1/${catalog.warehouse}/transactions/commit`, { body }), 400, 'BadRequestException', 'at most 1000 updates');
  const loaded = await catalog.request('GET', `${base}/tables/t`);
  assert.equal((loaded.body as unknown as LoadTableResultJson).metadata.properties['tx0'], undefined);
});
