import { listNamespaces as list } from '../../catalog/namespaces/list-namespaces.js';
import { parsePageSize } from '../../catalog/page-token.js';
import { namespaceFromQuery } from '../identifiers.js';
import { ok, type Operation } from '../operation.js';
import { pathDecoding, warehouseOf } from './namespace-params.js';

export const listNamespaces: Operation = async (request, ctx) => {
  const warehouse = warehouseOf(request, ctx);
  const parent = namespaceFromQuery(request.query.get('parent'), pathDecoding(ctx.config));
  const pageToken = request.query.get('pageToken');
  const pageSize = parsePageSize(request.query.get('pageSize'));
  const page = await list(ctx, warehouse, parent, {
    ...(pageToken !== undefined ? { pageToken } : {}),
    ...(pageSize !== undefined ? { pageSize } : {}),
  });
  return ok({ namespaces: page.namespaces, 'next-page-token': page.nextPageToken });
};
