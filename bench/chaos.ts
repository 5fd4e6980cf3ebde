/**
 * `npm run chaos`: the seeded chaos test (test/integration/chaos.test.ts) at a longer size, over
 * several seeds, one process per seed, on the store the environment names (local files, or S3 with
 * S3_ENDPOINT). Prints the one-line summary of every run and exits non-zero if any run found a lost
 * change, a wrong answer or something stuck.
 *
 *   CHAOS_OPERATIONS  operations per run (default 3000)
 *   CHAOS_SEEDS       comma-separated seeds (default 1,2,3)
 *   CHAOS_RATES       rate[:mix] list, as the test reads it (default: the test's)
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const operations = process.env['CHAOS_OPERATIONS'] ?? '3000';
const seeds = (process.env['CHAOS_SEEDS'] ?? '1,2,3').split(',').map((s) => s.trim()).filter((s) => s !== '');

function runSeed(seed: string): Promise<{ code: number; lines: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', join(ROOT, 'test', 'integration', 'chaos.test.ts')], {
      cwd: ROOT,
      env: { ...process.env, CHAOS_OPERATIONS: operations, CHAOS_SEED: seed },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('exit', (code) => {
      const lines = out.split('\n').filter((l) => /^# (\\# )?(chaos |  )/.test(l) || /^not ok/.test(l)).map((l) => l.replace(/^# (\\# )?/, ''));
      resolve({ code: code ?? 1, lines });
    });
  });
}

let failed = false;
for (const seed of seeds) {
  const started = performance.now();
  const { code, lines } = await runSeed(seed);
  process.stdout.write(`seed ${seed} (${((performance.now() - started) / 1000).toFixed(0)} s): ${code === 0 ? 'ok' : 'FAILED'}\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
  if (code !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
