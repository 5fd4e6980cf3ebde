import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isActionId, type ActionId } from '../auth/actions.js';
import { requestChecks } from '../auth/request-resources.js';
import { loadConfig } from '../config.js';
import { BadRequestError } from '../errors.js';
import { requestTarget, type RawRequestParts } from './request-target.js';
import { ROUTES } from './routes.js';

const config = loadConfig({ CATALOG_DATA_DIR: '/tmp/unused', CATALOG_STORE: 'fs' });
const parts = (pathParams: Record<string, string>, body?: RawRequestParts['body'], query: Record<string, string> = {}): RawRequestParts => ({
  pathParams,
  query: new Map(Object.entries(query)),
  body,
});
/** What the authorize middleware does: the HTTP layer parses the identifiers, authorization decides on them. */
const checksFor = (operationId: ActionId, request: RawRequestParts) => requestChecks(operationId, requestTarget(operationId, request, config));

test('every route but the token endpoint has an action and a resource rule', () => {
  for (const route of ROUTES) {
    if (route.public === true) continue;
    assert.ok(isActionId(route.operationId), `${route.operationId} has no Cedar action`);
  }
  assert.deepEqual(ROUTES.filter((r) => r.public === true).map((r) => r.operationId), ['getToken']);
});

test('path resources: tables decode their namespace and name exactly once', () => {
  const [check] = checksFor('loadTable', parts({ prefix: 'default', namespace: 'a%1Fb%2Fc', table: 'my+table' }));
  assert.deepEqual(check, { action: 'loadTable', resource: { type: 'Table', warehouse: 'default', namespace: ['a', 'b/c'], name: 'my table' } });
});

test('createNamespace is decided on the parent; a top-level one on the warehouse', () => {
  assert.deepEqual(checksFor('createNamespace', parts({ prefix: 'default' }, { namespace: ['a'] }))[0]!.resource, { type: 'Warehouse', warehouse: 'default' });
  assert.deepEqual(checksFor('createNamespace', parts({ prefix: 'default' }, { namespace: ['a', 'b'] }))[0]!.resource, { type: 'Namespace', warehouse: 'default', namespace: ['a'] });
});

test('rename needs the rename on the source and createTable on the destination namespace', () => {
  const checks = checksFor('renameTable', parts({ prefix: 'default' }, { source: { namespace: ['a'], name: 't' }, destination: { namespace: ['b'], name: 'u' } }));
  assert.deepEqual(checks.map((c) => [c.action, c.resource.type]), [['renameTable', 'Table'], ['createTable', 'Namespace']]);
});

test('a transaction is decided on every table it changes, each once', () => {
  const change = (ns: string, name: string) => ({ identifier: { namespace: [ns], name }, requirements: [], updates: [] });
  const checks = checksFor('commitTransaction', parts({ prefix: 'default' }, { 'table-changes': [change('a', 't'), change('b', 'u'), change('a', 't')] }));
  assert.deepEqual(checks.map((c) => c.resource), [
    { type: 'Table', warehouse: 'default', namespace: ['a'], name: 't' },
    { type: 'Table', warehouse: 'default', namespace: ['b'], name: 'u' },
  ]);
});

test('listNamespaces with a parent is decided on the parent; config on the requested or default warehouse', () => {
  assert.deepEqual(checksFor('listNamespaces', parts({ prefix: 'default' }, undefined, { parent: 'a\u001fb' }))[0]!.resource, { type: 'Namespace', warehouse: 'default', namespace: ['a', 'b'] });
  assert.deepEqual(checksFor('getConfig', parts({}))[0]!.resource, { type: 'Warehouse', warehouse: 'default' });
  assert.deepEqual(checksFor('getConfig', parts({}, undefined, { warehouse: 'other' }))[0]!.resource, { type: 'Warehouse', warehouse: 'other' });
});

test('a malformed body identifier is a 400 before any decision', () => {
  assert.throws(() => checksFor('renameTable', parts({ prefix: 'default' }, { source: 'x' })), BadRequestError);
  assert.throws(() => checksFor('commitTransaction', parts({ prefix: 'default' }, { 'table-changes': [] })), BadRequestError);
});

test('a table commit with assert-create (a staged create) also needs createTable on the namespace (code review 2.3, B7)', () => {
  const path = { prefix: 'default', namespace: 'sales', table: 't' };
  const plain = checksFor('updateTable', parts(path, { requirements: [{ type: 'assert-table-uuid', uuid: 'u' }], updates: [] }));
  assert.deepEqual(plain.map((c) => [c.action, c.resource.type]), [['updateTable', 'Table']]);
  const create = checksFor('updateTable', parts(path, { requirements: [{ type: 'assert-create' }], updates: [] }));
  assert.deepEqual(create.map((c) => [c.action, c.resource]), [
    ['updateTable', { type: 'Table', warehouse: 'default', namespace: ['sales'], name: 't' }],
    ['createTable', { type: 'Namespace', warehouse: 'default', namespace: ['sales'] }],
  ]);
});

test('register with overwrite also needs updateTable and dropTable on the table it replaces (code review 2.4)', () => {
  const path = { prefix: 'default', namespace: 'sales' };
  const plain = checksFor('registerTable', parts(path, { name: 't', 'metadata-location': 's3://b/m.json' }));
  assert.deepEqual(plain.map((c) => c.action), ['registerTable']);
  const overwrite = checksFor('registerTable', parts(path, { name: 't', 'metadata-location': 's3://b/m.json', overwrite: true }));
  const table = { type: 'Table', warehouse: 'default', namespace: ['sales'], name: 't' };
  assert.deepEqual(overwrite.map((c) => [c.action, c.resource]), [
    ['registerTable', { type: 'Namespace', warehouse: 'default', namespace: ['sales'] }],
    ['updateTable', table],
    ['dropTable', table],
  ]);
  assert.throws(() => checksFor('registerTable', parts(path, { 'metadata-location': 'x', overwrite: true })), BadRequestError);
});
