import { requireView } from '../../catalog/views/view-lookup.js';
import { ok, type Operation } from '../operation.js';
import { warehouseOf } from './namespace-params.js';
import { loadViewResult, viewIdOf } from './view-params.js';

export const loadView: Operation = async (request, ctx) => {
  const view = await requireView(ctx, warehouseOf(request, ctx), viewIdOf(request, ctx));
  return ok(loadViewResult(view.pointer.value.metadataLocation, view.metadata));
};
