import assert from 'node:assert/strict';
import { AssertionError } from 'node:assert';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { stringifyJson } from '../../core/json/lossless-json.js';
import { checkConformance } from '../support/openapi/conformance.js';
import { loadOpenApiDocument, specPath } from '../support/openapi/openapi-spec.js';
import { OpenApiValidator, type ExchangeOutcome, type ExchangeRequest, type ExchangeResponse } from '../support/openapi/openapi-validator.js';

/**
 * The OpenAPI layer of the integration harness, fed the real Iceberg REST spec and hand-made
 * exchanges: it must fail on each kind of non-conformance and pass conforming exchanges.
 */
const SPEC = specPath();
const skip = existsSync(SPEC) ? false : `the Iceberg REST spec is not at ${SPEC} (set ICEBERG_OPENAPI_SPEC)`;

const TABLE = '/v1/wh/namespaces/ns/tables/t';
const BIG_SNAPSHOT_ID = 2n ** 62n + 1n; // above 2^53: arrives from the lossless parser as a bigint

function aMetadata(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { 'format-version': 2, 'table-uuid': '1b7e4d3a-8f2c-4c55-9a57-3f0e6f1d2a90', location: 's3://b/ns/t', ...overrides };
}

function aLoadTableResult(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { 'metadata-location': 's3://b/ns/t/metadata/00000.json', metadata: aMetadata(), ...overrides };
}

function anError(code: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { error: { message: 'Table does not exist: ns.t', type: 'NoSuchTableException', code, ...overrides } };
}

function get(path: string, headers: Record<string, string> = {}): ExchangeRequest {
  return { method: 'GET', path, headers };
}

function post(path: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): ExchangeRequest {
  return { method: 'POST', path, headers, body: typeof body === 'string' ? body : stringifyJson(body) };
}

function json(status: number, body: unknown): ExchangeResponse {
  return { status, contentType: 'application/json', text: stringifyJson(body) };
}

function violations(outcome: ExchangeOutcome): string[] {
  assert.equal(outcome.kind, 'checked');
  return outcome.kind === 'checked' ? outcome.violations.map((v) => `${v.pointer} ${v.message}`) : [];
}

describe('OpenAPI validation of catalog exchanges', { skip }, () => {
  const validator = skip === false ? new OpenApiValidator(loadOpenApiDocument(SPEC), { advertised: new Set(['loadTable', 'createNamespace', 'getToken']) }) : undefined;
  const check = (request: ExchangeRequest, response: ExchangeResponse): ExchangeOutcome => validator!.checkExchange(request, response);

  test('passes a conforming loadTable answer, a 64-bit snapshot id included', () => {
    const metadata = aMetadata({ 'current-snapshot-id': BIG_SNAPSHOT_ID, snapshots: [{ 'snapshot-id': BIG_SNAPSHOT_ID, 'timestamp-ms': 1, 'manifest-list': 's3://m', summary: { operation: 'append' } }] });
    assert.deepEqual(violations(check(get(TABLE), json(200, aLoadTableResult({ metadata })))), []);
  });

  test('passes a conforming error answer', () => {
    assert.deepEqual(violations(check(get(TABLE), json(404, anError(404)))), []);
  });

  test('fails loadTable without metadata', () => {
    const [problem] = violations(check(get(TABLE), json(200, { 'metadata-location': 's3://x' })));
    assert.match(problem ?? '', /required property 'metadata'/);
  });

  test('fails a field of the wrong type, pointing at it', () => {
    const [problem] = violations(check(get(TABLE), json(200, aLoadTableResult({ metadata: aMetadata({ 'last-updated-ms': 'yesterday' }) }))));
    assert.match(problem ?? '', /^\/metadata\/last-updated-ms must be integer/);
  });

  test('fails an int64 beyond 64 bits and an int64 that was rounded', () => {
    assert.match(violations(check(get(TABLE), json(200, aLoadTableResult({ metadata: aMetadata({ 'last-updated-ms': 2n ** 64n }) }))))[0] ?? '', /64-bit integer/);
    const rounded: ExchangeResponse = { status: 200, contentType: 'application/json', text: stringifyJson(aLoadTableResult()).replace('"format-version":2', '"format-version":2,"last-updated-ms":9.007199254740993e15') };
    assert.match(violations(check(get(TABLE), rounded))[0] ?? '', /\/metadata\/last-updated-ms must be a 64-bit integer written exactly/);
  });

  test('checks the bounds of an integer that arrives as a bigint', () => {
    assert.match(violations(check(get(TABLE), json(200, aLoadTableResult({ metadata: aMetadata({ 'format-version': 2n ** 60n }) }))))[0] ?? '', /^\/metadata\/format-version must be <= 3/);
  });

  test('fails a status the operation does not list', () => {
    assert.match(violations(check(get(TABLE), json(409, anError(409))))[0] ?? '', /status 409 is not listed/);
  });

  test('fails a body without Content-Type: application/json', () => {
    assert.match(violations(check(get(TABLE), { status: 200, contentType: 'text/plain', text: stringifyJson(aLoadTableResult()) }))[0] ?? '', /text\/plain/);
    assert.match(violations(check(get(TABLE), { status: 200, contentType: null, text: stringifyJson(aLoadTableResult()) }))[0] ?? '', /no Content-Type/);
  });

  test('fails an error body whose code is not the status, or that has no type', () => {
    assert.match(violations(check(get(TABLE), json(404, anError(400))))[0] ?? '', /^\/error\/code is 400, the response status is 404/);
    const { error } = anError(404) as { error: Record<string, unknown> };
    delete error['type'];
    assert.match(violations(check(get(TABLE), json(404, { error })))[0] ?? '', /required property 'type'/);
  });

  test('fails a body on a status the spec gives none (204)', () => {
    assert.match(violations(check({ method: 'DELETE', path: TABLE, headers: {} }, json(204, {})))[0] ?? '', /no content in the spec/);
  });

  test('a request that breaks the request schema may get a listed 4xx with an error body, and nothing else', () => {
    const bad = post('/v1/wh/namespaces', { namespace: 'not-an-array' });
    const rejected = check(bad, json(400, anError(400, { type: 'BadRequestException', message: 'bad' })));
    assert.equal(rejected.kind === 'checked' && rejected.requestProblems.length > 0, true);
    assert.deepEqual(violations(rejected), []);
    assert.match(violations(check(bad, json(200, { namespace: ['not-an-array'] })))[0] ?? '', /request breaks the spec .* answered 200/);
    assert.match(violations(check(post('/v1/wh/namespaces', '{"namespace": ['), json(500, anError(500))))[0] ?? '', /not a 4xx/);
  });

  test('a JSON body is judged by what it is, not by its label (the catalog reads unlabelled and curl -d bodies as JSON)', () => {
    const unlabelled = check(post('/v1/wh/namespaces', { namespace: ['a'] }, {}), json(200, { namespace: ['a'] }));
    assert.equal(unlabelled.kind === 'checked' && unlabelled.requestProblems.length, 0);
    const wrong = check(post('/v1/wh/namespaces', { namespace: 'a' }, { 'content-type': 'application/x-www-form-urlencoded' }), json(200, { namespace: ['a'] }));
    assert.match(violations(wrong)[0] ?? '', /request breaks the spec/);
  });

  test('un-prefixed paths are the prefixed operations', () => {
    const outcome = check(get('/v1/namespaces/ns/tables/t'), json(200, { metadata: aMetadata() }));
    assert.equal(outcome.kind === 'checked' && outcome.operationId, 'loadTable');
    assert.equal(outcome.kind === 'checked' && outcome.unprefixed, true);
    assert.match(violations(check(get('/v1/namespaces/ns/tables/t'), json(200, {})))[0] ?? '', /required property 'metadata'/);
    assert.equal(validator!.findOperation('POST', '/v1/tables/rename')?.operation.operationId, 'renameTable');
    assert.equal(validator!.findOperation('POST', '/v1/transactions/commit')?.operation.operationId, 'commitTransaction');
    // {prefix} never matches a word that follows /v1/ in a template, as in the catalog's router
    assert.equal(validator!.findOperation('GET', '/v1/namespaces/namespaces')?.operation.operationId, 'loadNamespaceMetadata');
    assert.equal(validator!.findOperation('GET', '/v1/wh/namespaces')?.operation.operationId, 'listNamespaces');
  });

  test('routes outside the spec are not validated', () => {
    assert.deepEqual(check(get('/management/v1/api-keys'), json(200, {})), { kind: 'not-in-spec', reason: 'management' });
    assert.deepEqual(check(get('/v2/whatever'), json(404, {})), { kind: 'not-in-spec', reason: 'other' });
  });

  test('501 is honest for an unadvertised operation, a violation for an advertised one', () => {
    const outcome = check(get(`${TABLE}/credentials`), json(501, anError(501, { type: 'NotImplementedException' })));
    assert.equal(outcome.kind === 'checked' && outcome.notImplemented, true);
    assert.deepEqual(violations(outcome), []);
    assert.match(violations(check(get(TABLE), json(501, anError(501))))[0] ?? '', /advertised operation answered 501/);
  });

  test('the token endpoint answers OAuthError, and Basic credentials count as sent', () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const basic = { ...form, authorization: `Basic ${Buffer.from('client:secret').toString('base64')}` };
    assert.deepEqual(violations(check(post('/v1/oauth/tokens', 'grant_type=client_credentials', basic), json(401, { error: 'invalid_client' }))), []);
    const outcome = check(post('/v1/oauth/tokens', 'grant_type=client_credentials', basic), json(200, { access_token: 't', token_type: 'bearer' }));
    assert.equal(outcome.kind === 'checked' && outcome.requestProblems.length, 0);
    assert.match(violations(check(post('/v1/oauth/tokens', 'grant_type=client_credentials&client_id=a&client_secret=b', form), json(400, anError(400))))[0] ?? '', /required property 'error'|must be string|must be equal/);
  });

  test('the harness hook throws an AssertionError naming operation, status and pointer', () => {
    assert.throws(
      () => checkConformance(get(TABLE), json(200, aLoadTableResult({ metadata: aMetadata({ 'format-version': 'two' }) }))),
      (error: unknown) => error instanceof AssertionError && /loadTable\) answered 200/.test(error.message) && /\/metadata\/format-version: must be integer/.test(error.message),
    );
  });
});
