import { resolveWarehouse } from '../../catalog/context.js';
import type { WarehouseConfig } from '../../config.js';
import { NoSuchWarehouseError } from '../../errors.js';
import { ok, type Operation } from '../operation.js';
import { advertisedEndpoints } from '../routes.js';

/**
 * The client's bootstrap: which prefix to put in paths and which routes exist. Clients call only
 * advertised endpoints, so every live route (HEAD and views included) is listed.
 */
export const getConfig: Operation = async (request, ctx) => {
  const requested = request.query.get('warehouse');
  const warehouse = requested === undefined || requested === '' ? resolveWarehouse(ctx.config, ctx.config.defaultWarehouse) : findWarehouse(ctx.config.warehouses, requested);
  const overrides: Record<string, string> = { prefix: warehouse.name, warehouse: warehouse.location };
  if (ctx.config.namespaceSeparator !== undefined) overrides['namespace-separator'] = ctx.config.namespaceSeparator;
  return ok({ defaults: {}, overrides, endpoints: advertisedEndpoints(), 'idempotency-key-lifetime': ctx.config.idempotencyLifetime.iso });
};

/** Clients name a warehouse by its name or by its location. */
function findWarehouse(warehouses: readonly WarehouseConfig[], requested: string): WarehouseConfig {
  const trimmed = requested.replace(/\/+$/, '');
  const found = warehouses.find((w) => w.name === requested || w.location === trimmed);
  if (found === undefined) throw new NoSuchWarehouseError(`Warehouse does not exist: ${requested}`);
  return found;
}
