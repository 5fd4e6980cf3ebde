/** How much `npm run bench` measures; sized for about five minutes on 2 cores (environment overrides). */
export const PLAN = {
  samples: Number(process.env['BENCH_SAMPLES'] ?? 200),
  listSamples: 30,
  tablesToList: 1000,
  commitSamples: Number(process.env['BENCH_COMMITS'] ?? 100),
  concurrencies: [1, 4, 16, 64],
  commitsPerAppender: Number(process.env['BENCH_COMMITS_PER_APPENDER'] ?? 3),
  loadClients: 32,
  loadRequests: 3200,
  maxClientAttempts: 1000,
  /** Each contention level (and its CAS floor) stops here even if not every commit landed. */
  contentionBudgetMs: Number(process.env['BENCH_CONTENTION_BUDGET_MS'] ?? 35_000),
} as const;
