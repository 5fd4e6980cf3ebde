import { after, before, describe, test } from 'node:test';
import { namespacePath, startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { assertError, assertStatus } from '../support/assertions.js';

// Every namespace route answers bad input with a 4xx in the error model, never a 500.
let catalog: TestCatalog;
let P: string;
let existing: string[];
before(async () => {
  catalog = await startTestCatalog();
  P = `/v1/${catalog.warehouse}`;
  existing = [uniqueName('malformed')];
  assertStatus(await catalog.request('POST', `${P}/namespaces`, { body: { namespace: existing } }), 200);
});
after(async () => catalog.close());

const BAD_JSON = ['{', '{"namespace": [', 'not json', '{"namespace": ["a"],}', '\u0000', '[1,2'];
const DEEP_JSON = '['.repeat(200_000) + ']'.repeat(200_000);

describe('createNamespace', () => {
  for (const raw of [...BAD_JSON, DEEP_JSON]) {
    test(`malformed JSON ${JSON.stringify(raw.slice(0, 20))}: 400`, async () => {
      assertError(await catalog.request('POST', `${P}/namespaces`, { rawBody: raw }), 400, 'BadRequestException', 'Malformed JSON');
    });
  }
  const bodies: [string, unknown][] = [
    ['missing body', undefined],
    ['array body', []],
    ['string body', 'ns'],
    ['null body', null],
    ['missing namespace', { properties: {} }],
    ['namespace not an array', { namespace: 'a.b' }],
    ['namespace of numbers', { namespace: [1, 2] }],
    ['empty namespace', { namespace: [] }],
    ['empty level', { namespace: ['a', ''] }],
    ['null level', { namespace: [null] }],
    ['control character', { namespace: ['a\u0001b'] }],
    ['unit separator inside a level', { namespace: ['a\u001fb'] }],
    ['over-long level', { namespace: ['x'.repeat(256)] }],
    ['too deep', { namespace: Array.from({ length: 17 }, (_, i) => `l${i}`) }],
    ['too long in total', { namespace: Array.from({ length: 12 }, () => '%'.repeat(48)) }],
    ['level too long once escaped', { namespace: ['é'.repeat(255)] }],
    ['properties not an object', { namespace: ['p'], properties: ['a'] }],
    ['property value not a string', { namespace: ['p'], properties: { a: 1 } }],
    ['property value null', { namespace: ['p'], properties: { a: null } }],
  ];
  for (const [what, body] of bodies) {
    test(`${what}: 400`, async () => {
      const options = body === undefined ? {} : { rawBody: JSON.stringify(body) };
      assertError(await catalog.request('POST', `${P}/namespaces`, options), 400, 'BadRequestException');
    });
  }
  test('body over the 6 MiB limit: 400 PayloadTooLargeException (the spec lists no 413)', async () => {
    const huge = JSON.stringify({ namespace: ['big'], properties: { blob: 'x'.repeat(6 * 1024 * 1024) } });
    assertError(await catalog.request('POST', `${P}/namespaces`, { rawBody: huge }), 400, 'PayloadTooLargeException');
  });
});

describe('updateProperties', () => {
  const path = () => `${P}/namespaces/${namespacePath(existing)}/properties`;
  for (const raw of BAD_JSON) {
    test(`malformed JSON ${JSON.stringify(raw.slice(0, 20))}: 400`, async () => {
      assertError(await catalog.request('POST', path(), { rawBody: raw }), 400, 'BadRequestException');
    });
  }
  const bodies: [string, unknown][] = [
    ['missing body', undefined],
    ['array body', [1]],
    ['removals not an array', { removals: 'a' }],
    ['removals of numbers', { removals: [1] }],
    ['updates not an object', { updates: ['a'] }],
    ['update value not a string', { updates: { a: true } }],
  ];
  for (const [what, body] of bodies) {
    test(`${what}: 400`, async () => {
      const options = body === undefined ? {} : { rawBody: JSON.stringify(body) };
      assertError(await catalog.request('POST', path(), options), 400, 'BadRequestException');
    });
  }
});

describe('path and query parameters', () => {
  test('malformed percent-encoding in the namespace: 400 on every route', async () => {
    for (const [method, suffix] of [['GET', ''], ['HEAD', ''], ['DELETE', ''], ['POST', '/properties']] as const) {
      const response = await catalog.request(method, `${P}/namespaces/bad%zz${suffix}`, method === 'POST' ? { body: { updates: {} } } : {});
      if (method === 'HEAD') assertStatus(response, 400);
      else assertError(response, 400, 'BadRequestException', 'percent-encoding');
    }
  });
  test('an empty level in the path: 400', async () => {
    assertError(await catalog.request('GET', `${P}/namespaces/a%1F%1Fb`), 400, 'BadRequestException');
  });
  test('an over-long name in the path: 400', async () => {
    assertError(await catalog.request('GET', `${P}/namespaces/${'n'.repeat(300)}`), 400, 'BadRequestException');
    assertError(await catalog.request('DELETE', `${P}/namespaces/${'n'.repeat(300)}`), 400, 'BadRequestException');
  });
  test('a control character in the parent query: 400', async () => {
    assertError(await catalog.request('GET', `${P}/namespaces?parent=a%01b`), 400, 'BadRequestException');
  });
  test('malformed percent-encoding in the query: 400', async () => {
    assertError(await catalog.request('GET', `${P}/namespaces?parent=%E0%A4%A`), 400, 'BadRequestException');
  });
  test('an unknown warehouse prefix: NoSuchWarehouseException, 404 (400 from createNamespace, whose spec lists no 404)', async () => {
    assertError(await catalog.request('GET', `/v1/nowhere/namespaces`), 404, 'NoSuchWarehouseException');
    assertError(await catalog.request('POST', `/v1/nowhere/namespaces`, { body: { namespace: ['x'] } }), 400, 'NoSuchWarehouseException');
  });
});
