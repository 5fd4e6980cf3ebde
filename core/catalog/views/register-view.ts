import type { AlreadyExistsError, BadRequestError, NoSuchNamespaceError } from '../../errors.js';
import type { ViewMetadata } from '../../metadata/views/index.js';
import type { CatalogContext } from '../context.js';
import { requireNamespace } from '../namespaces/namespace-lookup.js';
import { createPointer } from '../pointers/pointer-protocol.js';
import { confinementOf } from '../locations/confinement.js';
import { readRegisteredFile } from '../locations/registered-file.js';
import { viewOwnLocations } from '../locations/object-locations.js';
import { formatViewIdentifier, type ViewIdentifier } from './view-lookup.js';

export interface RegisteredView {
  readonly metadataLocation: string;
  readonly metadata: ViewMetadata;
}

export type RegisterViewError = NoSuchNamespaceError | AlreadyExistsError | BadRequestError;

/**
 * Points a new view name at an existing view metadata file (the spec has no overwrite for views).
 * A missing file, or one that is not view metadata, is the client's mistake: 400, as registerTable
 * (one fixed answer: see locations/registered-file.ts).
 */
export async function registerView(ctx: CatalogContext, warehouse: string, id: ViewIdentifier, requestedLocation: string): Promise<RegisteredView> {
  const confinement = confinementOf(ctx.config);
  const metadataLocation = requestedLocation.replace(/\/+$/, '');
  await requireNamespace(ctx, warehouse, id.namespace);
  const metadata = await readRegisteredFile(`Cannot register ${formatViewIdentifier(id)}`, metadataLocation, {
    confine: (location) => confinement.requireInNamespace(warehouse, id.namespace, location),
    read: (location) => ctx.viewMetadataFiles.read(location),
    locationsOf: viewOwnLocations,
  });
  await createPointer(ctx, warehouse, id.namespace, id.name, { kind: 'view', uuid: metadata.viewUuid, metadataLocation });
  return { metadataLocation, metadata };
}
