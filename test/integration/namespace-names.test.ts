import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { encodeLevel, namespacePath, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { assertStatus } from '../support/assertions.js';

// Names must survive the trip through path encoding, the store key escaping and the listing.
let catalog: TestCatalog;
let P: string;
before(async () => {
  catalog = await startTestCatalog();
  P = `/v1/${catalog.warehouse}`;
});
after(async () => catalog.close());

const NAMES = [
  'with space',
  'dots.in.name',
  'per%cent',
  '%25already-encoded',
  'plus+sign',
  'slash/like',
  'back\\slash',
  'division∕slash',
  'fullwidth／slash',
  'equals=sign',
  'question?mark',
  'hash#tag',
  'amp&ersand',
  'quote"and\'apostrophe',
  'ünïcödé',
  '日本語の名前',
  'emoji 🧊🐘',
  '..',
  '.',
  'n=fake',
  '_ns',
  't=table',
];

for (const stem of NAMES) {
  test(`namespace level ${JSON.stringify(stem)} round-trips through create, load, list, nested list and drop`, async () => {
    const name = `${stem}${uniqueName('')}`;
    const child = [name, stem];
    assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace: [name] } }), 200);
    assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace: child, properties: { stem } } }), 200);
    const loaded = await catalog.request('GET', `${P}/namespaces/${namespacePath(child)}`);
    assertStatus(loaded, 200);
    assert.deepEqual(loaded.body, { namespace: child, properties: { stem } });
    assertStatus(await catalog.request('HEAD', `${P}/namespaces/${namespacePath([name])}`), 204);
    const top = await catalog.request('GET', `${P}/namespaces`);
    assert.ok((top.body as { namespaces: string[][] }).namespaces.some((n) => n[0] === name));
    const nested = await catalog.request('GET', `${P}/namespaces?parent=${encodeLevel(name)}`);
    assert.deepEqual((nested.body as { namespaces: string[][] }).namespaces, [child]);
    assertStatus(await catalog.request('DELETE', `${P}/namespaces/${namespacePath(child)}`), 204);
    assertStatus(await catalog.request('DELETE', `${P}/namespaces/${namespacePath([name])}`), 204);
  });
}

test('a percent-encoded %1F splits levels, while an encoded %251F is a literal "%1F" inside one level', async () => {
  const name = uniqueName('sep');
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace: [name] } }), 200);
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace: [name, 'x'] } }), 200);
  assertStatus(await catalog.request('HEAD', `${P}/namespaces/${name}%1fx`), 204);
  assert.equal((await catalog.request('HEAD', `${P}/namespaces/${name}%251Fx`)).status, 404);
});
