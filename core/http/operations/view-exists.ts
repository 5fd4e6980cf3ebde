import { findViewPointer, noSuchView } from '../../catalog/views/view-lookup.js';
import { noContent, type Operation } from '../operation.js';
import { warehouseOf } from './namespace-params.js';
import { viewIdOf } from './view-params.js';

/** The pointer alone decides: the metadata file is not read. */
export const viewExists: Operation = async (request, ctx) => {
  const id = viewIdOf(request, ctx);
  if ((await findViewPointer(ctx, warehouseOf(request, ctx), id, 'read')) === undefined) throw noSuchView(id);
  return noContent();
};
