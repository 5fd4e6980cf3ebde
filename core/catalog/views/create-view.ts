import type { AlreadyExistsError, BadRequestError, NoSuchNamespaceError } from '../../errors.js';
import { createView as buildViewMetadata, nextViewMetadataLocation, type CreateViewRequest, type ViewMetadata } from '../../metadata/views/index.js';
import type { CatalogContext } from '../context.js';
import { resolveWarehouse } from '../context.js';
import type { Namespace } from '../namespace.js';
import { requireNamespace } from '../namespaces/namespace-lookup.js';
import { createPointer, discardUnlessUnknown } from '../pointers/pointer-protocol.js';
import { defaultTableLocation, validateLocation } from '../tables/table-location.js';
import { confinementOf } from '../locations/confinement.js';
import { checkViewLocations } from '../locations/object-locations.js';

export interface CreatedView {
  readonly metadataLocation: string;
  readonly metadata: ViewMetadata;
}

export type CreateViewError = NoSuchNamespaceError | AlreadyExistsError | BadRequestError;

/**
 * As createTable: metadata file version 0 first (If-None-Match: *), then the pointer through the
 * pointer protocol, which also refuses a name a table holds (invariant 4). If the pointer cannot be
 * created the file is removed again: nothing references it. A view's default location follows the
 * table rule (`<namespace location or warehouse/levels>/<name>`), as Java's catalogs do.
 */
export async function createView(ctx: CatalogContext, warehouse: string, namespace: Namespace, request: CreateViewRequest): Promise<CreatedView> {
  const ns = await requireNamespace(ctx, warehouse, namespace);
  const location =
    request.location !== undefined
      ? validateLocation(request.location)
      : defaultTableLocation(resolveWarehouse(ctx.config, warehouse).location, namespace, ns.value.properties, request.name);
  const metadata = buildViewMetadata({ ...request, location }, { now: ctx.clock.now(), newUuid: ctx.newUuid });
  checkViewLocations(confinementOf(ctx.config), warehouse, namespace, undefined, metadata);
  // `write.metadata.path` may point elsewhere: the file location must be one the catalog can write.
  const metadataLocation = validateLocation(nextViewMetadataLocation(metadata, undefined, ctx.newUuid()));
  const files = ctx.viewMetadataFiles;
  await files.write(metadataLocation, metadata);
  try {
    await createPointer(ctx, warehouse, namespace, request.name, { kind: 'view', uuid: metadata.viewUuid, metadataLocation }, { namespaceJustRead: true });
    return { metadataLocation, metadata };
  } catch (error) {
    return discardUnlessUnknown(error, () => files.discard(metadataLocation));
  }
}
