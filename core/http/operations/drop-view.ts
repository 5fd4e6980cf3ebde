import { dropView as drop } from '../../catalog/views/drop-view.js';
import { noContent, type Operation } from '../operation.js';
import { warehouseOf } from './namespace-params.js';
import { viewIdOf } from './view-params.js';

export const dropView: Operation = async (request, ctx) => {
  await drop(ctx, warehouseOf(request, ctx), viewIdOf(request, ctx));
  return noContent();
};
