import { validateName } from '../../catalog/namespace.js';
import { registerView as register } from '../../catalog/views/register-view.js';
import { validateRegisterViewRequest } from '../../metadata/views/index.js';
import { ok, type Operation } from '../operation.js';
import { requireObjectBody } from '../request-body.js';
import { namespaceOf, warehouseOf } from './namespace-params.js';
import { loadViewResult } from './view-params.js';

export const registerView: Operation = async (request, ctx) => {
  const warehouse = warehouseOf(request, ctx);
  const namespace = namespaceOf(request, ctx);
  const body = validateRegisterViewRequest(requireObjectBody(request.body, 'RegisterViewRequest'));
  const name = validateName(body.name, 'view name');
  const registered = await register(ctx, warehouse, { namespace, name }, body.metadataLocation);
  return ok(loadViewResult(registered.metadataLocation, registered.metadata));
};
