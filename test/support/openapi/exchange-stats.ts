import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Counts of the exchanges the OpenAPI layer saw. Each integration test file runs in its own process
 * under `node --test`, so each process writes its counts to a file in the run directory named by
 * OPENAPI_STATS_DIR (set by run-integration.ts) when it exits, and the runner sums the files.
 */
export const STATS_DIR_ENV = 'OPENAPI_STATS_DIR';

export interface OperationCounts {
  /** Requests that conform to the spec (their responses must conform too). */
  validRequests: number;
  /** Requests that break the request schema on purpose; each must get a listed 4xx with an error body. */
  invalidRequests: number;
  /** Responses checked against the operation's status list and schemas. */
  responses: number;
  /** 501 from an operation the catalog does not advertise. */
  notImplemented: number;
  /** Of `validRequests` + `invalidRequests`, those sent without `{prefix}`. */
  unprefixed: number;
  violations: number;
}

export interface StatsFile {
  readonly file: string;
  readonly operations: Record<string, OperationCounts>;
  readonly notInSpec: { management: number; other: number };
  /** The violations themselves (deduplicated), for the report. */
  readonly violations: string[];
}

export function emptyCounts(): OperationCounts {
  return { validRequests: 0, invalidRequests: 0, responses: 0, notImplemented: 0, unprefixed: 0, violations: 0 };
}

export class ExchangeStats {
  readonly operations = new Map<string, OperationCounts>();
  readonly notInSpec = { management: 0, other: 0 };
  readonly violations = new Set<string>();
  private registered = false;

  counts(operationId: string): OperationCounts {
    let counts = this.operations.get(operationId);
    if (counts === undefined) this.operations.set(operationId, (counts = emptyCounts()));
    return counts;
  }

  /** Writes this process's counts into the run directory at exit, if the runner named one. */
  writeAtExit(env: NodeJS.ProcessEnv = process.env): void {
    const dir = env[STATS_DIR_ENV];
    if (this.registered || dir === undefined || dir === '') return;
    this.registered = true;
    process.on('exit', () => {
      const content: StatsFile = {
        file: process.argv[1] ?? '',
        operations: Object.fromEntries(this.operations),
        notInSpec: this.notInSpec,
        violations: [...this.violations],
      };
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${process.pid}-${randomUUID().slice(0, 8)}.json`), JSON.stringify(content));
    });
  }
}

export function readStats(dir: string): StatsFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  return names.map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as StatsFile);
}

const COLUMNS: readonly (readonly [keyof OperationCounts, string])[] = [
  ['validRequests', 'valid req'],
  ['invalidRequests', 'invalid req (4xx)'],
  ['responses', 'responses'],
  ['notImplemented', '501 unadvertised'],
  ['unprefixed', 'un-prefixed'],
  ['violations', 'violations'],
];

/** The per-operation table the runner prints at the end of the integration suite. */
export function formatReport(files: readonly StatsFile[]): string {
  const totals = new Map<string, OperationCounts>();
  const notInSpec = { management: 0, other: 0 };
  const violations = new Set<string>();
  for (const f of files) {
    for (const [op, counts] of Object.entries(f.operations)) {
      const sum = totals.get(op) ?? emptyCounts();
      for (const [key] of COLUMNS) sum[key] += counts[key];
      totals.set(op, sum);
    }
    notInSpec.management += f.notInSpec.management;
    notInSpec.other += f.notInSpec.other;
    for (const v of f.violations) violations.add(v);
  }
  const grand = emptyCounts();
  const rows = [...totals.entries()].sort(([a], [b]) => a.localeCompare(b));
  for (const [, counts] of rows) for (const [key] of COLUMNS) grand[key] += counts[key];
  const table = [['operation', ...COLUMNS.map(([, title]) => title)], ...rows.map(([op, c]) => [op, ...COLUMNS.map(([key]) => String(c[key]))]), ['total', ...COLUMNS.map(([key]) => String(grand[key]))]];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const line = (row: readonly string[]): string => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [
    `OpenAPI conformance: ${grand.responses} exchanges validated in ${files.length} test processes`,
    line(table[0]!),
    ...table.slice(1).map(line),
    `not in spec (not validated): ${notInSpec.management} management API, ${notInSpec.other} other`,
    ...(violations.size > 0 ? [`violations (${violations.size} distinct):`, ...[...violations].map((v) => `  ${v}`)] : []),
  ].join('\n');
}
