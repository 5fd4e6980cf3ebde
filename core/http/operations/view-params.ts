import type { CatalogContext } from '../../catalog/context.js';
import { validateName } from '../../catalog/namespace.js';
import type { ViewIdentifier } from '../../catalog/views/view-lookup.js';
import { serializeViewMetadata, type ViewMetadata } from '../../metadata/views/index.js';
import { nameFromPath } from '../identifiers.js';
import type { OperationRequest } from '../operation.js';
import { namespaceOf, pathDecoding } from './namespace-params.js';

export function viewIdOf(request: OperationRequest, ctx: CatalogContext): ViewIdentifier {
  const namespace = namespaceOf(request, ctx);
  const name = validateName(nameFromPath(request.pathParams['view'] ?? '', pathDecoding(ctx.config), 'view name'), 'view name');
  return { namespace, name };
}

/** `LoadViewResult`: the spec requires `metadata-location` and `metadata`; `config` stays empty. */
export function loadViewResult(metadataLocation: string, metadata: ViewMetadata): Record<string, unknown> {
  return { 'metadata-location': metadataLocation, metadata: serializeViewMetadata(metadata), config: {} };
}
