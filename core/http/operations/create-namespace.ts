import { createNamespace as create } from '../../catalog/namespaces/create-namespace.js';
import { validateNamespace } from '../../catalog/namespace.js';
import { BadRequestError } from '../../errors.js';
import { ok, type Operation } from '../operation.js';
import { optionalStringMap, requireObjectBody } from '../request-body.js';
import { warehouseOf } from './namespace-params.js';

export const createNamespace: Operation = async (request, ctx) => {
  const warehouse = warehouseOf(request, ctx);
  const body = requireObjectBody(request.body, 'CreateNamespaceRequest');
  if (body.namespace === undefined) throw new BadRequestError('Invalid CreateNamespaceRequest: missing required field namespace');
  const namespace = validateNamespace(body.namespace);
  const properties = optionalStringMap(body.properties, 'properties');
  const created = await create(ctx, warehouse, { namespace, properties });
  return ok({ namespace: created.namespace, properties: created.properties });
};
