import type { CatalogContext } from '../../catalog/context.js';
import { validateName, validateNamespace } from '../../catalog/namespace.js';
import type { TableIdentifier } from '../../catalog/tables/table-lookup.js';
import { BadRequestError } from '../../errors.js';
import { isJsonObject, type JsonValue } from '../../json/lossless-json.js';
import { serializeTableMetadata, type TableMetadata } from '../../metadata/index.js';
import { nameFromPath } from '../identifiers.js';
import type { OperationRequest } from '../operation.js';
import { namespaceOf, pathDecoding } from './namespace-params.js';

export function tableIdOf(request: OperationRequest, ctx: CatalogContext): TableIdentifier {
  const namespace = namespaceOf(request, ctx);
  const name = validateName(nameFromPath(request.pathParams['table'] ?? '', pathDecoding(ctx.config), 'table name'), 'table name');
  return { namespace, name };
}

/** A `TableIdentifier` object in a request body (rename, transactions). */
export function tableIdentifierFromBody(value: JsonValue | undefined, field: string): TableIdentifier {
  if (!isJsonObject(value)) throw new BadRequestError(`Invalid ${field}: expected an object with namespace and name`);
  return { namespace: validateNamespace(value.namespace), name: validateName(value.name, `${field}.name`) };
}

export type SnapshotMode = 'all' | 'refs';

export function snapshotModeOf(request: OperationRequest): SnapshotMode {
  const mode = (request.query.get('snapshots') ?? 'all').toLowerCase();
  if (mode !== 'all' && mode !== 'refs') throw new BadRequestError(`Invalid snapshots: ${mode.slice(0, 32)}; expected all or refs`);
  return mode;
}

/** `LoadTableResult`: with `refs`, only the snapshots some branch or tag points at. */
export function loadTableResult(metadataLocation: string | null, metadata: TableMetadata, mode: SnapshotMode = 'all'): Record<string, unknown> {
  const referenced = new Set(Object.values(metadata.refs).map((ref) => ref.snapshotId));
  const shown = mode === 'refs' ? { ...metadata, snapshots: metadata.snapshots.filter((s) => referenced.has(s.snapshotId)) } : metadata;
  return { 'metadata-location': metadataLocation, metadata: serializeTableMetadata(shown), config: {} };
}
