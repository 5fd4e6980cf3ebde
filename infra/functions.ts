import { ROUTES, type OperationId, type RouteDefinition } from '../core/http/routes.js';
import { CEDAR_WASM_ASSET, type FunctionAsset } from './bundle.js';
import { accessOf, grantsFor, JOB_WORKER_ACCESS, MAINTENANCE_ACCESS, SWEEPER_ACCESS, type Access, type Grant } from './permissions.js';

/**
 * One Lambda function per route of the route table, plus the job worker, the sweeper and scheduled maintenance: names, entries, sizes and
 * permissions as plain data. `sst.config.ts` creates exactly these functions.
 */
export interface FunctionSpec {
  /** SST logical name (PascalCase of the operationId): also the CloudWatch log group suffix. */
  readonly name: string;
  readonly operationId?: OperationId;
  /** Source entry, relative to the project root. */
  readonly entry: string;
  /** Lambda handler, as SST expects it: `<entry without extension>.handler`. */
  readonly handler: string;
  readonly live: boolean;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly access: readonly Access[];
  readonly grants: readonly Grant[];
  /** Files copied beside the bundle. */
  readonly assets: readonly FunctionAsset[];
  readonly description: string;
}

function assetsFor(access: readonly Access[]): FunctionAsset[] {
  return access.includes('authorizes') ? [CEDAR_WASM_ASSET] : [];
}

/** Lambda gives CPU in proportion to memory; cold init parses a ~700 KiB bundle (docs/benchmarks.md). */
export const LIVE_MEMORY_MB = 1024;
/** Planned routes only answer 501. */
export const PLANNED_MEMORY_MB = 256;
/** API Gateway HTTP APIs give up on an integration after 30 s. */
export const ROUTE_TIMEOUT_SECONDS = 30;
/**
 * One job deletes one dropped table's files, or runs maintenance on one table (a run's own budget:
 * core/maintenance/maintain-table.ts DEFAULT_RUN_BUDGET_MS, then the orphan step's); a run that
 * times out is retried by SQS (every job may run again).
 */
export const JOB_TIMEOUT_SECONDS = 300;
export const BACKGROUND_MEMORY_MB = 1024;

export const JOB_WORKER_ENTRY = 'functions/jobs/job-worker.ts';
export const SWEEPER_ENTRY = 'functions/maintenance/sweeper.ts';
/** A sweep pass stops at its budget (functions/maintenance/sweeper.ts) a minute before this. */
export const SWEEPER_TIMEOUT_SECONDS = 300;
/** How often the sweeper runs: a dead writer's leftovers expire after 30 s; nothing waits for the sweeper. */
export const SWEEPER_SCHEDULE = 'rate(15 minutes)';
export const MAINTENANCE_ENTRY = 'functions/maintenance/maintain-tables.ts';
/** A tick stops starting tables at its budget (functions/maintenance/maintain-tables.ts), two minutes before this. */
export const MAINTENANCE_TIMEOUT_SECONDS = 300;
/** How often scheduled maintenance runs: each tick maintains the next tables of a round-robin (docs/maintenance.md). */
export const MAINTENANCE_SCHEDULE = 'rate(15 minutes)';

export function functionName(operationId: string): string {
  return operationId.charAt(0).toUpperCase() + operationId.slice(1);
}

function routeFunction(route: RouteDefinition): FunctionSpec {
  const operationId = route.operationId;
  const live = route.status === 'live';
  // A planned route answers 501 and needs nothing; it gets its permissions when it goes live.
  const access = live ? accessOf(operationId) : [];
  return {
    name: functionName(operationId),
    operationId,
    entry: `${route.handler}.ts`,
    handler: `${route.handler}.handler`,
    live,
    memoryMb: live ? LIVE_MEMORY_MB : PLANNED_MEMORY_MB,
    timeoutSeconds: ROUTE_TIMEOUT_SECONDS,
    access,
    grants: grantsFor(access),
    assets: assetsFor(access),
    description: `${route.method} ${route.path} (${operationId}${live ? '' : ', planned: 501'})`,
  };
}

export const ROUTE_FUNCTIONS: readonly FunctionSpec[] = ROUTES.map(routeFunction);

/** A function outside the route table (a queue consumer, a scheduled job). */
function backgroundFunction(name: string, entry: string, timeoutSeconds: number, access: readonly Access[], description: string): FunctionSpec {
  return {
    name,
    entry,
    handler: entry.replace(/\.ts$/, '.handler'),
    live: true,
    memoryMb: BACKGROUND_MEMORY_MB,
    timeoutSeconds,
    access,
    grants: grantsFor(access),
    assets: assetsFor(access),
    description,
  };
}

export const JOB_WORKER = backgroundFunction(
  'JobWorker',
  JOB_WORKER_ENTRY,
  JOB_TIMEOUT_SECONDS,
  JOB_WORKER_ACCESS,
  'Runs queued jobs: purges of dropped tables and views, scheduled table maintenance (job queue)',
);

export const SWEEPER = backgroundFunction(
  'Sweeper',
  SWEEPER_ENTRY,
  SWEEPER_TIMEOUT_SECONDS,
  SWEEPER_ACCESS,
  'Clears expired transitions and settled transaction records left by writers that died (cron)',
);

export const MAINTENANCE = backgroundFunction(
  'Maintenance',
  MAINTENANCE_ENTRY,
  MAINTENANCE_TIMEOUT_SECONDS,
  MAINTENANCE_ACCESS,
  'Scheduled table maintenance: queues the next tables of a round-robin for the job worker (cron)',
);

export const ALL_FUNCTIONS: readonly FunctionSpec[] = [...ROUTE_FUNCTIONS, JOB_WORKER, SWEEPER, MAINTENANCE];
