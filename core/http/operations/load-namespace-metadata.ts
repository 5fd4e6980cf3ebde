import { requireNamespace } from '../../catalog/namespaces/namespace-lookup.js';
import { ok, type Operation } from '../operation.js';
import { namespaceOf, warehouseOf } from './namespace-params.js';

export const loadNamespaceMetadata: Operation = async (request, ctx) => {
  const warehouse = warehouseOf(request, ctx);
  const namespace = namespaceOf(request, ctx);
  const found = await requireNamespace(ctx, warehouse, namespace);
  return ok({ namespace: found.value.namespace, properties: found.value.properties });
};
