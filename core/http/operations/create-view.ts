import { validateName } from '../../catalog/namespace.js';
import { createView as create } from '../../catalog/views/create-view.js';
import { validateCreateViewRequest } from '../../metadata/views/index.js';
import { ok, type Operation } from '../operation.js';
import { requireObjectBody } from '../request-body.js';
import { namespaceOf, warehouseOf } from './namespace-params.js';
import { loadViewResult } from './view-params.js';

export const createView: Operation = async (request, ctx) => {
  const warehouse = warehouseOf(request, ctx);
  const namespace = namespaceOf(request, ctx);
  const body = validateCreateViewRequest(requireObjectBody(request.body, 'CreateViewRequest'));
  validateName(body.name, 'view name');
  const created = await create(ctx, warehouse, namespace, body);
  return ok(loadViewResult(created.metadataLocation, created.metadata));
};
