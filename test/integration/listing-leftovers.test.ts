import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { TRANSITION_EXPIRY_MS } from '../../core/catalog/deadlines.js';
import { createNamespace } from '../../core/catalog/namespaces/create-namespace.js';
import { dropNamespace } from '../../core/catalog/namespaces/drop-namespace.js';
import { listNamespaces } from '../../core/catalog/namespaces/list-namespaces.js';
import { findNamespace } from '../../core/catalog/namespaces/namespace-lookup.js';
import { pointerKey, readPointer } from '../../core/catalog/pointers/pointer-protocol.js';
import { putPointer } from '../../core/catalog/pointers/pointer-writes.js';
import { sweepWarehouse } from '../../core/catalog/sweep.js';
import { startCoreHarness, type CoreHarness } from '../support/core-context.js';
import { uniqueNameOf } from '../support/table-requests.js';

/**
 * Code review 1.5: a pointer left in the folder of a dropped child namespace (its create's undo was
 * skipped past the deadline) made the child show in listings while it loaded as 404, and made the
 * parent undroppable forever.
 */
let h: CoreHarness;
before(async () => {
  h = await startCoreHarness();
});
after(async () => h.close());

test('a pointer orphaned in a dropped child folder: the child is not listed, the parent drops, the sweeper clears it', async () => {
  const parent = [uniqueNameOf('p')];
  const child = [...parent, 'c'];
  await createNamespace(h.ctx, h.warehouse, { namespace: parent, properties: {} });
  await createNamespace(h.ctx, h.warehouse, { namespace: child, properties: {} });
  await dropNamespace(h.ctx, h.warehouse, child);
  const orphanKey = pointerKey(h.ctx, h.warehouse, child, 'table', 'half_created');
  const orphan = await putPointer(h.ctx, orphanKey, {
    kind: 'table',
    state: 'creating',
    stateSinceMs: h.ctx.clock.now(),
    uuid: randomUUID(),
    metadataLocation: `file:///nowhere/${randomUUID()}.metadata.json`,
  });
  assert.equal(orphan.ok, true);

  assert.deepEqual((await listNamespaces(h.ctx, h.warehouse, parent, {})).namespaces, [], 'the dead child folder is not a namespace');
  assert.equal(await findNamespace(h.ctx, h.warehouse, child), undefined);
  await dropNamespace(h.ctx, h.warehouse, parent);
  assert.equal(await findNamespace(h.ctx, h.warehouse, parent), undefined, 'the parent dropped at once');

  h.advanceClock(TRANSITION_EXPIRY_MS + 1_000);
  await sweepWarehouse(h.ctx, h.warehouse, 60_000);
  assert.equal(await readPointer(h.ctx, orphanKey), undefined, 'the leftover is swept once expired');
});
