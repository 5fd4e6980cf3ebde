import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RecordStore } from '../../core/store/record-store.js';
import { assertError, assertStatus } from '../support/assertions.js';
import { auditRecords, bindRole, createApiKey, keyWithRole } from '../support/auth-fixtures.js';
import { startTestCatalog, type TestCatalog } from '../support/catalog-harness.js';
import { createTableBody } from '../support/table-requests.js';

/** The management API (role bindings, policies with history, simulation, effective permissions) and the audit trail. */
let catalog: TestCatalog;
let owner: string;
const N = '/v1/default/namespaces';
const SALES = { type: 'Namespace' as const, warehouse: 'default', namespace: ['sales'] };

before(async () => {
  catalog = await startTestCatalog({ auth: true, env: { CATALOG_LOG_LEVEL: 'error' } });
  assertStatus(await catalog.request('POST', N, { body: { namespace: ['sales'] } }), 200);
  for (const name of ['prod_orders', 'scratch', 'secret']) assertStatus(await catalog.request('POST', `${N}/sales/tables`, { body: createTableBody(name) }), 200);
  owner = await keyWithRole(catalog, 'owner', 'NamespaceOwner', SALES);
});
after(async () => catalog.close());

describe('role bindings', () => {
  test('create, list by principal, delete; a bad role or an unknown warehouse is refused', async () => {
    const id = await bindRole(catalog, { type: 'User', id: 'carol' }, 'TableReader', SALES);
    const listed = await catalog.request('GET', '/management/v1/role-bindings?principalType=User&principalId=carol');
    assert.deepEqual((listed.body as { 'role-bindings': { id: string }[] })['role-bindings'].map((b) => b.id), [id]);
    assertStatus(await catalog.request('DELETE', `/management/v1/role-bindings/${id}`), 204);
    assertError(await catalog.request('DELETE', `/management/v1/role-bindings/${id}`), 404);
    assertError(await catalog.request('POST', '/management/v1/role-bindings', { body: { role: 'God', principal: { type: 'User', id: 'x' }, scope: SALES } }), 400, 'BadRequestException', 'role');
    assertError(await catalog.request('POST', '/management/v1/role-bindings', { body: { role: 'TableReader', principal: { type: 'User', id: 'x' }, scope: { type: 'Warehouse', warehouse: 'nope' } } }), 404, 'NoSuchWarehouseException');
  });

  test('a binding takes effect on the next request and ends with its deletion', async () => {
    const { key, id } = await createApiKey(catalog, { name: 'late' });
    assertError(await catalog.request('GET', `${N}/sales`, { token: key }), 404);
    const binding = await bindRole(catalog, { type: 'ApiKey', id }, 'TableReader', SALES);
    assertStatus(await catalog.request('GET', `${N}/sales`, { token: key }), 200);
    assertStatus(await catalog.request('DELETE', `/management/v1/role-bindings/${binding}`), 204);
    assertError(await catalog.request('GET', `${N}/sales`, { token: key }), 404);
  });
});

describe('custom policies', () => {
  test('an invalid policy is refused with the validator’s reason and nothing is stored', async () => {
    const bad = await catalog.request('POST', '/management/v1/policies/typo', { body: { policy: 'permit(principal, action == Action::"loadTabel", resource);' } });
    assertError(bad, 400, 'BadRequestException', 'loadTabel');
    assertError(await catalog.request('GET', '/management/v1/policies/typo'), 404);
  });

  test('a forbid policy overrides a role, shows in simulation, and its history is kept through changes and deletion', async () => {
    const put = (policy: string, extra: Record<string, unknown> = {}) => catalog.request('POST', '/management/v1/policies/protect-prod', { body: { policy, description: 'no drops of prod tables', ...extra } });
    assertStatus(await put('forbid(principal, action == Action::"dropTable", resource is Table) when { resource.name like "prod_*" };'), 200);
    assertError(await catalog.request('DELETE', `${N}/sales/tables/prod_orders`, { token: owner }), 403, 'ForbiddenException');

    const simulated = await catalog.request('POST', '/management/v1/authorization/simulate', {
      body: { principal: { type: 'User', id: 'someone' }, action: 'dropTable', resource: { type: 'Table', warehouse: 'default', namespace: ['sales'], name: 'prod_orders' } },
    });
    assertStatus(simulated, 200);
    assert.equal((simulated.body as { status: number }).status, 404, 'someone without roles may not even see it');

    const asOwner = await catalog.request('POST', '/management/v1/authorization/simulate', {
      body: { principal: { type: 'ApiKey', id: owner.split('.')[0] }, action: 'dropTable', resource: { type: 'Table', warehouse: 'default', namespace: ['sales'], name: 'prod_orders' } },
    });
    assert.deepEqual(asOwner.body && [(asOwner.body as { decision: string }).decision, (asOwner.body as { policies: string[] }).policies, (asOwner.body as { status: number }).status], ['deny', ['policy:protect-prod'], 403]);

    assertError(await put('forbid(principal, action == Action::"dropTable", resource);', { expectedVersion: 7 }), 409, 'ConcurrentModificationException');
    assertStatus(await put('forbid(principal, action in [Action::"dropTable", Action::"renameTable"], resource is Table) when { resource.name like "prod_*" };', { expectedVersion: 1 }), 200);
    assertStatus(await catalog.request('DELETE', '/management/v1/policies/protect-prod'), 204);
    assertStatus(await catalog.request('DELETE', `${N}/sales/tables/prod_orders`, { token: owner }), 204);

    const history = await catalog.request('GET', '/management/v1/policies/protect-prod');
    const body = history.body as { current: unknown; history: { version: number; policy: string | null; by: string }[] };
    assert.equal(body.current, null);
    assert.deepEqual(body.history.map((v) => [v.version, v.policy === null]), [[1, false], [2, false], [3, true]]);
    assert.ok(body.history.every((v) => v.by.startsWith('ApiKey::')));
    const listed = (await catalog.request('GET', '/management/v1/policies')).body as { policies: { id: string }[] };
    assert.ok(!listed.policies.some((p) => p.id === 'protect-prod'), 'a deleted policy is not in force');
  });

  test('a permit policy can grant one table alone: it is readable, its namespace stays hidden', async () => {
    const { key, id } = await createApiKey(catalog, { name: 'one-table' });
    const policy = `permit(principal == ApiKey::"${id}", action in [Action::"loadTable", Action::"tableExists"], resource == Table::"default/sales/secret");`;
    assertStatus(await catalog.request('POST', '/management/v1/policies/one-table', { body: { policy } }), 200);
    assertStatus(await catalog.request('GET', `${N}/sales/tables/secret`, { token: key }), 200);
    assertError(await catalog.request('GET', `${N}/sales/tables/scratch`, { token: key }), 404, 'NoSuchTableException');
    assertError(await catalog.request('GET', `${N}/sales/tables`, { token: key }), 404, 'NoSuchNamespaceException');
    assertError(await catalog.request('POST', `${N}/sales/tables/secret`, { token: key, body: { requirements: [], updates: [] } }), 403);
  });
});

describe('simulation and effective permissions', () => {
  test('simulate names the deciding binding; effective permissions list what a role allows on a resource', async () => {
    const binding = await bindRole(catalog, { type: 'Group', id: 'writers' }, 'TableWriter', SALES);
    const table = { type: 'Table', warehouse: 'default', namespace: ['sales'], name: 'scratch' };
    const allowed = await catalog.request('POST', '/management/v1/authorization/simulate', { body: { principal: { type: 'User', id: 'wendy', groups: ['writers'] }, action: 'updateTable', resource: table } });
    assert.deepEqual(allowed.body && { d: (allowed.body as { decision: string }).decision, p: (allowed.body as { policies: string[] }).policies }, { d: 'allow', p: [`binding:${binding}`] });
    const denied = await catalog.request('POST', '/management/v1/authorization/simulate', { body: { principal: { type: 'User', id: 'wendy', groups: ['writers'] }, action: 'dropTable', resource: table } });
    assert.equal((denied.body as { status: number }).status, 403);

    const effective = await catalog.request('POST', '/management/v1/authorization/effective-permissions', { body: { principal: { type: 'User', id: 'wendy', groups: ['writers'] }, resource: table } });
    assertStatus(effective, 200);
    const e = effective.body as { visible: boolean; allowed: { action: string }[]; denied: string[] };
    assert.equal(e.visible, true);
    assert.deepEqual(e.allowed.map((a) => a.action).sort(), ['cancelPlanning', 'commitTransaction', 'fetchPlanningResult', 'fetchScanTasks', 'loadCredentials', 'loadTable', 'planTableScan', 'reportMetrics', 'signRequest', 'tableExists', 'updateTable']);
    assert.ok(e.denied.includes('dropTable') && e.denied.includes('renameTable'));
  });

  test('an action that does not apply to the resource type is a 400', async () => {
    const r = await catalog.request('POST', '/management/v1/authorization/simulate', { body: { principal: { type: 'User', id: 'x' }, action: 'dropTable', resource: SALES } });
    assertError(r, 400, 'BadRequestException', 'does not apply');
  });
});

describe('audit', () => {
  test('a mutation and a denial each leave one record: who, what, resource, decision, policies, request id', async () => {
    const before = (await auditRecords(catalog)).length;
    assertStatus(await catalog.request('POST', `${N}/sales/properties`, { token: owner, body: { updates: { audited: 'yes' }, removals: [] } }), 200);
    const reader = await keyWithRole(catalog, 'audited-reader', 'TableReader', SALES);
    assertError(await catalog.request('DELETE', `${N}/sales/tables/scratch`, { token: reader }), 403);
    const records = await auditRecords(catalog);
    const mine = records.filter((r) => r['operation'] === 'updateProperties' || (r['operation'] === 'dropTable' && r['decision'] === 'deny'));
    const allowed = mine.find((r) => r['operation'] === 'updateProperties')!;
    assert.equal(allowed['decision'], 'allow');
    assert.match((allowed['principal'] as { label: string }).label, /^ApiKey::ak_/);
    assert.deepEqual((allowed['resources'] as { action: string; type: string; id: string }[]).map((r) => [r.action, r.type, r.id]), [['updateProperties', 'Namespace', 'default/sales']]);
    assert.equal((allowed['policies'] as string[]).length, 1);
    assert.match(String(allowed['requestId']), /^[0-9a-f-]{36}$/);
    const denied = mine.find((r) => r['operation'] === 'dropTable')!;
    assert.equal(denied['status'], 403);
    assert.ok(records.length >= before + 2);
    // reads are not audited
    const reads = records.filter((r) => r['operation'] === 'loadTable' && r['decision'] === 'allow');
    assert.equal(reads.length, 0);
  });

  test('when the audit record cannot be written, the mutation fails with 503 and nothing changes', async () => {
    const ctx = await catalog.context();
    const records = ctx.records as RecordStore & { create: RecordStore['create'] };
    const original = records.create.bind(records);
    records.create = async (key, value) => (key.includes('/audit/') || key.startsWith('sys/audit/') ? { ok: false, reason: 'unknown' } : original(key, value));
    try {
      assertError(await catalog.request('POST', N, { body: { namespace: ['unaudited'] } }), 503, 'ServiceUnavailableException');
    } finally {
      records.create = original;
    }
    assertError(await catalog.request('GET', `${N}/unaudited`), 404, 'NoSuchNamespaceException');
  });
});
