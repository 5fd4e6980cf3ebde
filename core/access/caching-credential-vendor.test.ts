import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CachingCredentialVendor } from './caching-credential-vendor.js';
import type { CredentialVendor, VendedCredentials, VendRequest } from './credential-vendor.js';

const HOUR = 3_600_000;

/** A vendor that counts its calls and mints distinct credentials valid for an hour from `clock.now`. */
function countingVendor(clock: { now: number }, opts: { fail?: boolean; delayMs?: number } = {}) {
  const calls: VendRequest[] = [];
  const vendor: CredentialVendor = {
    async vend(request) {
      calls.push(request);
      if (opts.delayMs !== undefined) await new Promise((r) => setTimeout(r, opts.delayMs));
      if (opts.fail === true) throw new Error('sts down');
      const n = calls.length;
      return { accessKeyId: `AK${n}`, secretAccessKey: `SK${n}`, sessionToken: `ST${n}`, expiresAtMs: clock.now + HOUR } satisfies VendedCredentials;
    },
  };
  return { vendor, calls };
}

const reader = (caller = 'user:a', key = 'wh/ns/t1'): VendRequest => ({ prefix: { bucket: 'lake', key }, level: 'read-only', caller });

test('a burst of requests for one table and level makes one call', async () => {
  const clock = { now: 0 };
  const { vendor, calls } = countingVendor(clock);
  const cache = new CachingCredentialVendor(vendor, () => clock.now);
  for (let i = 0; i < 1000; i++) await cache.vend(reader(`user:${i % 7}`));
  assert.equal(calls.length, 1);
});

test('concurrent misses share one in-flight call', async () => {
  const clock = { now: 0 };
  const { vendor, calls } = countingVendor(clock, { delayMs: 5 });
  const cache = new CachingCredentialVendor(vendor, () => clock.now);
  const got = await Promise.all(Array.from({ length: 50 }, () => cache.vend(reader())));
  assert.equal(calls.length, 1);
  assert.ok(got.every((c) => c.accessKeyId === 'AK1'));
});

test('access levels never share credentials', async () => {
  const clock = { now: 0 };
  const { vendor, calls } = countingVendor(clock);
  const cache = new CachingCredentialVendor(vendor, () => clock.now);
  const read = await cache.vend(reader());
  const write = await cache.vend({ ...reader(), level: 'read-write' });
  assert.equal(calls.length, 2);
  assert.notEqual(read.accessKeyId, write.accessKeyId);
  assert.equal((await cache.vend(reader())).accessKeyId, read.accessKeyId);
});

test('tables never share credentials, even when one name is a prefix of the other', async () => {
  const clock = { now: 0 };
  const { vendor } = countingVendor(clock);
  const cache = new CachingCredentialVendor(vendor, () => clock.now);
  assert.notEqual((await cache.vend(reader('u', 'wh/ns/t1'))).accessKeyId, (await cache.vend(reader('u', 'wh/ns/t10'))).accessKeyId);
});

test('credentials are reused while more than half their lifetime is left, then renewed', async () => {
  const clock = { now: 0 };
  const { vendor, calls } = countingVendor(clock);
  const cache = new CachingCredentialVendor(vendor, () => clock.now);
  await cache.vend(reader());
  clock.now = HOUR / 2 - 1;
  assert.equal((await cache.vend(reader())).accessKeyId, 'AK1');
  clock.now = HOUR / 2;
  const renewed = await cache.vend(reader());
  assert.equal(renewed.accessKeyId, 'AK2');
  assert.equal(calls.length, 2);
  assert.ok(renewed.expiresAtMs - clock.now >= HOUR / 2, 'a client always gets at least half the lifetime');
});

test('a failure is not cached and reaches every waiter', async () => {
  const clock = { now: 0 };
  const failing = countingVendor(clock, { fail: true, delayMs: 2 });
  const cache = new CachingCredentialVendor(failing.vendor, () => clock.now);
  const results = await Promise.allSettled([cache.vend(reader()), cache.vend(reader())]);
  assert.ok(results.every((r) => r.status === 'rejected'));
  await assert.rejects(cache.vend(reader()));
  assert.equal(failing.calls.length, 2);
});

test('the least recently used table is dropped beyond the bound', async () => {
  const clock = { now: 0 };
  const { vendor, calls } = countingVendor(clock);
  const cache = new CachingCredentialVendor(vendor, () => clock.now, 2);
  await cache.vend(reader('u', 'a'));
  await cache.vend(reader('u', 'b'));
  await cache.vend(reader('u', 'a'));
  await cache.vend(reader('u', 'c'));
  await cache.vend(reader('u', 'a'));
  assert.equal(calls.length, 3, 'a stayed cached (recently used), b was dropped');
  await cache.vend(reader('u', 'b'));
  assert.equal(calls.length, 4);
});
