import { AlreadyExistsError, BadRequestError, type NoSuchNamespaceError } from '../../errors.js';
import type { TableMetadata } from '../../metadata/index.js';
import type { CatalogContext } from '../context.js';
import { requireNamespace } from '../namespaces/namespace-lookup.js';
import { swapPointer } from '../pointers/swap-pointer.js';
import { createPointer } from '../pointers/pointer-protocol.js';
import { MAX_CAS_ATTEMPTS, pause } from '../retry.js';
import { findTablePointer, formatIdentifier, type TableIdentifier } from './table-lookup.js';
import { confinementOf } from '../locations/confinement.js';
import { readRegisteredFile } from '../locations/registered-file.js';
import { tableOwnLocations } from '../locations/object-locations.js';

export interface RegisteredTable {
  readonly metadataLocation: string;
  readonly metadata: TableMetadata;
  readonly etag?: string;
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
  const confinement = confinementOf(ctx.config);
  const metadataLocation = requestedLocation.replace(/\/+$/, '');
  await requireNamespace(ctx, warehouse, id.namespace);
  const metadata = await readRegisteredFile(`Cannot register ${formatIdentifier(id)}`, metadataLocation, {
    confine: (location) => confinement.requireInNamespace(warehouse, id.namespace, location),
    read: (location) => ctx.metadataFiles.read(location),
    locationsOf: tableOwnLocations,
  });
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
    const replaced = await swapPointer(ctx, existing.key, existing.pointer, { ...existing.pointer.value, ...pointer }, async (current) =>
      current.value.metadataLocation === metadataLocation ? true : undefined,
    );
    if (replaced.landed) return { metadataLocation, metadata, ...(replaced.etag !== undefined ? { etag: replaced.etag } : {}) };
    await pause(ctx, attempt);
  }
  throw new AlreadyExistsError(`Table ${formatIdentifier(id)} changed concurrently while registering; retry`);
}
