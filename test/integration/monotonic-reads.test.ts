import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createNamespace } from '../../core/catalog/namespaces/create-namespace.js';
import { pointerKey, readPointer } from '../../core/catalog/pointers/pointer-protocol.js';
import { commitTransaction } from '../../core/catalog/tables/commit-transaction.js';
import { createTable } from '../../core/catalog/tables/create-table.js';
import { effectivePointer, removeTransactionIfSettled, settlePointer } from '../../core/catalog/transactions/resolve-pointer.js';
import { validateCreateTableRequest } from '../../core/metadata/index.js';
import { startCoreHarness, type CoreHarness } from '../support/core-context.js';
import { createTableBody, uniqueNameOf } from '../support/table-requests.js';

/**
 * Code review 1.4: a reader that read a pending pointer just before its transaction was rolled
 * forward and its record removed must not answer the old state (an earlier reader may already have
 * answered the new one): an acknowledged state never goes back.
 */
let h: CoreHarness;
before(async () => {
  h = await startCoreHarness();
});
after(async () => h.close());

test('a pointer read while pending, resolved after its committed record was removed, reads as new', async () => {
  const namespace = [uniqueNameOf('mono')];
  await createNamespace(h.ctx, h.warehouse, { namespace, properties: {} });
  const ids = ['a', 'b'].map((name) => ({ namespace, name }));
  for (const id of ids) await createTable(h.ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody(id.name)));
  const keys = ids.map((id) => pointerKey(h.ctx, h.warehouse, id.namespace, 'table', id.name));
  const before = (await readPointer(h.ctx, keys[0]!))!.value.metadataLocation;

  // The writer dies right after its commit point: both pointers pending, the record committed.
  h.store.arm(6);
  await commitTransaction(h.ctx, h.warehouse, ids.map((identifier) => ({ identifier, requirements: [], updates: [{ action: 'set-properties' as const, updates: { k: 'v' } }] }))).catch(() => undefined);
  h.store.arm(undefined);
  const stale = (await readPointer(h.ctx, keys[0]!))!;
  assert.ok(stale.value.pending !== undefined, 'the reader sees the pointer pending');
  const transactionKey = stale.value.pending.transactionKey;

  // Meanwhile another writer settles both pointers and removes the record.
  for (const key of keys) await settlePointer(h.ctx, key);
  assert.equal(await removeTransactionIfSettled(h.ctx, transactionKey, keys), true);

  const seen = await effectivePointer(h.ctx, keys[0]!, stale);
  assert.notEqual(seen?.value.metadataLocation, before, 'the reader must not go back to the old state');
  assert.equal(seen?.value.metadataLocation, (await readPointer(h.ctx, keys[0]!))!.value.metadataLocation);
});
