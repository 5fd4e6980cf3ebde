import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

/**
 * `npm start` on a fresh data folder prints the admin API key it creates exactly once (security
 * review E2: stdout often ends up in log collectors); the client snippets read it from the file.
 */
async function startOutput(dataDir: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
    env: { ...process.env, CATALOG_DATA_DIR: dataDir, CATALOG_AUTH: 'enabled', CATALOG_BOOTSTRAP_KEY_FILE: join(dataDir, 'admin-api-key'), PORT: '0', CATALOG_LOG_LEVEL: 'error', CATALOG_MASTER_KEY_FILE: join(dataDir, 'master-keys.txt') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  while (!/Try it:[\s\S]*\n\n/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGTERM');
  await exited;
  assert.match(out, /Try it:/, `no banner; stderr: ${err}`);
  return out;
}

test('the first start prints the admin key once; the snippets point at the key file', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'catalog-bootstrap-'));
  try {
    const out = await startOutput(dataDir);
    const key = (await readFile(join(dataDir, 'admin-api-key'), 'utf8')).trim();
    assert.match(key, /^ak_/);
    assert.equal(out.split(key).length - 1, 1, 'the key appears exactly once');
    assert.ok(out.includes(`$(cat ${join(dataDir, 'admin-api-key')})`));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
