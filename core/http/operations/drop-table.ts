import { dropTable as drop } from '../../catalog/tables/drop-table.js';
import { BadRequestError } from '../../errors.js';
import { noContent, type Operation } from '../operation.js';
import { warehouseOf } from './namespace-params.js';
import { tableIdOf } from './table-params.js';

export const dropTable: Operation = async (request, ctx) => {
  const purge = (request.query.get('purgeRequested') ?? 'false').toLowerCase();
  if (purge !== 'true' && purge !== 'false') throw new BadRequestError(`Invalid purgeRequested: ${purge.slice(0, 16)}; expected true or false`);
  await drop(ctx, warehouseOf(request, ctx), tableIdOf(request, ctx), purge === 'true');
  return noContent();
};
