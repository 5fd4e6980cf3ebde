import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { encodeLevel, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { assertError, assertStatus } from '../support/assertions.js';

let catalog: TestCatalog;
let P: string;
let parent: string;
const CHILDREN = 23;
let expected: string[];

before(async () => {
  catalog = await startTestCatalog();
  P = `/v1/${catalog.warehouse}`;
  parent = uniqueName('paged');
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace: [parent] } }), 200);
  expected = Array.from({ length: CHILDREN }, (_, i) => `child ${String(i).padStart(2, '0')}${i % 3 === 0 ? '.x' : ''}`);
  for (const child of expected) {
    assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace: [parent, child] } }), 200);
  }
});
after(async () => catalog.close());

async function page(query: string) {
  const response = await catalog.request('GET', `${P}/namespaces?parent=${encodeLevel(parent)}${query}`);
  assertStatus(response, 200);
  return response.body as { namespaces: string[][]; 'next-page-token': string | null };
}

test('without pageToken every child comes back in one answer with a null next-page-token', async () => {
  const all = await page('');
  assert.equal(all.namespaces.length, CHILDREN);
  assert.equal(all['next-page-token'], null);
});

test('an empty pageToken starts paging; tokens walk every child exactly once across several pages', async () => {
  const seen: string[] = [];
  let token = '';
  let pages = 0;
  do {
    const result = await page(`&pageToken=${encodeURIComponent(token)}&pageSize=5`);
    assert.ok(result.namespaces.length <= 5);
    seen.push(...result.namespaces.map((n) => n[1]!));
    token = result['next-page-token'] ?? '';
    pages++;
    assert.ok(pages < 20, 'paging does not terminate');
  } while (token !== '');
  assert.ok(pages >= 5, `expected at least 5 pages, got ${pages}`);
  assert.deepEqual([...seen].sort(), [...expected].sort());
  assert.equal(new Set(seen).size, CHILDREN);
});

test('the last page has next-page-token null', async () => {
  const result = await page('&pageToken=&pageSize=1000');
  assert.equal(result.namespaces.length, CHILDREN);
  assert.equal(result['next-page-token'], null);
});

test('top-level listing pages too', async () => {
  const first = await catalog.request('GET', `${P}/namespaces?pageToken=&pageSize=1`);
  assertStatus(first, 200);
  const body = first.body as { namespaces: string[][]; 'next-page-token': string | null };
  assert.equal(body.namespaces.length, 1);
});

test('bad page tokens and sizes: 400 in the error model', async () => {
  for (const query of ['&pageToken=not-a-token!', '&pageToken=%00%01', `&pageToken=${'A'.repeat(3000)}`, '&pageToken=dGFibGU6eA']) {
    assertError(await catalog.request('GET', `${P}/namespaces?parent=${encodeLevel(parent)}${query}`), 400, 'BadRequestException', 'page token');
  }
  for (const size of ['0', '-1', 'ten', '1.5', '99999999999']) {
    assertError(await catalog.request('GET', `${P}/namespaces?pageToken=&pageSize=${size}`), 400, 'BadRequestException', 'pageSize');
  }
});
