import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MAX_ESCAPED_NAME_BYTES } from '../../core/catalog/namespace.js';
import { encodeLevel, namespacePath, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { assertError, assertStatus } from '../support/assertions.js';
import { aCreateTableRequest } from '../support/table-fixtures.js';
import { aCreateViewRequest } from '../support/view-fixtures.js';

// C4: a name counts by the bytes it takes once escaped for storage, so names at the 255-character
// limit answer 400 instead of a 500 from the file system (ENAMETOOLONG) or from S3 (C3: bidi).
let catalog: TestCatalog;
let P: string;
let ns: string[];
before(async () => {
  catalog = await startTestCatalog();
  P = `/v1/${catalog.warehouse}`;
  ns = [uniqueName('limits')];
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace: ns } }), 200);
});
after(async () => catalog.close());

const TOO_LONG = ['a'.repeat(255), 'é'.repeat(255), 'a'.repeat(MAX_ESCAPED_NAME_BYTES + 1), '.'.repeat(49), '日本'.repeat(14)];

for (const name of TOO_LONG) {
  const label = `${name.slice(0, 3)}… (${name.length} characters)`;
  test(`namespace ${label}: 400`, async () => {
    assertError(await catalog.request('POST', `${P}/namespaces`, { body: { namespace: [name] } }), 400, 'BadRequestException', 'too long');
    assertError(await catalog.request('POST', `${P}/namespaces`, { body: { namespace: [...ns, name] } }), 400, 'BadRequestException', 'too long');
    assertError(await catalog.request('GET', `${P}/namespaces/${namespacePath([name])}`), 400, 'BadRequestException', 'too long');
  });
  test(`table ${label}: 400`, async () => {
    assertError(await catalog.request('POST', `${P}/namespaces/${namespacePath(ns)}/tables`, { body: aCreateTableRequest(name) }), 400, 'BadRequestException', 'too long');
    assertError(await catalog.request('GET', `${P}/namespaces/${namespacePath(ns)}/tables/${encodeLevel(name)}`), 400, 'BadRequestException');
  });
  test(`view ${label}: 400`, async () => {
    assertError(await catalog.request('POST', `${P}/namespaces/${namespacePath(ns)}/views`, { body: aCreateViewRequest(name) }), 400, 'BadRequestException', 'too long');
    assertError(await catalog.request('GET', `${P}/namespaces/${namespacePath(ns)}/views/${encodeLevel(name)}`), 400, 'BadRequestException');
  });
}

for (const name of ['b'.repeat(MAX_ESCAPED_NAME_BYTES), 'é'.repeat(40)]) {
  test(`the longest admitted name (${name.slice(0, 1)} x ${name.length}) works for a namespace, a table and a view`, async () => {
    const level = [name];
    assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace: level } }), 200);
    assertStatus(await catalog.request('GET', `${P}/namespaces/${namespacePath(level)}`), 200);
    assertStatus(await catalog.request('POST', `${P}/namespaces/${namespacePath(level)}/tables`, { body: aCreateTableRequest(name) }), 200);
    assertStatus(await catalog.request('GET', `${P}/namespaces/${namespacePath(level)}/tables/${encodeLevel(name)}`), 200);
    assertStatus(await catalog.request('POST', `${P}/namespaces/${namespacePath(level)}/views`, { body: aCreateViewRequest(`${name.slice(1)}v`) }), 200);
    const listed = await catalog.request('GET', `${P}/namespaces/${namespacePath(level)}/tables`);
    assert.deepEqual((listed.body as { identifiers: { name: string }[] }).identifiers.map((id) => id.name), [name]);
    assertStatus(await catalog.request('DELETE', `${P}/namespaces/${namespacePath(level)}/views/${encodeLevel(`${name.slice(1)}v`)}`), 204);
    assertStatus(await catalog.request('DELETE', `${P}/namespaces/${namespacePath(level)}/tables/${encodeLevel(name)}`), 204);
    assertStatus(await catalog.request('DELETE', `${P}/namespaces/${namespacePath(level)}`), 204);
  });
}

test('a right-to-left override in a name is a 400 (C3)', async () => {
  assertError(await catalog.request('POST', `${P}/namespaces`, { body: { namespace: ['txt\u202eexe'] } }), 400, 'BadRequestException', 'bidirectional');
  assertError(await catalog.request('POST', `${P}/namespaces/${namespacePath(ns)}/tables`, { body: aCreateTableRequest('a\u2066b') }), 400, 'BadRequestException', 'bidirectional');
});
