/**
 * Security review A18: latency of an unrelated authenticated request (GET /v1/config) while 32
 * concurrent loops send client_credentials with a real client id (person-chosen secret) and wrong
 * secrets. The catalog runs in a child process, so the load generator does not share its event loop.
 * Usage: node --import tsx bench/token-endpoint-dos.ts
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

if (process.argv[2] === 'serve') {
  const { startTestCatalog } = await import('../test/support/catalog-harness.js');
  const catalog = await startTestCatalog({ auth: true, env: { CATALOG_LOG_LEVEL: 'error' } });
  const created = await catalog.request('POST', '/management/v1/oauth-clients', { body: { name: 'victim', secret: 'a person chose this secret' } });
  const clientId = (created.body as { 'client-id': string })['client-id'];
  process.stdout.write(`${JSON.stringify({ url: catalog.url, adminKey: catalog.adminKey, clientId })}\n`);
  process.on('SIGTERM', () => void catalog.close().then(() => process.exit(0)));
} else {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'serve'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  const { url, adminKey, clientId } = JSON.parse(line) as { url: string; adminKey: string; clientId: string };

  let configFailures = 0;
  const sample = async (ms: number): Promise<number[]> => {
    const out: number[] = [];
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const t = performance.now();
      try {
        const r = await fetch(`${url}/v1/config`, { headers: { authorization: `Bearer ${adminKey}` } });
        await r.text();
        if (r.status !== 200) configFailures++;
      } catch {
        configFailures++; // a reset connection counts as a failure, with the time it took
      }
      out.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return out;
  };
  const stats = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(1);
    return `n=${s.length} median=${q(0.5)} ms p90=${q(0.9)} ms max=${s.at(-1)!.toFixed(1)} ms`;
  };

  const quiet = await sample(3000);
  let stop = false;
  const statuses = new Map<number, number>();
  const attack = async (n: number) => {
    for (let i = 0; !stop; i++) {
      let status = 0; // 0: the connection failed
      try {
        const r = await fetch(`${url}/v1/oauth/tokens`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `grant_type=client_credentials&client_id=${clientId}&client_secret=wrong-${n}-${i}-xxxxxxxxxx`,
        });
        await r.text();
        status = r.status;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  const loops = Array.from({ length: 32 }, (_, n) => attack(n));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const loaded = await sample(8000);
  stop = true;
  await Promise.all(loops);
  console.log(`quiet:        ${stats(quiet)}`);
  console.log(`during burst: ${stats(loaded)}`);
  console.log(`token requests: ${[...statuses].map(([s, c]) => `${s}:${c}`).join(' ')}; failed config requests: ${configFailures}`);
  child.kill('SIGTERM');
}
