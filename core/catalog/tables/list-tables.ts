import type { NoSuchNamespaceError } from '../../errors.js';
import type { CatalogContext } from '../context.js';
import type { Namespace } from '../namespace.js';
import { requireNamespace } from '../namespaces/namespace-lookup.js';
import { listNames, type Paging } from '../paged-listing.js';
import { isListedPointerLive } from '../pointers/pointer-protocol.js';
import type { TableIdentifier } from './table-lookup.js';

export interface IdentifierPage {
  readonly identifiers: TableIdentifier[];
  readonly nextPageToken: string | null;
}

export type ListTablesError = NoSuchNamespaceError;

/**
 * One listing call per page: pointers are objects `…/t=<name>`. Only pointers whose size flags them
 * as not plainly live (in transition, or in a transaction) are read, and shown only if visible.
 */
export async function listObjects(
  ctx: CatalogContext,
  warehouse: string,
  namespace: Namespace,
  kind: 'table' | 'view',
  paging: Paging,
): Promise<IdentifierPage> {
  await requireNamespace(ctx, warehouse, namespace);
  const prefix = kind === 'table' ? ctx.keys.tablesPrefix(warehouse, namespace) : ctx.keys.viewsPrefix(warehouse, namespace);
  const page = await listNames(ctx, { prefix, entries: 'objects', tokenKind: kind, keep: (entry) => isListedPointerLive(ctx, entry.key, entry.size) }, paging);
  return { identifiers: page.names.map((name) => ({ namespace, name })), nextPageToken: page.nextPageToken };
}
