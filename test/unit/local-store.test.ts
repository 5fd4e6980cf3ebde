import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAX_CLOCK_SKEW_MS } from '../../core/catalog/deadlines.js';
import { loadConfig } from '../../core/config.js';
import { ConfigurationError } from '../../core/errors.js';
import { lockDataDir, refuseSkewedClock, storeClockSkewMs } from '../../local/local-store.js';

test('a second server on the same local-files folder is refused at start (code review 1.8)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lock-'));
  try {
    const release = await lockDataDir(dir);
    await assert.rejects(lockDataDir(dir), (error: unknown) => error instanceof ConfigurationError && /Another catalog process/.test(error.message));
    await release();
    const again = await lockDataDir(dir);
    await again();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a lock left by a process that died is taken over', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lock-'));
  try {
    // Pids are below 2^22 on Linux: this one cannot be running.
    await writeFile(join(dir, '.catalog.lock'), '99999999');
    const release = await lockDataDir(dir);
    await release();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a host clock far from the store clock refuses to start; one within the tolerance starts (code review 1.6)', () => {
  assert.throws(() => refuseSkewedClock(MAX_CLOCK_SKEW_MS + 1_000), ConfigurationError);
  assert.doesNotThrow(() => refuseSkewedClock(MAX_CLOCK_SKEW_MS - 1_000));
  assert.doesNotThrow(() => refuseSkewedClock(undefined));
});

test('the skew is measured against the S3 endpoint of this run (when there is one)', async (t) => {
  const endpoint = process.env['S3_ENDPOINT'];
  if (endpoint === undefined || endpoint === '') {
    t.skip('reason: S3_ENDPOINT not set; the local-files store has no other clock');
    return;
  }
  const config = loadConfig({ ...process.env, CATALOG_BUCKET: process.env['S3_BUCKET'] ?? 'catalog-test', CATALOG_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') });
  const skew = await storeClockSkewMs(config);
  assert.ok(skew !== undefined && skew < MAX_CLOCK_SKEW_MS, `same host, same clock: skew ${skew}`);
  const shifted = await storeClockSkewMs(config, () => Date.now() + 60_000);
  assert.ok(shifted !== undefined && shifted > MAX_CLOCK_SKEW_MS, `a host clock 60 s ahead is noticed: ${shifted}`);
});
