import { parsePageSize } from '../../catalog/page-token.js';
import { listObjects } from '../../catalog/tables/list-tables.js';
import { ok, type Operation } from '../operation.js';
import { namespaceOf, warehouseOf } from './namespace-params.js';

/** Views are their own listing prefix (`…/v=`), so tables never show up here, nor views in listTables. */
export const listViews: Operation = async (request, ctx) => {
  const pageToken = request.query.get('pageToken');
  const pageSize = parsePageSize(request.query.get('pageSize'));
  const page = await listObjects(ctx, warehouseOf(request, ctx), namespaceOf(request, ctx), 'view', {
    ...(pageToken !== undefined ? { pageToken } : {}),
    ...(pageSize !== undefined ? { pageSize } : {}),
  });
  return ok({ identifiers: page.identifiers, 'next-page-token': page.nextPageToken });
};
