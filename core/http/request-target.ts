import type { RequestTarget } from '../auth/request-resources.js';
import type { CatalogConfig } from '../config.js';
import type { JsonValue } from '../json/lossless-json.js';
import { validateName } from '../catalog/namespace.js';
import { nameFromPath, namespaceFromPath, namespaceFromQuery } from './identifiers.js';
import { pathDecoding } from './operations/namespace-params.js';
import type { OperationId } from './routes.js';

/**
 * The HTTP side of authorization: turns a request's path parameters and query into the identifiers
 * authorization decides on (core/auth knows nothing of paths, encodings or query strings). A
 * malformed identifier is the same 400 the operation would give, before any decision.
 */
export interface RawRequestParts {
  /** Path parameters as they appear in the path (still encoded when the path was). */
  readonly pathParams: Readonly<Record<string, string>>;
  readonly query: ReadonlyMap<string, string>;
  readonly body: JsonValue | undefined;
}

/** `GET /v1/config?warehouse=` names a warehouse by name or by location; absent: the default one. */
function configWarehouse(query: ReadonlyMap<string, string>, config: CatalogConfig): string {
  const requested = query.get('warehouse');
  if (requested === undefined || requested === '') return config.defaultWarehouse;
  const trimmed = requested.replace(/\/+$/, '');
  return config.warehouses.find((w) => w.name === requested || w.location === trimmed)?.name ?? requested;
}

export function requestTarget(operationId: OperationId, parts: RawRequestParts, config: CatalogConfig): RequestTarget {
  const decoding = pathDecoding(config);
  const { pathParams } = parts;
  const namespace = pathParams['namespace'] !== undefined ? namespaceFromPath(pathParams['namespace'], decoding) : undefined;
  const parent = operationId === 'listNamespaces' ? namespaceFromQuery(parts.query.get('parent'), decoding) : undefined;
  const name = (param: 'table' | 'view') => {
    const raw = pathParams[param];
    return raw === undefined ? undefined : validateName(nameFromPath(raw, decoding, `${param} name`), `${param} name`);
  };
  const table = name('table');
  const view = name('view');
  return {
    warehouse: operationId === 'getConfig' ? configWarehouse(parts.query, config) : (pathParams['prefix'] ?? ''),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(parent !== undefined ? { parent } : {}),
    ...(table !== undefined ? { table } : {}),
    ...(view !== undefined ? { view } : {}),
    body: parts.body,
  };
}
