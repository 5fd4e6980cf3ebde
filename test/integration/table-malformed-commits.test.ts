import { after, before, describe, test } from 'node:test';
import { namespacePath, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { assertError, assertStatus } from '../support/assertions.js';
import { createTableBody } from '../support/table-requests.js';

/** Malformed commits and creates are the client's mistake: 4xx in the error model, never a 500. */
let catalog: TestCatalog;
let tablePath: string;
let tablesPath: string;
before(async () => {
  catalog = await startTestCatalog();
  const P = `/v1/${catalog.warehouse}`;
  const namespace = [uniqueName('malformed')];
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace } }), 200);
  tablesPath = `${P}/namespaces/${namespacePath(namespace)}/tables`;
  assertStatus(await catalog.request('POST', tablesPath, { body: createTableBody('t') }), 200);
  tablePath = `${tablesPath}/t`;
});
after(async () => catalog.close());

const snapshot = { 'snapshot-id': 1, 'timestamp-ms': 1, 'manifest-list': 's3://b/m.avro', summary: { operation: 'append' } };

const BAD_COMMITS: [string, unknown, number, string?][] = [
  ['unknown action', { requirements: [], updates: [{ action: 'drop-everything' }] }, 400, 'drop-everything'],
  ['unknown requirement', { requirements: [{ type: 'assert-sunny' }], updates: [] }, 400, 'assert-sunny'],
  ['missing requirements', { updates: [] }, 400, 'requirements'],
  ['missing updates', { requirements: [] }, 400, 'updates'],
  ['updates not an array', { requirements: [], updates: {} }, 400],
  ['update not an object', { requirements: [], updates: [42] }, 400],
  ['action not a string', { requirements: [], updates: [{ action: 7 }] }, 400],
  ['snapshot id a string', { requirements: [], updates: [{ action: 'add-snapshot', snapshot: { ...snapshot, 'snapshot-id': 'one' } }] }, 400, 'snapshot-id'],
  ['snapshot id a float', { requirements: [], updates: [{ action: 'add-snapshot', snapshot: { ...snapshot, 'snapshot-id': 1.5 } }] }, 400, 'snapshot-id'],
  ['snapshot id beyond 64 bits', { requirements: [], updates: [{ action: 'add-snapshot', snapshot: { ...snapshot, 'snapshot-id': 2n ** 64n } }] }, 400, 'snapshot-id'],
  ['schema with a bad type', { requirements: [], updates: [{ action: 'add-schema', schema: { type: 'struct', fields: [{ id: 1, name: 'x', required: true, type: 'decimal(x)' }] } }] }, 400],
  ['set-current-schema to an unknown id', { requirements: [], updates: [{ action: 'set-current-schema', 'schema-id': 99 }] }, 400, '99'],
  ['ref to an unknown snapshot', { requirements: [], updates: [{ action: 'set-snapshot-ref', 'ref-name': 'main', type: 'branch', 'snapshot-id': 12345 }] }, 400, '12345'],
  ['properties with a non-string value', { requirements: [], updates: [{ action: 'set-properties', updates: { a: 1 } }] }, 400],
  ['assert-ref-snapshot-id on a missing ref', { requirements: [{ type: 'assert-ref-snapshot-id', ref: 'nope', 'snapshot-id': 5 }], updates: [] }, 409, 'Requirement failed'],
  ['assert-table-uuid mismatch', { requirements: [{ type: 'assert-table-uuid', uuid: '00000000-0000-0000-0000-000000000000' }], updates: [] }, 409, 'UUID does not match'],
  ['identifier of another table', { identifier: { namespace: ['x'], name: 'y' }, requirements: [], updates: [] }, 400, 'identifier'],
  ['array body', [], 400],
];

describe('commit (updateTable)', () => {
  for (const [what, body, status, part] of BAD_COMMITS) {
    test(`${what}: ${status}`, async () => {
      const response = await catalog.request('POST', tablePath, { body });
      assertError(response, status, status === 409 ? 'CommitFailedException' : undefined, part);
    });
  }
  test('malformed JSON: 400', async () => {
    assertError(await catalog.request('POST', tablePath, { rawBody: '{"requirements": [' }), 400, 'BadRequestException', 'Malformed JSON');
  });
  test('oversized body: 400 PayloadTooLargeException (the spec lists no 413)', async () => {
    const updates = [{ action: 'set-properties', updates: { blob: 'x'.repeat(7 * 1024 * 1024) } }];
    assertError(await catalog.request('POST', tablePath, { body: { requirements: [], updates } }), 400, 'PayloadTooLargeException');
  });
  test('a commit to a missing table: 404 NoSuchTableException', async () => {
    assertError(await catalog.request('POST', `${tablesPath}/missing`, { body: { requirements: [], updates: [] } }), 404, 'NoSuchTableException', 'Table does not exist');
  });
});

const BAD_CREATES: [string, unknown][] = [
  ['missing name', { schema: createTableBody('x')['schema'] }],
  ['missing schema', { name: 'x' }],
  ['schema not a struct', { name: 'x', schema: { type: 'list' } }],
  ['field without an id', { name: 'x', schema: { type: 'struct', fields: [{ name: 'a', type: 'int', required: true }] } }],
  ['location not a URI', createTableBody('x', { location: 'relative/path' })],
  ['location with an unsupported scheme', createTableBody('x', { location: 'ftp://host/x' })],
  ['location with ..', createTableBody('x', { location: 's3://bucket/a/../b' })],
  ['partition source that does not exist', createTableBody('x', { 'partition-spec': { fields: [{ 'source-id': 99, transform: 'identity', name: 'p' }] } })],
  ['format-version 9', createTableBody('x', { properties: { 'format-version': '9' } })],
  ['stage-create not a boolean', createTableBody('x', { 'stage-create': 'yes' })],
  ['name with a control character', createTableBody('a\u0001b')],
];

describe('createTable', () => {
  for (const [what, body] of BAD_CREATES) {
    test(`${what}: 400`, async () => {
      assertError(await catalog.request('POST', tablesPath, { body }), 400);
    });
  }
});

describe('other table routes', () => {
  test('bad snapshots mode on load: 400', async () => {
    assertError(await catalog.request('GET', `${tablePath}?snapshots=some`), 400, 'BadRequestException', 'snapshots');
  });
  test('bad purgeRequested: 400', async () => {
    assertError(await catalog.request('DELETE', `${tablePath}?purgeRequested=maybe`), 400, 'BadRequestException', 'purgeRequested');
  });
  test('register without metadata-location: 400', async () => {
    assertError(await catalog.request('POST', tablesPath.replace(/tables$/, 'register'), { body: { name: 'r' } }), 400);
  });
  test('register of a missing metadata file: 400', async () => {
    assertError(await catalog.request('POST', tablesPath.replace(/tables$/, 'register'), { body: { name: 'r', 'metadata-location': 's3://nope/missing.metadata.json' } }), 400);
  });
  test('rename with a malformed identifier: 400', async () => {
    const P = tablesPath.slice(0, tablesPath.indexOf('/namespaces'));
    assertError(await catalog.request('POST', `${P}/tables/rename`, { body: { source: { namespace: 'x', name: 't' }, destination: { namespace: ['x'], name: 'u' } } }), 400);
  });
  test('metrics with an unknown report type: 400', async () => {
    assertError(await catalog.request('POST', `${tablePath}/metrics`, { body: { 'report-type': 'weather-report' } }), 400, 'BadRequestException', 'report-type');
  });
  test('a valid commit report: 204', async () => {
    const report = { 'report-type': 'commit-report', 'table-name': 't', 'snapshot-id': 1, 'sequence-number': 1, operation: 'append', metrics: {} };
    assertStatus(await catalog.request('POST', `${tablePath}/metrics`, { body: report }), 204);
  });
});
