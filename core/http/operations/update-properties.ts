import { updateNamespaceProperties } from '../../catalog/namespaces/update-namespace-properties.js';
import { ok, type Operation } from '../operation.js';
import { optionalStringArray, optionalStringMap, requireObjectBody } from '../request-body.js';
import { namespaceOf, warehouseOf } from './namespace-params.js';

export const updateProperties: Operation = async (request, ctx) => {
  const warehouse = warehouseOf(request, ctx);
  const namespace = namespaceOf(request, ctx);
  const body = requireObjectBody(request.body, 'UpdateNamespacePropertiesRequest');
  const removals = optionalStringArray(body.removals, 'removals');
  const updates = optionalStringMap(body.updates, 'updates');
  const summary = await updateNamespaceProperties(ctx, warehouse, namespace, { removals, updates });
  return ok(summary);
};
