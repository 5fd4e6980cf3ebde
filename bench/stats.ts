/** Latency samples and their summary; every loop in the bench is bounded by count and by a deadline. */
export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
}

export function summarize(samplesMs: readonly number[]): Summary {
  if (samplesMs.length === 0) return { n: 0, p50: Number.NaN, p99: Number.NaN, mean: Number.NaN };
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), mean: sorted.reduce((s, v) => s + v, 0) / sorted.length };
}

/** Runs `op` up to `count` times (after `warmup` untimed runs), stopping early at `budgetMs`. */
export async function timeSequential(count: number, op: (i: number) => Promise<void>, options: { warmup?: number; budgetMs?: number } = {}): Promise<Summary> {
  for (let i = 0; i < (options.warmup ?? 0); i++) await op(-1 - i);
  const samples: number[] = [];
  const deadline = performance.now() + (options.budgetMs ?? 60_000);
  for (let i = 0; i < count && performance.now() < deadline; i++) {
    const started = performance.now();
    await op(i);
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

/** `workers` loops sharing one counter of `total` operations; returns operations per second. */
export async function throughput(workers: number, total: number, op: (i: number) => Promise<void>, budgetMs = 60_000): Promise<{ ops: number; seconds: number; perSecond: number }> {
  let next = 0;
  let done = 0;
  const started = performance.now();
  const deadline = started + budgetMs;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total && performance.now() < deadline) {
        const i = next++;
        await op(i);
        done++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { ops: done, seconds, perSecond: done / seconds };
}
