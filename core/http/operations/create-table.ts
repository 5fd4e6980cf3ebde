import { createTable as create } from '../../catalog/tables/create-table.js';
import { validateCreateTableRequest } from '../../metadata/index.js';
import { validateName } from '../../catalog/namespace.js';
import { ok, type Operation } from '../operation.js';
import { requireObjectBody } from '../request-body.js';
import { namespaceOf, warehouseOf } from './namespace-params.js';
import { tableEtag } from './etag.js';
import { loadTableResult } from './table-params.js';
import { delegatedAccessFor, delegationHeaders, requestedDelegation, withDelegation } from './access-delegation.js';

/** A staged create (`stage-create`) gets credentials for the location it will commit to, as engines write data files before the commit. */
export const createTable: Operation = async (request, ctx) => {
  const requested = requestedDelegation(request);
  const warehouse = warehouseOf(request, ctx);
  const namespace = namespaceOf(request, ctx);
  const body = validateCreateTableRequest(requireObjectBody(request.body, 'CreateTableRequest'));
  validateName(body.name, 'table name');
  const created = await create(ctx, warehouse, namespace, body);
  const access = await delegatedAccessFor(request, ctx, requested, { warehouse, namespace, name: body.name, uuid: created.metadata.tableUuid, location: created.metadata.location });
  const headers = { ...(created.metadataLocation === null ? {} : { etag: tableEtag(created.metadataLocation, 'all') }), ...delegationHeaders(access) };
  return ok(withDelegation(loadTableResult(created.metadataLocation, created.metadata), access), Object.keys(headers).length === 0 ? undefined : headers);
};
