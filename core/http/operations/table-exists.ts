import { findTablePointer, noSuchTable } from '../../catalog/tables/table-lookup.js';
import { noContent, type Operation } from '../operation.js';
import { warehouseOf } from './namespace-params.js';
import { tableIdOf } from './table-params.js';

export const tableExists: Operation = async (request, ctx) => {
  const id = tableIdOf(request, ctx);
  if ((await findTablePointer(ctx, warehouseOf(request, ctx), id, 'read')) === undefined) throw noSuchTable(id);
  return noContent();
};
