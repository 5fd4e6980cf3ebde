import { validateName } from '../../catalog/namespace.js';
import { registerTable as register } from '../../catalog/tables/register-table.js';
import { BadRequestError } from '../../errors.js';
import { ok, type Operation } from '../operation.js';
import { requireObjectBody } from '../request-body.js';
import { tableEtag } from './etag.js';
import { namespaceOf, warehouseOf } from './namespace-params.js';
import { loadTableResult } from './table-params.js';
import { delegatedAccessFor, delegationHeaders, requestedDelegation, withDelegation } from './access-delegation.js';

export const registerTable: Operation = async (request, ctx) => {
  const requested = requestedDelegation(request);
  const warehouse = warehouseOf(request, ctx);
  const namespace = namespaceOf(request, ctx);
  const body = requireObjectBody(request.body, 'RegisterTableRequest');
  const name = validateName(body.name, 'name');
  const location = body['metadata-location'];
  if (typeof location !== 'string' || location === '') throw new BadRequestError('Invalid RegisterTableRequest: metadata-location must be a non-empty string');
  const overwrite = body.overwrite ?? false;
  if (typeof overwrite !== 'boolean') throw new BadRequestError('Invalid RegisterTableRequest: overwrite must be a boolean');
  const registered = await register(ctx, warehouse, { namespace, name }, location, overwrite);
  const access = await delegatedAccessFor(request, ctx, requested, { warehouse, namespace, name, uuid: registered.metadata.tableUuid, location: registered.metadata.location });
  return ok(withDelegation(loadTableResult(registered.metadataLocation, registered.metadata), access), { etag: tableEtag(registered.metadataLocation, 'all'), ...delegationHeaders(access) });
};
