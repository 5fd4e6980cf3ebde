import { loadStorageCredentials } from '../../access/access-delegation.js';
import { ANONYMOUS, principalLabel } from '../../auth/principal.js';
import { requireTable } from '../../catalog/tables/table-lookup.js';
import { ok, type Operation } from '../operation.js';
import { accessLevelOf, delegationDeps, requestedDelegation } from './access-delegation.js';
import { warehouseOf } from './namespace-params.js';
import { tableIdOf } from './table-params.js';

/**
 * `LoadCredentialsResponse`: the table's scoped credentials on demand, what an engine calls
 * (client.refresh-credentials-endpoint) before the ones from loadTable expire. The same cache, scope
 * and access level as loadTable. The endpoint itself asks for credentials, so no header is needed;
 * a header that does not list `vended-credentials` gets an empty list, as does a table the catalog
 * vends nothing for (a file:// table, or no data-access role). `planId` is accepted and ignored
 * until server-side scan planning exists.
 */
export const loadCredentials: Operation = async (request, ctx) => {
  const requested = requestedDelegation(request);
  const warehouse = warehouseOf(request, ctx);
  const id = tableIdOf(request, ctx);
  const table = await requireTable(ctx, warehouse, id);
  if (request.headers['x-iceberg-access-delegation'] !== undefined && !requested.has('vended-credentials')) return ok({ 'storage-credentials': [] });
  const target = { warehouse, namespace: id.namespace, name: id.name, uuid: table.metadata.tableUuid, location: table.metadata.location };
  const caller = { label: principalLabel(request.caller ?? ANONYMOUS), level: accessLevelOf(request, target) };
  const credentials = await loadStorageCredentials(target, caller, await delegationDeps(ctx));
  return ok({ 'storage-credentials': credentials }, credentials.length > 0 ? { 'cache-control': 'private, no-store' } : undefined);
};
