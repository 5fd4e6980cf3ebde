import { unregisterTable as unregister } from '../../catalog/tables/unregister-table.js';
import { serializeTableMetadata } from '../../metadata/index.js';
import { ok, type Operation } from '../operation.js';
import { warehouseOf } from './namespace-params.js';
import { tableIdOf } from './table-params.js';

/** `UnregisterTableResult`: the last metadata location and its metadata, to register the table again. */
export const unregisterTable: Operation = async (request, ctx) => {
  const unregistered = await unregister(ctx, warehouseOf(request, ctx), tableIdOf(request, ctx));
  return ok({ 'metadata-location': unregistered.metadataLocation, metadata: serializeTableMetadata(unregistered.metadata) });
};
