import { updateNamespaceProperties } from '../../catalog/namespaces/update-namespace-properties.js';
import { BadRequestError } from '../../errors.js';
import { ok, type Operation } from '../operation.js';
import { optionalStringArray, optionalStringMap, requireObjectBody } from '../request-body.js';
import { namespaceOf, warehouseOf } from './namespace-params.js';

export const updateProperties: Operation = async (request, ctx) => {
  const warehouse = warehouseOf(request, ctx);
  const namespace = namespaceOf(request, ctx);
  const body = requireObjectBody(request.body, 'UpdateNamespacePropertiesRequest');
  const removals = optionalStringArray(body.removals, 'removals');
  // The spec declares removals `uniqueItems`: a repeated key is a malformed request, not a key to
  // report twice as missing (found by the OpenAPI layer on fuzzed requests).
  const seen = new Set<string>();
  for (const key of removals) {
    if (seen.has(key)) throw new BadRequestError(`Invalid removals: '${key}' is listed more than once`);
    seen.add(key);
  }
  const updates = optionalStringMap(body.updates, 'updates');
  const summary = await updateNamespaceProperties(ctx, warehouse, namespace, { removals, updates });
  return ok(summary);
};
