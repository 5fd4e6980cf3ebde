import { AlreadyExistsError, type NoSuchNamespaceError } from '../../errors.js';
import { createTable as buildTableMetadata, nextMetadataLocation, type CreateTableRequest, type TableMetadata } from '../../metadata/index.js';
import type { CatalogContext } from '../context.js';
import { resolveWarehouse } from '../context.js';
import type { Namespace } from '../namespace.js';
import { requireNamespace } from '../namespaces/namespace-lookup.js';
import { createPointer, discardUnlessUnknown } from '../pointers/pointer-protocol.js';
import { defaultTableLocation, validateLocation } from './table-location.js';
import { confinementOf } from '../locations/confinement.js';
import { checkTableLocations } from '../locations/object-locations.js';
import { findTablePointer, formatIdentifier } from './table-lookup.js';

export interface CreatedTable {
  /** null for a staged create: nothing was written. */
  readonly metadataLocation: string | null;
  readonly metadata: TableMetadata;
  readonly etag?: string;
}

export type CreateTableError = NoSuchNamespaceError | AlreadyExistsError;

/**
 * Writes metadata file version 0 (If-None-Match: *), then creates the pointer through the pointer
 * protocol. If the pointer cannot be created the file is removed again: nothing references it.
 */
export async function createTable(ctx: CatalogContext, warehouse: string, namespace: Namespace, request: CreateTableRequest): Promise<CreatedTable> {
  const ns = await requireNamespace(ctx, warehouse, namespace);
  const location =
    request.location !== undefined
      ? validateLocation(request.location)
      : defaultTableLocation(resolveWarehouse(ctx.config, warehouse).location, namespace, ns.value.properties, request.name);
  const properties = request.stageCreate ? { ...request.properties, 'created-at': new Date(ctx.clock.now()).toISOString() } : request.properties;
  const metadata = buildTableMetadata({ ...request, location, ...(properties ? { properties } : {}) }, { now: ctx.clock.now(), newUuid: ctx.newUuid });
  checkTableLocations(confinementOf(ctx.config), warehouse, namespace, undefined, metadata);
  if (request.stageCreate === true) {
    // As the reference server does: a create transaction on an existing table fails at once, not at its commit.
    const id = { namespace, name: request.name };
    if ((await findTablePointer(ctx, warehouse, id, 'read')) !== undefined) throw new AlreadyExistsError(`Table already exists: ${formatIdentifier(id)}`);
    return { metadataLocation: null, metadata };
  }

  const metadataLocation = nextMetadataLocation(metadata, undefined, ctx.newUuid());
  await ctx.metadataFiles.write(metadataLocation, metadata);
  try {
    const { etag } = await createPointer(ctx, warehouse, namespace, request.name, {
      kind: 'table',
      uuid: metadata.tableUuid,
      metadataLocation,
    }, { namespaceJustRead: true });
    return { metadataLocation, metadata, etag };
  } catch (error) {
    return discardUnlessUnknown(error, () => ctx.metadataFiles.discard(metadataLocation));
  }
}
