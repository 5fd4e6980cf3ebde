import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CatalogError } from '../../core/errors.js';
import { foldIntents } from '../../core/catalog/group-commit/fold-intents.js';
import { commitGrouped } from '../../core/catalog/group-commit/wait-as-intent.js';
import { intentName, intentToJson } from '../../core/catalog/group-commit/intent-record.js';
import { createNamespace } from '../../core/catalog/namespaces/create-namespace.js';
import { createTable } from '../../core/catalog/tables/create-table.js';
import { findTablePointer, requireTable, type TableIdentifier } from '../../core/catalog/tables/table-lookup.js';
import type { JsonValue } from '../../core/json/lossless-json.js';
import { validateCreateTableRequest, validateTableRequirements, validateTableUpdates } from '../../core/metadata/index.js';
import { startCoreHarness, type CoreHarness } from '../support/core-context.js';
import { createTableBody, uniqueNameOf } from '../support/table-requests.js';

/**
 * Invariant 9 through group commit: a folder applies other writers' requests from their stored
 * intents, and a leader applies its own without an intent, so both paths must confine locations
 * exactly as a direct commit does. A request that moves the table, or points a snapshot's files,
 * outside the warehouse is refused (4xx to its writer), and the fold still applies the others.
 */
let h: CoreHarness;
before(async () => {
  h = await startCoreHarness();
});
after(async () => h.close());

async function aTable(): Promise<{ id: TableIdentifier; uuid: string; location: string }> {
  const namespace = [uniqueNameOf('gcconf')];
  await createNamespace(h.ctx, h.warehouse, { namespace, properties: {} });
  const created = await createTable(h.ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody('t')));
  return { id: { namespace, name: 't' }, uuid: created.metadata.tableUuid, location: created.metadata.location };
}

async function leaveIntent(uuid: string, updates: JsonValue): Promise<void> {
  const request = { requirements: [{ type: 'assert-table-uuid', uuid }], updates };
  const written = await h.ctx.records.create(h.ctx.keys.intent(h.warehouse, uuid, intentName(h.ctx.clock.now(), h.ctx.newUuid())), intentToJson({ createdMs: h.ctx.clock.now(), state: 'pending', request }));
  assert.ok(written.ok);
}

const OUTSIDE = 's3://someone-elses-bucket/stolen';

test('an intent that would move the table outside the warehouse is refused by the fold; the others land', async () => {
  const t = await aTable();
  await leaveIntent(t.uuid, [{ action: 'set-location', location: OUTSIDE }]);
  await leaveIntent(t.uuid, [{ action: 'set-properties', updates: { fine: 'yes' } }]);
  const found = await findTablePointer(h.ctx, h.warehouse, t.id);
  const outcome = await foldIntents(h.ctx, { warehouse: h.warehouse, id: t.id, tableUuid: t.uuid, pointerKey: found!.key }, found!.pointer, new Set());
  assert.equal(outcome.landed, true);
  assert.equal(outcome.refused.size, 1);
  const [refusal] = [...outcome.refused.values()];
  assert.ok(refusal instanceof CatalogError && refusal.status >= 400 && refusal.status < 500, `refused with a client error: ${String(refusal)}`);
  const { metadata } = await requireTable(h.ctx, h.warehouse, t.id);
  assert.equal(metadata.location, t.location);
  assert.equal(metadata.properties['fine'], 'yes');
});

test('a leader whose own request points a snapshot outside the table gets a client error; the waiting intent lands', async () => {
  const t = await aTable();
  await leaveIntent(t.uuid, [{ action: 'set-properties', updates: { waiting: 'yes' } }]);
  const snapshot = { 'snapshot-id': 7, 'sequence-number': 1, 'timestamp-ms': Date.now(), 'manifest-list': `${OUTSIDE}/snap-7.avro`, summary: { operation: 'append' }, 'schema-id': 0 };
  const requirements: JsonValue = [{ type: 'assert-table-uuid', uuid: t.uuid }];
  const updates: JsonValue = [{ action: 'add-snapshot', snapshot }, { action: 'set-snapshot-ref', 'ref-name': 'main', type: 'branch', 'snapshot-id': 7 }];
  await assert.rejects(
    commitGrouped(h.ctx, { warehouse: h.warehouse, id: t.id, tableUuid: t.uuid }, { requirements, updates }, { requirements: validateTableRequirements(requirements), updates: validateTableUpdates(updates) }, h.ctx.clock.now() + 10_000),
    (error: unknown) => error instanceof CatalogError && error.status >= 400 && error.status < 500 && /outside/i.test(error.message),
  );
  const { metadata } = await requireTable(h.ctx, h.warehouse, t.id);
  assert.equal(metadata.snapshots.length, 0, 'the snapshot naming a file outside never landed');
  assert.equal(metadata.properties['waiting'], 'yes', 'the leader\'s fold still applied the waiting intent');
});
