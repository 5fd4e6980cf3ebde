import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatReport, readStats, STATS_DIR_ENV } from './exchange-stats.js';
import { ABSENCE_REPORTED_ENV, reportAbsentSpec } from './openapi-spec.js';

/**
 * Runs `node <arguments>` (the integration suite: `--test ... "test/integration/**\/*.test.ts"`)
 * with a fresh stats directory in OPENAPI_STATS_DIR, then prints how many exchanges the OpenAPI layer
 * validated, by operation, summed over every test process. Exits with the test run's code. A script
 * rather than env syntax in package.json, so it works the same in every shell.
 */
const dir = mkdtempSync(join(tmpdir(), 'openapi-stats-'));
// Said here once for the whole run rather than once per test process.
const absent = reportAbsentSpec();
const child = spawn(process.execPath, ['--import', 'tsx', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, [STATS_DIR_ENV]: dir, ...(absent ? { [ABSENCE_REPORTED_ENV]: '1' } : {}) },
});
const forward = (signal: NodeJS.Signals): void => {
  child.kill(signal);
};
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code, signal) => {
  const files = readStats(dir);
  if (files.length > 0) process.stdout.write(`\n${formatReport(files)}\n`);
  rmSync(dir, { recursive: true, force: true });
  process.exit(code ?? (signal !== null ? 1 : 0));
});
