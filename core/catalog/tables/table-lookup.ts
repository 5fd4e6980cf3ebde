import { NoSuchTableError } from '../../errors.js';
import type { TableMetadata } from '../../metadata/index.js';
import type { CatalogContext } from '../context.js';
import { formatNamespace, type Namespace } from '../namespace.js';
import { findActivePointer, findVisiblePointer, pointerKey, type PointerRecord } from '../pointers/pointer-protocol.js';

export interface TableIdentifier {
  readonly namespace: Namespace;
  readonly name: string;
}

export interface LoadedTable {
  readonly key: string;
  readonly pointer: PointerRecord;
  readonly metadata: TableMetadata;
}

export function formatIdentifier(id: TableIdentifier): string {
  return `${formatNamespace(id.namespace)}.${id.name}`;
}

/** Java clients pick the exception by type: a missing namespace still reads as a missing table. */
export function noSuchTable(id: TableIdentifier): NoSuchTableError {
  return new NoSuchTableError(`Table does not exist: ${formatIdentifier(id)}`);
}

/**
 * `write`: settles any transaction the pointer takes part in, so the caller can swap it.
 * `read`: resolves it without writing, for loads and existence checks.
 */
export async function findTablePointer(
  ctx: CatalogContext,
  warehouse: string,
  id: TableIdentifier,
  purpose: 'read' | 'write' = 'write',
): Promise<{ key: string; pointer: PointerRecord } | undefined> {
  const key = pointerKey(ctx, warehouse, id.namespace, 'table', id.name);
  const pointer = purpose === 'write' ? await findActivePointer(ctx, key) : await findVisiblePointer(ctx, key);
  return pointer === undefined ? undefined : { key, pointer };
}

export async function requireTable(ctx: CatalogContext, warehouse: string, id: TableIdentifier): Promise<LoadedTable> {
  const found = await findTablePointer(ctx, warehouse, id, 'read');
  if (found === undefined) throw noSuchTable(id);
  const metadata = await ctx.metadataFiles.read(found.pointer.value.metadataLocation);
  return { key: found.key, pointer: found.pointer, metadata };
}
