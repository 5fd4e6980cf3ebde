import { parsePageSize } from '../../catalog/page-token.js';
import { listObjects } from '../../catalog/tables/list-tables.js';
import { ok, type Operation } from '../operation.js';
import { namespaceOf, warehouseOf } from './namespace-params.js';

export const listTables: Operation = async (request, ctx) => {
  const pageToken = request.query.get('pageToken');
  const pageSize = parsePageSize(request.query.get('pageSize'));
  const page = await listObjects(ctx, warehouseOf(request, ctx), namespaceOf(request, ctx), 'table', {
    ...(pageToken !== undefined ? { pageToken } : {}),
    ...(pageSize !== undefined ? { pageSize } : {}),
  });
  return ok({ identifiers: page.identifiers, 'next-page-token': page.nextPageToken });
};
