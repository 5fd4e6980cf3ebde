import './require-node.js';
import { ensureLocalStore, lockDataDir, refuseSkewedClock, storeClockSkewMs } from './local-store.js';
import { startLocalServer } from './server.js';
import { loadConfig } from '../core/config.js';

/**
 * `npm start`: the catalog on a laptop. No cloud needed: records go to local files in ./.data (or
 * CATALOG_DATA_DIR), or to the S3 endpoint given by S3_ENDPOINT.
 */
const config = loadConfig(process.env);
await ensureLocalStore(config);
const releaseLock = config.store.kind === 'fs' ? await lockDataDir(config.store.dataDir) : undefined;
refuseSkewedClock(await storeClockSkewMs(config));
// Built now, not on the first request: a setting it refuses (a master key missing over existing
// records, overlapping warehouses) stops the start instead of turning every request into a 500.
await (await import('../functions/lib/catalog-context.js')).catalogContext();
const port = Number(process.env['PORT'] ?? 8181);
const host = process.env['HOST'] ?? '127.0.0.1';
const server = await startLocalServer({ port, host });
const admin = config.auth.enabled ? await bootstrap() : undefined;

/** Embedded mode starts secured: the first start creates an admin API key (see core/auth/bootstrap.ts). */
async function bootstrap(): Promise<{ key: string | undefined; text: string }> {
  const { catalogContext } = await import('../functions/lib/catalog-context.js');
  const { bootstrapAdminKey } = await import('../core/auth/bootstrap.js');
  const result = await bootstrapAdminKey(await catalogContext());
  if (result.created) {
    return {
      key: result.key,
      text: `
First start: created an admin API key (CatalogAdmin on the whole catalog). It is shown only now
and saved in ${result.file} (mode 600):

  ${result.key}
`,
    };
  }
  return { key: undefined, text: `\nAuthentication is on. The admin API key created on the first start is in ${result.file}.\n` };
}

// The key itself is printed once (in admin.text); snippets read it from the file, since stdout
// often ends up in log collectors (security review E2).
const token = admin === undefined ? undefined : `$(cat ${config.auth.bootstrapKeyFile})`;
const curlAuth = token === undefined ? '' : ` -H "Authorization: Bearer ${token}"`;

const warehouse = config.warehouses.find((w) => w.name === config.defaultWarehouse)!;
const storeText = config.store.kind === 'fs' ? `local files in ${config.store.dataDir}` : `S3 bucket ${config.store.bucket}${config.s3.endpoint ? ` at ${config.s3.endpoint}` : ''}`;
process.stdout.write(`
Iceberg REST catalog listening on ${server.url}
  store:      ${storeText}
  warehouses: ${config.warehouses.map((w) => `${w.name} -> ${w.location}`).join(', ')}

PyIceberg:
  from pyiceberg.catalog import load_catalog
  catalog = load_catalog("local", **{"type": "rest", "uri": "${server.url}", "warehouse": "${warehouse.name}"${token === undefined ? '' : `, "token": open("${config.auth.bootstrapKeyFile}").read().strip()`}})

Spark:
  spark-sql --packages org.apache.iceberg:iceberg-spark-runtime-3.5_2.12:1.10.0 \\
    --conf spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions \\
    --conf spark.sql.catalog.local=org.apache.iceberg.spark.SparkCatalog \\
    --conf spark.sql.catalog.local.type=rest \\
    --conf spark.sql.catalog.local.uri=${server.url} \\
    --conf spark.sql.catalog.local.warehouse=${warehouse.name}${token === undefined ? '' : ` \\
    --conf spark.sql.catalog.local.token=${token}`}

Try it:  curl${curlAuth} ${server.url}/v1/config
${admin?.text ?? '\nAuthentication is OFF (CATALOG_AUTH=disabled): anyone who can reach this port can do anything.\n'}`);

/**
 * A scheduled function of the deployment, on a timer here: never two runs of one task at once, a
 * failed run is a line on stderr and the next tick tries again, and the timer never keeps the
 * process alive.
 */
function every(intervalMs: number, name: string, task: () => Promise<unknown>): void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    task()
      .catch((error: unknown) => process.stderr.write(`${name} failed: ${error instanceof Error ? error.message : String(error)}
`))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
}

// functions/maintenance/sweeper.ts: transitional records past their deadline.
every(5 * 60_000, 'sweep', async () => {
  const { catalogContext } = await import('../functions/lib/catalog-context.js');
  const { sweepCatalog } = await import('../core/catalog/sweep.js');
  await sweepCatalog(await catalogContext(), 10_000);
});

// functions/maintenance/maintain-tables.ts: with CATALOG_MAINTENANCE=off only tables that set
// catalog.maintenance.enabled=true. The tick hands the tables to the job queue (in process here,
// unless CATALOG_JOB_QUEUE_URL names one) and, in process, waits for them: one tick at a time.
every(5 * 60_000, 'maintenance', async () => {
  const { catalogContext } = await import('../functions/lib/catalog-context.js');
  const { maintenanceTick } = await import('../core/maintenance/schedule.js');
  const { InProcessJobQueue } = await import('../core/maintenance/jobs/in-process-job-queue.js');
  const ctx = await catalogContext();
  await maintenanceTick(ctx, { budgetMs: 30_000, jobs: ctx.jobs });
  if (ctx.jobs instanceof InProcessJobQueue) await ctx.jobs.idle();
});

const shutdown = () => {
  server
    .close()
    .then(() => releaseLock?.())
    .then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
