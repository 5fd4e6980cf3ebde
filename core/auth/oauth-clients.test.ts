import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ARGON2_BURST, ARGON2_PER_SECOND, CLIENT_FAILURES_BEFORE_LOCKOUT, CLIENT_LOCKOUT_WINDOW_MS, ClientCheckThrottled, MAX_QUEUED_CHECKS, OAuthClients } from './oauth-clients.js';
import { GENERATED_CLIENT_SECRET, hashClientSecretArgon2id, verifyClientSecret } from './secret-hashing.js';
import { anAuthFixture } from './testing/fixtures.js';

/** OAuth clients with a counting Argon2 check: how many Argon2 computations each request costs. */
function clients(ttlMs = 10_000) {
  const fx = anAuthFixture();
  let argon2 = 0;
  const oauth = new OAuthClients(fx.records, fx.keys, fx.secrets, fx.clock, ttlMs, (secret, encoded) => {
    argon2++;
    return verifyClientSecret(secret, encoded);
  });
  return { fx, oauth, argon2: () => argon2 };
}

const CHOSEN = 'a person chose this secret';

test('a generated secret is 256 random bits under a keyed BLAKE3 hash: checking it costs no Argon2 (A18)', async () => {
  const { oauth, argon2 } = clients();
  const { secret, record } = await oauth.create({ name: 'spark' }, 'admin');
  assert.match(secret, GENERATED_CLIENT_SECRET);
  assert.match(record.secretHash, /^blake3\$[0-9a-f]{64}$/);
  assert.equal((await oauth.verify(record.id, secret))?.id, record.id);
  assert.equal(await oauth.verify(record.id, secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A')), undefined);
  assert.equal(argon2(), 0);
});

test('a chosen secret is stored with scrypt (checked off the event loop), and may not look like a generated one', async () => {
  const { oauth } = clients();
  const { record } = await oauth.create({ name: 'trino', secret: CHOSEN }, 'admin');
  assert.match(record.secretHash, /^scrypt\$32768\$8\$3\$/);
  assert.equal((await oauth.verify(record.id, CHOSEN))?.id, record.id);
  await assert.rejects(oauth.create({ name: 'x', secret: `ocs_${'A'.repeat(43)}` }, 'admin'), /omit it/);
});

test('an unknown client id costs the same check as a known one with a wrong secret (A17)', async () => {
  const { oauth, argon2 } = clients();
  const { record } = await oauth.create({ name: 'trino', secret: CHOSEN }, 'admin');
  assert.equal(await oauth.verify(record.id, 'a wrong secret of some length'), undefined);
  const known = argon2();
  assert.equal(await oauth.verify('oc_nobody', 'a wrong secret of some length'), undefined);
  assert.equal(argon2() - known, known, 'one Argon2 check each');
  // And for the generated shape: a BLAKE3 digest each, never Argon2.
  assert.equal(await oauth.verify('oc_nobody', `ocs_${'A'.repeat(43)}`), undefined);
  assert.equal(argon2(), 2 * known);
});

test('wrong chosen secrets are rationed per container: a burst, then a few per second; other clients are unaffected (A18)', async () => {
  const { fx, oauth, argon2 } = clients();
  const generated = await oauth.create({ name: 'spark' }, 'admin');
  for (let i = 0; i < ARGON2_BURST; i++) assert.equal(await oauth.verify(`oc_random_${i}`, `wrong secret ${i} here`), undefined);
  // The refusal says when the ration has room again: one check's worth of refill.
  await assert.rejects(oauth.verify('oc_random_x', 'wrong secret x here'), (e) => e instanceof ClientCheckThrottled && e.retryAfterMs === 1000 / ARGON2_PER_SECOND);
  assert.equal(argon2(), ARGON2_BURST, 'a refused check computes nothing');
  assert.equal(oauth.chosenSecretChecks, argon2(), 'the container counts the checks it ran');
  assert.equal((await oauth.verify(generated.record.id, generated.secret))?.id, generated.record.id, 'generated secrets still verify');
  fx.clock.advance(1000 / ARGON2_PER_SECOND);
  assert.equal(await oauth.verify('oc_random_y', 'wrong secret y here'), undefined);
  assert.equal(argon2(), ARGON2_BURST + 1);
});

test('a right chosen secret gives its Argon2 allowance back', async () => {
  const { oauth } = clients();
  const { record } = await oauth.create({ name: 'trino', secret: CHOSEN }, 'admin');
  for (let i = 0; i < ARGON2_BURST * 3; i++) assert.ok(await oauth.verify(record.id, CHOSEN));
});

test('after repeated failures a client id is locked out for a while, known or not (A18, A12)', async () => {
  const { fx, oauth, argon2 } = clients();
  const { record } = await oauth.create({ name: 'trino', secret: CHOSEN }, 'admin');
  for (const id of [record.id, 'oc_nobody']) {
    for (let i = 0; i < CLIENT_FAILURES_BEFORE_LOCKOUT; i++) {
      fx.clock.advance(1000); // keep the container's allowance full: this test is about the per-id budget
      assert.equal(await oauth.verify(id, `guess number ${i} .....`), undefined);
    }
    const before = argon2();
    // Until the window that began with the first failure ends.
    const remaining = CLIENT_LOCKOUT_WINDOW_MS - (CLIENT_FAILURES_BEFORE_LOCKOUT - 1) * 1000;
    await assert.rejects(oauth.verify(id, CHOSEN), (e) => e instanceof ClientCheckThrottled && e.retryAfterMs === remaining);
    assert.equal(argon2(), before);
  }
  fx.clock.advance(CLIENT_LOCKOUT_WINDOW_MS);
  assert.equal((await oauth.verify(record.id, CHOSEN))?.id, record.id);
});

test('a deleted client stops existing at once here, and within the cache TTL elsewhere', async () => {
  const { fx, oauth } = clients();
  const other = new OAuthClients(fx.records, fx.keys, fx.secrets, fx.clock, 10_000);
  const { record } = await oauth.create({ name: 'spark' }, 'admin');
  assert.ok(await oauth.exists(record.id));
  assert.ok(await other.exists(record.id));
  assert.ok(await oauth.delete(record.id));
  assert.equal(await oauth.exists(record.id), false);
  assert.equal(await other.exists(record.id), true, 'another container still trusts its cache');
  fx.clock.advance(10_000);
  assert.equal(await other.exists(record.id), false);
});

test('a client stored before scrypt (Argon2id hash) still verifies', async () => {
  const { fx, oauth } = clients();
  const id = 'oc_legacy';
  const record = { id, name: 'old', secretHash: await hashClientSecretArgon2id(CHOSEN), principal: id, groups: [], createdAt: '2026-01-01T00:00:00Z', createdBy: 'admin' };
  assert.ok((await fx.records.create(fx.keys.oauthClient(id), record)).ok);
  assert.equal((await oauth.verify(id, CHOSEN))?.id, id);
  assert.equal(await oauth.verify(id, 'not the chosen secret'), undefined);
});

test('a chosen-secret check leaves the event loop free: timers keep firing while it runs (A18)', async () => {
  const { oauth } = clients();
  const { record } = await oauth.create({ name: 'trino', secret: CHOSEN }, 'admin');
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const started = performance.now();
  try {
    assert.equal(await oauth.verify(record.id, 'a wrong secret of some length'), undefined);
  } finally {
    clearInterval(timer);
  }
  const elapsed = performance.now() - started;
  // Blocking WebAssembly would allow a tick or two in all; off the loop, ticks track the elapsed time.
  assert.ok(ticks >= Math.min(10, elapsed / 10), `${ticks} timer ticks in ${elapsed.toFixed(0)} ms`);
});

test('chosen-secret checks never queue without bound, however slow each one is (A18)', async () => {
  const fx = anAuthFixture();
  const release: (() => void)[] = [];
  // Checks that never finish on their own: the queue fills, and a check beyond its bound is refused at once.
  const oauth = new OAuthClients(fx.records, fx.keys, fx.secrets, fx.clock, 10_000, () => new Promise<boolean>((resolve) => release.push(() => resolve(false))));
  const waiting = Array.from({ length: MAX_QUEUED_CHECKS }, (_, i) => {
    fx.clock.advance(1000);
    return oauth.verify(`oc_slow_${i}`, 'wrong secret of some length');
  });
  fx.clock.advance(60_000);
  await assert.rejects(oauth.verify('oc_one_more', 'wrong secret of some length'), ClientCheckThrottled);
  // The checks run one at a time: release each as it starts.
  for (let released = 0; released < MAX_QUEUED_CHECKS; ) {
    await new Promise((resolve) => setImmediate(resolve));
    const next = release.shift();
    if (next !== undefined) {
      next();
      released++;
    }
  }
  assert.deepEqual(await Promise.all(waiting), Array(MAX_QUEUED_CHECKS).fill(undefined));
});
