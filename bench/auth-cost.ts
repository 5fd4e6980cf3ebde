import { authServices } from '../core/auth/auth-services.js';
import { authorizeLoadTable, keyWithRole } from '../test/support/auth-fixtures.js';
import type { TestCatalog } from '../test/support/catalog-harness.js';
import { timeSequential, type Summary } from './stats.js';

export interface AuthCost {
  /** authenticate + authorize for a warm loadTable with an API key: what the middlewares run per request. */
  readonly perRequest: Summary;
  /** The same, a table never asked about before each time (Cedar evaluates; no cached decision). */
  readonly perRequestNewResource: Summary;
  /** API key verification alone: record (cached per container) + keyed hash + constant-time compare. */
  readonly apiKeyVerify: Summary;
}

/**
 * Times, inside the running catalog, exactly the services the authenticate and authorize
 * middlewares call, with the container warm (records cached, Cedar loaded). Measuring in-process
 * keeps the store's round trip out of a figure that is otherwise two orders of magnitude smaller.
 */
export async function measureAuthCost(catalog: TestCatalog, namespace: string, table: string, samples: number): Promise<AuthCost> {
  const key = await keyWithRole(catalog, 'bench-reader', 'TableReader', { type: 'Namespace', warehouse: catalog.warehouse, namespace: [namespace] });
  const ctx = await catalog.context();
  const auth = authServices(ctx);
  const authorize = async (tableName: string) => {
    const allowed = await authorizeLoadTable(auth, ctx.config, `Bearer ${key}`, { warehouse: catalog.warehouse, namespace, table: tableName });
    if (!allowed) throw new Error('the bench reader must be allowed to load the table');
  };
  const perRequest = await timeSequential(samples, () => authorize(table), { warmup: 50 });
  const perRequestNewResource = await timeSequential(samples, (i) => authorize(`${table}_${i}`), { warmup: 50 });
  const apiKeyVerify = await timeSequential(samples, async () => {
    if (!(await auth.apiKeys.verify(key))) throw new Error('the bench key must verify');
  }, { warmup: 50 });
  return { perRequest, perRequestNewResource, apiKeyVerify };
}
