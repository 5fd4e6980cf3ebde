import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCatalog, type TestCatalog } from '../support/catalog-harness.js';
import { assertError } from '../support/assertions.js';
import { setProperties, type TableId } from '../support/table-fixtures.js';
import { aCreateViewRequest, aViewCommit, aViewVersion, viewApi, type ViewApi } from '../support/view-fixtures.js';

/** Malformed view bodies answer 4xx in the error model, never 500, and change nothing. */
let catalog: TestCatalog;
let views: ViewApi;

before(async () => {
  catalog = await startTestCatalog();
  views = viewApi(catalog);
});
after(async () => catalog.close());

function assertClientError(response: Awaited<ReturnType<ViewApi['load']>>): void {
  assert.ok(response.status >= 400 && response.status < 500, `expected a 4xx, got ${response.status}: ${response.text}`);
  assertError(response, response.status);
}

const valid = aCreateViewRequest('v');
const { name: _name, ...withoutName } = valid;
const { schema: _schema, ...withoutSchema } = valid;
const { 'view-version': _version, ...withoutVersion } = valid;

describe('createView', () => {
  const bodies: [string, unknown][] = [
    ['no name', withoutName],
    ['no schema', withoutSchema],
    ['no view-version', withoutVersion],
    ['an empty name', { ...valid, name: '' }],
    ['a numeric name', { ...valid, name: 7 }],
    ['a name with a control character', { ...valid, name: 'a\u0001b' }],
    ['a schema that is a string', { ...valid, schema: 'struct' }],
    ['a field without a type', { ...valid, schema: { type: 'struct', fields: [{ id: 1, name: 'a', required: true }] } }],
    ['representations that are not an array', { ...valid, 'view-version': { ...aViewVersion(), representations: 'select 1' } }],
    ['an unknown representation type', { ...valid, 'view-version': { ...aViewVersion(), representations: [{ type: 'python', sql: 'x', dialect: 'd' }] } }],
    ['no default-namespace', { ...valid, 'view-version': { ...aViewVersion(), 'default-namespace': undefined } }],
    ['non-string properties', { ...valid, properties: { a: 1 } }],
    ['a location that is not a URI', { ...valid, location: 'relative/path' }],
    ['a location with an unsupported scheme', { ...valid, location: 'ftp://host/view' }],
    ['an array body', [valid]],
    ['a null body', null],
  ];
  for (const [what, body] of bodies) {
    test(`${what}: 4xx`, async () => {
      const namespace = await views.newNamespace();
      assertClientError(await views.create(namespace, body));
      assert.deepEqual(await views.listNames(namespace), []);
    });
  }

  test('non-JSON and empty bodies: 400', async () => {
    const namespace = await views.newNamespace();
    const url = `${views.prefix}/namespaces/${namespace[0]}/views`;
    assertError(await catalog.request('POST', url, { rawBody: '{"name": "v", ' }), 400);
    assertError(await catalog.request('POST', url, { rawBody: 'not json' }), 400);
    assertClientError(await catalog.request('POST', url));
  });
});

describe('replaceView', () => {
  let id: TableId;
  let base: Awaited<ReturnType<ViewApi['loadOk']>>;
  before(async () => {
    ({ id, created: base } = await views.newView());
  });

  /** Built inside the test: `base` is only known once `before` ran. */
  const commits = (): [string, unknown][] => [
    ['no updates', { requirements: [] }],
    ['updates that are not an array', { updates: { action: 'set-properties' } }],
    ['an unknown update action', { updates: [{ action: 'add-snapshot', snapshot: {} }] }],
    ['an update without an action', { updates: [{ updates: { a: 'b' } }] }],
    ['an unknown requirement', { requirements: [{ type: 'assert-create' }], updates: [] }],
    ['assert-view-uuid without a uuid', { requirements: [{ type: 'assert-view-uuid' }], updates: [] }],
    ['add-view-version without a version', { updates: [{ action: 'add-view-version' }] }],
    ['add-view-version with a string version id', { updates: [{ action: 'add-view-version', 'view-version': { ...aViewVersion(), 'version-id': 'two' } }] }],
    ['set-current-view-version of an unknown version', { updates: [{ action: 'set-current-view-version', 'view-version-id': 42 }] }],
    ['set-current-view-version below -1', { updates: [{ action: 'set-current-view-version', 'view-version-id': -2 }] }],
    ['set-location without a location', { updates: [{ action: 'set-location' }] }],
    ['remove-properties with a string', { updates: [{ action: 'remove-properties', removals: 'a' }] }],
    ['add-schema with a bad schema', { updates: [{ action: 'add-schema', schema: { type: 'struct' } }] }],
    ['an identifier that is not an object', { identifier: 'ns.v', updates: [] }],
    ['a body that is an array', [aViewCommit(base.metadata, [setProperties({ a: 'b' })])]],
  ];

  test('each malformed commit is a 4xx, and the view is unchanged', async () => {
    for (const [what, body] of commits()) {
      const answer = await views.replace(id, body);
      assert.ok(answer.status >= 400 && answer.status < 500, `${what}: expected a 4xx, got ${answer.status}: ${answer.text}`);
      assertError(answer, answer.status);
    }
    assert.deepEqual(await views.loadOk(id), base);
  });

  test('non-JSON body: 400', async () => {
    assertError(await catalog.request('POST', `${views.prefix}/namespaces/${id.namespace[0]}/views/${id.name}`, { rawBody: '[{' }), 400);
  });
});

describe('renameView and registerView', () => {
  const renames: [string, unknown][] = [
    ['no source', { destination: { namespace: ['a'], name: 'b' } }],
    ['no destination', { source: { namespace: ['a'], name: 'b' } }],
    ['a namespace that is a string', { source: { namespace: 'a', name: 'b' }, destination: { namespace: ['a'], name: 'c' } }],
    ['an empty namespace', { source: { namespace: [], name: 'b' }, destination: { namespace: ['a'], name: 'c' } }],
    ['a numeric name', { source: { namespace: ['a'], name: 1 }, destination: { namespace: ['a'], name: 'c' } }],
  ];
  for (const [what, body] of renames) {
    test(`rename with ${what}: 400`, async () => {
      assertError(await catalog.request('POST', `${views.prefix}/views/rename`, { body }), 400);
    });
  }

  const registers: [string, unknown][] = [
    ['no name', { 'metadata-location': 's3://b/x.metadata.json' }],
    ['no metadata-location', { name: 'v' }],
    ['a numeric metadata-location', { name: 'v', 'metadata-location': 5 }],
    ['an empty name', { name: '', 'metadata-location': 's3://b/x.metadata.json' }],
  ];
  for (const [what, body] of registers) {
    test(`register with ${what}: 400`, async () => {
      const namespace = await views.newNamespace();
      assertError(await catalog.request('POST', `${views.prefix}/namespaces/${namespace[0]}/register-view`, { body }), 400);
    });
  }

  test('a view name too long for a record key: 400', async () => {
    const namespace = await views.newNamespace();
    assertError(await views.create(namespace, aCreateViewRequest('x'.repeat(300))), 400);
  });
});
