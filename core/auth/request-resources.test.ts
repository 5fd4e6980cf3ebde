import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../config.js';
import { BadRequestError } from '../errors.js';
import { ROUTES } from '../http/routes.js';
import { isActionId } from './actions.js';
import { requestChecks, type RequestParts } from './request-resources.js';

const config = loadConfig({ CATALOG_DATA_DIR: '/tmp/unused', CATALOG_STORE: 'fs' });
const parts = (pathParams: Record<string, string>, body?: RequestParts['body'], query: Record<string, string> = {}): RequestParts => ({
  pathParams,
  query: new Map(Object.entries(query)),
  body,
});

test('every route but the token endpoint has an action and a resource rule', () => {
  for (const route of ROUTES) {
    if (route.public === true) continue;
    assert.ok(isActionId(route.operationId), `${route.operationId} has no Cedar action`);
  }
  assert.deepEqual(ROUTES.filter((r) => r.public === true).map((r) => r.operationId), ['getToken']);
});

test('path resources: tables decode their namespace and name exactly once', () => {
  const [check] = requestChecks('loadTable', parts({ prefix: 'default', namespace: 'a%1Fb%2Fc', table: 'my+table' }), config);
  assert.deepEqual(check, { action: 'loadTable', resource: { type: 'Table', warehouse: 'default', namespace: ['a', 'b/c'], name: 'my table' } });
});

test('createNamespace is decided on the parent; a top-level one on the warehouse', () => {
  assert.deepEqual(requestChecks('createNamespace', parts({ prefix: 'default' }, { namespace: ['a'] }), config)[0]!.resource, { type: 'Warehouse', warehouse: 'default' });
  assert.deepEqual(requestChecks('createNamespace', parts({ prefix: 'default' }, { namespace: ['a', 'b'] }), config)[0]!.resource, { type: 'Namespace', warehouse: 'default', namespace: ['a'] });
});

test('rename needs the rename on the source and createTable on the destination namespace', () => {
  const checks = requestChecks('renameTable', parts({ prefix: 'default' }, { source: { namespace: ['a'], name: 't' }, destination: { namespace: ['b'], name: 'u' } }), config);
  assert.deepEqual(checks.map((c) => [c.action, c.resource.type]), [['renameTable', 'Table'], ['createTable', 'Namespace']]);
});

test('a transaction is decided on every table it changes, each once', () => {
  const change = (ns: string, name: string) => ({ identifier: { namespace: [ns], name }, requirements: [], updates: [] });
  const checks = requestChecks('commitTransaction', parts({ prefix: 'default' }, { 'table-changes': [change('a', 't'), change('b', 'u'), change('a', 't')] }), config);
  assert.deepEqual(checks.map((c) => c.resource), [
    { type: 'Table', warehouse: 'default', namespace: ['a'], name: 't' },
    { type: 'Table', warehouse: 'default', namespace: ['b'], name: 'u' },
  ]);
});

test('listNamespaces with a parent is decided on the parent; config on the requested or default warehouse', () => {
  assert.deepEqual(requestChecks('listNamespaces', parts({ prefix: 'default' }, undefined, { parent: 'a\u001fb' }), config)[0]!.resource, { type: 'Namespace', warehouse: 'default', namespace: ['a', 'b'] });
  assert.deepEqual(requestChecks('getConfig', parts({}), config)[0]!.resource, { type: 'Warehouse', warehouse: 'default' });
  assert.deepEqual(requestChecks('getConfig', parts({}, undefined, { warehouse: 'other' }), config)[0]!.resource, { type: 'Warehouse', warehouse: 'other' });
});

test('a malformed body identifier is a 400 before any decision', () => {
  assert.throws(() => requestChecks('renameTable', parts({ prefix: 'default' }, { source: 'x' }), config), BadRequestError);
  assert.throws(() => requestChecks('commitTransaction', parts({ prefix: 'default' }, { 'table-changes': [] }), config), BadRequestError);
});
