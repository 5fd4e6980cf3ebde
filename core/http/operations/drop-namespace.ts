import { dropNamespace as drop } from '../../catalog/namespaces/drop-namespace.js';
import { noContent, type Operation } from '../operation.js';
import { namespaceOf, warehouseOf } from './namespace-params.js';

export const dropNamespace: Operation = async (request, ctx) => {
  await drop(ctx, warehouseOf(request, ctx), namespaceOf(request, ctx));
  return noContent();
};
