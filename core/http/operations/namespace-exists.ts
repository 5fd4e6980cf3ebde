import { requireNamespace } from '../../catalog/namespaces/namespace-lookup.js';
import { noContent, type Operation } from '../operation.js';
import { namespaceOf, warehouseOf } from './namespace-params.js';

export const namespaceExists: Operation = async (request, ctx) => {
  await requireNamespace(ctx, warehouseOf(request, ctx), namespaceOf(request, ctx));
  return noContent();
};
