import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import { nodeVersionProblem, REQUIRED_NODE_MAJOR } from '../../local/require-node.js';

const ROOT = join(import.meta.dirname, '..', '..');

test('Node versions below the runtime the functions deploy on are refused, with the way out in the message', () => {
  for (const old of ['18.20.4', '20.20.2', '22.21.1', '23.11.0']) {
    const problem = nodeVersionProblem(old);
    assert.ok(problem !== undefined, old);
    assert.match(problem, new RegExp(`Node\\.js >= ${REQUIRED_NODE_MAJOR} \\(this is v${old.replace(/\./g, '\\.')}\\)`));
    assert.match(problem, /64-bit/);
    assert.match(problem, /npm start/);
  }
  assert.equal(nodeVersionProblem('24.0.0'), undefined);
  assert.equal(nodeVersionProblem('26.10.0'), undefined);
});

/** Runs `local/main.ts` the way `npm start` does, with the given node binary and extra flags. */
function startCatalog(nodeBinary: string, extraArgs: readonly string[], dataDir: string) {
  return spawnSync(nodeBinary, [...extraArgs, '--import', 'tsx', 'local/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, CATALOG_DATA_DIR: dataDir, PORT: '0', CATALOG_LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** A `node` on PATH, outside node_modules, older than the required major (a machine's system Node). */
function olderSystemNode(): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir.includes('node_modules')) continue;
    const candidate = join(dir, 'node');
    if (!existsSync(candidate)) continue;
    const run = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    if (run.status === 0 && nodeVersionProblem(run.stdout.trim()) !== undefined) return candidate;
  }
  return undefined;
}

test('the local server refuses to start on an older Node before it touches anything', (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'require-node-'));
  try {
    // This Node, told it is 20: the check runs before any other module of the catalog is loaded.
    const pretend = "Object.defineProperty(process.versions, 'node', { value: '20.20.2' });";
    const run = startCatalog(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(pretend)}`], dataDir);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /needs Node\.js >= 24 \(this is v20\.20\.2\)/);
    assert.deepEqual(readdirSync(dataDir), [], 'nothing was written to the data folder');

    // And a real older Node where the machine has one (CI's system Node is 20).
    const older = olderSystemNode();
    if (older === undefined) {
      t.diagnostic('no Node older than the required one on PATH outside node_modules');
      return;
    }
    const real = startCatalog(older, [], dataDir);
    assert.equal(real.status, 1, real.stderr);
    assert.match(real.stderr, /needs Node\.js >= 24 \(this is v\d+/);
    assert.deepEqual(readdirSync(dataDir), []);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
