import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryObjectStore } from '../store/memory-object-store.js';
import type { DeleteOptions } from '../store/object-store.js';
import type { CatalogContext } from './context.js';
import { deleteBeforeDeadline, GUARDED_DELETE_TIMEOUT_MS, MAX_CLOCK_SKEW_MS, TRANSITION_EXPIRY_MS, WRITER_DEADLINE_MS } from './deadlines.js';

/** A store that records its deletes, with or without If-Match enforcement. */
class RecordingStore extends MemoryObjectStore {
  override readonly capabilities: { readonly conditionalDelete: boolean };
  readonly deletes: DeleteOptions[] = [];
  constructor(conditionalDelete: boolean) {
    super();
    this.capabilities = { conditionalDelete };
  }
  override async delete(key: string, options: DeleteOptions = {}): Promise<{ deleted: boolean }> {
    this.deletes.push(options);
    return super.delete(key, options);
  }
}

function contextAt(nowMs: number, objects: RecordingStore): CatalogContext {
  return { records: { objects }, clock: { now: () => nowMs } } as unknown as CatalogContext;
}

test('expiry covers the writer deadline, the longest guarded delete and the clock skew (code review 1.6)', () => {
  assert.ok(TRANSITION_EXPIRY_MS > WRITER_DEADLINE_MS + GUARDED_DELETE_TIMEOUT_MS + MAX_CLOCK_SKEW_MS);
});

test('without conditional deletes: sent once with a timeout that ends by the deadline, never after it', async () => {
  const store = new RecordingStore(false);
  const { etag } = await store.put('k', new Uint8Array([1]));
  assert.equal(await deleteBeforeDeadline(contextAt(10_000, store), 'k', etag, 10_500), true);
  assert.deepEqual(store.deletes, [{ timeoutMs: 500 }]);

  await store.put('k', new Uint8Array([2]));
  assert.equal(await deleteBeforeDeadline(contextAt(10_500, store), 'k', etag, 10_500), false, 'at the deadline nothing is sent');
  assert.equal(store.deletes.length, 1);
  assert.notEqual(await store.get('k'), undefined);
});

test('with conditional deletes: the ETag guards it at any time, and a moved record is kept', async () => {
  const store = new RecordingStore(true);
  const first = await store.put('k', new Uint8Array([1]));
  await store.put('k', new Uint8Array([2]));
  assert.equal(await deleteBeforeDeadline(contextAt(99_000, store), 'k', first.etag, 10_000), false);
  assert.notEqual(await store.get('k'), undefined, 'someone else wrote it since: not ours to delete');
  assert.equal(store.deletes[0]?.ifMatch, first.etag);
});

test('a failing delete is left to expire, never thrown', async () => {
  const store = new RecordingStore(false);
  store.delete = async () => {
    throw new Error('connection reset');
  };
  assert.equal(await deleteBeforeDeadline(contextAt(0, store), 'k', 'e', 10_000), false);
});
