import { renameObject } from '../../catalog/rename-object.js';
import { noContent, type Operation } from '../operation.js';
import { requireObjectBody } from '../request-body.js';
import { warehouseOf } from './namespace-params.js';
import { tableIdentifierFromBody } from './table-params.js';

/** The body is a RenameTableRequest (the spec reuses it); across namespaces it is one transaction. */
export const renameView: Operation = async (request, ctx) => {
  const body = requireObjectBody(request.body, 'RenameTableRequest');
  const source = tableIdentifierFromBody(body.source, 'source');
  const destination = tableIdentifierFromBody(body.destination, 'destination');
  await renameObject(ctx, warehouseOf(request, ctx), 'view', source, destination);
  return noContent();
};
