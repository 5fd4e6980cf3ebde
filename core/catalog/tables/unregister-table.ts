import type { CommitStateUnknownError, ConcurrentModificationError, NoSuchTableError } from '../../errors.js';
import type { TableMetadata } from '../../metadata/index.js';
import type { CatalogContext } from '../context.js';
import { retireTable } from './drop-table.js';
import type { TableIdentifier } from './table-lookup.js';

export interface UnregisteredTable {
  readonly metadataLocation: string;
  readonly metadata: TableMetadata;
}

export type UnregisterTableError = NoSuchTableError | ConcurrentModificationError | CommitStateUnknownError;

/**
 * A drop without purge that answers what it dropped (the spec's UnregisterTableResult): the same
 * pointer retirement as dropTable, nothing enqueued, no file touched, so the table can be registered
 * here or elsewhere from the returned location.
 *
 * The metadata is read from the very pointer the tombstone then replaces (If-Match on its ETag):
 * every commit that landed before the unregister is in it, and a commit still racing loses its
 * pointer swap and finds no table (404). Reading before the retire also means a failed read leaves
 * the table registered, rather than unregistered with its location lost to the caller.
 */
export async function unregisterTable(ctx: CatalogContext, warehouse: string, id: TableIdentifier): Promise<UnregisteredTable> {
  const { pointer, prepared } = await retireTable(ctx, warehouse, id, (found) => ctx.metadataFiles.read(found.value.metadataLocation));
  return { metadataLocation: pointer.value.metadataLocation, metadata: prepared };
}
