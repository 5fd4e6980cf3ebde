import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { beginIdempotent, finishIdempotent, IN_PROGRESS_TIMEOUT_MS, type IdempotencyScope } from '../../core/catalog/idempotency/idempotency.js';
import { startCoreHarness, type CoreHarness } from '../support/core-context.js';

/** Invariant 6 at the receipt level, on this run's real store: what is replayed, and what a late release may not undo. */
let h: CoreHarness;
before(async () => {
  h = await startCoreHarness();
});
after(async () => h.close());

const LIFETIME_MS = 60_000;
const scope = (): IdempotencyScope => ({ warehouse: h.warehouse, caller: 'apikey:test', method: 'POST', path: `/v1/x/${randomUUID()}`, key: randomUUID(), body: '{}' });
const errorBody = (type: string) => JSON.stringify({ error: { message: 'm', type, code: 409 } });

test('a 409 ConcurrentModificationException ("retry") is not replayed: the retry runs again (code review 1.8)', async () => {
  const s = scope();
  const first = await beginIdempotent(h.ctx, s, LIFETIME_MS);
  assert.equal(first.kind, 'execute');
  if (first.kind === 'execute') await finishIdempotent(h.ctx, first, { status: 409, headers: {}, body: errorBody('ConcurrentModificationException') });
  assert.equal((await beginIdempotent(h.ctx, s, LIFETIME_MS)).kind, 'execute');
});

test('a 409 AlreadyExistsException is final and replayed', async () => {
  const s = scope();
  const first = await beginIdempotent(h.ctx, s, LIFETIME_MS);
  if (first.kind === 'execute') await finishIdempotent(h.ctx, first, { status: 409, headers: {}, body: errorBody('AlreadyExistsException') });
  const again = await beginIdempotent(h.ctx, s, LIFETIME_MS);
  assert.equal(again.kind, 'replay');
  if (again.kind === 'replay') assert.equal(again.response.status, 409);
});

test('a first request that outlived its claim cannot release the claim of the duplicate that took over (no double execution)', async () => {
  const s = scope();
  const first = await beginIdempotent(h.ctx, s, LIFETIME_MS);
  assert.equal(first.kind, 'execute');
  h.advanceClock(IN_PROGRESS_TIMEOUT_MS + 1_000);
  const second = await beginIdempotent(h.ctx, s, LIFETIME_MS);
  assert.equal(second.kind, 'execute', 'the timed-out claim is taken over');
  // The first request ends with a 5xx, after its deadline: its release must not remove the second claim.
  if (first.kind === 'execute') await finishIdempotent(h.ctx, first, { status: 500, headers: {} });
  if (second.kind === 'execute') await finishIdempotent(h.ctx, second, { status: 200, headers: {}, body: '{"ok":true}' });
  const third = await beginIdempotent(h.ctx, s, LIFETIME_MS);
  assert.equal(third.kind, 'replay', 'the second answer is replayed, the request does not run a third time');
});
