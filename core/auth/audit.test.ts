import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listAll } from '../store/object-store.js';
import { AuditLog, DENIAL_WINDOW_MS, DENIALS_RECORDED_PER_WINDOW } from './audit.js';
import type { Principal } from './principal.js';
import { anAuthFixture } from './testing/fixtures.js';

const reader: Principal = { type: 'ApiKey', id: 'ak_reader', groups: [], authMethod: 'api-key' };
const other: Principal = { type: 'ApiKey', id: 'ak_other', groups: [], authMethod: 'api-key' };
let n = 0;
const denial = (principal: Principal) => ({
  requestId: `r${++n}`,
  operation: 'dropTable',
  method: 'DELETE',
  path: '/v1/default/namespaces/sales/tables/orders',
  principal,
  checks: [{ action: 'dropTable' as const, resource: { type: 'Table' as const, warehouse: 'default', namespace: ['sales'], name: 'orders' } }],
  status: 403,
  policies: [],
});

async function auditRecords(fx: ReturnType<typeof anAuthFixture>): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for await (const page of listAll(fx.records.objects, { prefix: 'test/sys/audit/' })) {
    for (const o of page.objects) found.push((await fx.records.read(o.key, (v) => v as Record<string, unknown>))!.value);
  }
  return found;
}

test('a principal’s repeated denials write a bounded number of objects; the rest are counted in its next record (B13)', async () => {
  const fx = anAuthFixture();
  const audit = new AuditLog(fx.records, fx.keys, fx.clock);
  const outcomes: string[] = [];
  for (let i = 0; i < DENIALS_RECORDED_PER_WINDOW + 30; i++) {
    fx.clock.advance(1);
    outcomes.push(await audit.recordDenial(denial(reader)));
  }
  assert.equal(outcomes.filter((o) => o === 'recorded').length, DENIALS_RECORDED_PER_WINDOW);
  assert.equal((await auditRecords(fx)).length, DENIALS_RECORDED_PER_WINDOW);
  assert.equal(await audit.recordDenial(denial(other)), 'recorded', 'another principal has its own budget');
  fx.clock.advance(DENIAL_WINDOW_MS);
  assert.equal(await audit.recordDenial(denial(reader)), 'recorded');
  const last = (await auditRecords(fx)).find((r) => r['requestId'] === `r${n}`);
  assert.equal(last?.['suppressedBefore'], 30);
  assert.equal(last?.['decision'], 'deny');
});
