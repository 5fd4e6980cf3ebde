import { createTable as create } from '../../catalog/tables/create-table.js';
import { validateCreateTableRequest } from '../../metadata/index.js';
import { validateName } from '../../catalog/namespace.js';
import { ok, type Operation } from '../operation.js';
import { requireObjectBody } from '../request-body.js';
import { namespaceOf, warehouseOf } from './namespace-params.js';
import { tableEtag } from './etag.js';
import { loadTableResult } from './table-params.js';

export const createTable: Operation = async (request, ctx) => {
  const warehouse = warehouseOf(request, ctx);
  const namespace = namespaceOf(request, ctx);
  const body = validateCreateTableRequest(requireObjectBody(request.body, 'CreateTableRequest'));
  validateName(body.name, 'table name');
  const created = await create(ctx, warehouse, namespace, body);
  const headers = created.metadataLocation === null ? undefined : { etag: tableEtag(created.metadataLocation, 'all') };
  return ok(loadTableResult(created.metadataLocation, created.metadata), headers);
};
