import type { CatalogConfig } from '../../config.js';
import type { CatalogContext } from '../../catalog/context.js';
import { resolveWarehouse } from '../../catalog/context.js';
import type { Namespace } from '../../catalog/namespace.js';
import { namespaceFromPath, type PathDecoding } from '../identifiers.js';
import type { OperationRequest } from '../operation.js';

export function pathDecoding(config: CatalogConfig): PathDecoding {
  return { encoding: config.pathEncoding, ...(config.namespaceSeparator !== undefined ? { separator: config.namespaceSeparator } : {}) };
}

/** The warehouse named by `{prefix}`; 404 NoSuchWarehouseException for an unknown one. */
export function warehouseOf(request: OperationRequest, ctx: CatalogContext): string {
  return resolveWarehouse(ctx.config, request.pathParams['prefix'] ?? '').name;
}

export function namespaceOf(request: OperationRequest, ctx: CatalogContext): Namespace {
  return namespaceFromPath(request.pathParams['namespace'] ?? '', pathDecoding(ctx.config));
}
