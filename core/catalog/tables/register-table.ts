import { AlreadyExistsError, BadRequestError, NotFoundError, type NoSuchNamespaceError } from '../../errors.js';
import type { TableMetadata } from '../../metadata/index.js';
import type { CatalogContext } from '../context.js';
import { requireNamespace } from '../namespaces/namespace-lookup.js';
import { pointerToJson } from '../pointers/object-pointer.js';
import { createPointer } from '../pointers/pointer-protocol.js';
import { MAX_CAS_ATTEMPTS, pause } from '../retry.js';
import { findTablePointer, formatIdentifier, type TableIdentifier } from './table-lookup.js';
import { isRefusedByStorage } from '../../store/storage-refusal.js';
import { validateLocation } from './table-location.js';

export interface RegisteredTable {
  readonly metadataLocation: string;
  readonly metadata: TableMetadata;
  readonly etag: string;
}

export type RegisterTableError = NoSuchNamespaceError | AlreadyExistsError | BadRequestError;

/** Points a name at an existing metadata file; with `overwrite`, re-points an existing table (one CAS). */
export async function registerTable(
  ctx: CatalogContext,
  warehouse: string,
  id: TableIdentifier,
  requestedLocation: string,
  overwrite: boolean,
): Promise<RegisteredTable> {
  const metadataLocation = validateLocation(requestedLocation);
  await requireNamespace(ctx, warehouse, id.namespace);
  let metadata: TableMetadata;
  try {
    metadata = await ctx.metadataFiles.read(metadataLocation);
  } catch (error) {
    if (error instanceof NotFoundError) throw new BadRequestError(`Cannot register ${formatIdentifier(id)}: metadata file does not exist: ${metadataLocation}`);
    if (isRefusedByStorage(error)) throw new BadRequestError(`Cannot register ${formatIdentifier(id)}: the catalog cannot read ${metadataLocation}`, { cause: error });
    throw error;
  }
  const pointer = { kind: 'table' as const, uuid: metadata.tableUuid, metadataLocation };
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const existing = overwrite ? await findTablePointer(ctx, warehouse, id) : undefined;
    if (existing === undefined) {
      try {
        const { etag } = await createPointer(ctx, warehouse, id.namespace, id.name, pointer);
        return { metadataLocation, metadata, etag };
      } catch (error) {
        if (overwrite && error instanceof AlreadyExistsError && error.message.startsWith('Table already exists')) continue;
        throw error;
      }
    }
    const replaced = await ctx.records.replace(existing.key, pointerToJson({ ...existing.pointer.value, ...pointer }), existing.pointer.etag);
    if (replaced.ok) return { metadataLocation, metadata, etag: replaced.etag };
    await pause(ctx, attempt);
  }
  throw new AlreadyExistsError(`Table ${formatIdentifier(id)} changed concurrently while registering; retry`);
}
