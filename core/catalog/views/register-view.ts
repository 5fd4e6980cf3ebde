import { BadRequestError, CatalogError, NotFoundError, type AlreadyExistsError, type NoSuchNamespaceError } from '../../errors.js';
import type { ViewMetadata } from '../../metadata/views/index.js';
import type { CatalogContext } from '../context.js';
import { requireNamespace } from '../namespaces/namespace-lookup.js';
import { createPointer } from '../pointers/pointer-protocol.js';
import { isRefusedByStorage } from '../../store/storage-refusal.js';
import { validateLocation } from '../tables/table-location.js';
import { formatViewIdentifier, type ViewIdentifier } from './view-lookup.js';

export interface RegisteredView {
  readonly metadataLocation: string;
  readonly metadata: ViewMetadata;
}

export type RegisterViewError = NoSuchNamespaceError | AlreadyExistsError | BadRequestError;

/**
 * Points a new view name at an existing view metadata file (the spec has no overwrite for views).
 * A missing file, or one that is not view metadata, is the client's mistake: 400, as registerTable.
 */
export async function registerView(ctx: CatalogContext, warehouse: string, id: ViewIdentifier, requestedLocation: string): Promise<RegisteredView> {
  const metadataLocation = validateLocation(requestedLocation);
  await requireNamespace(ctx, warehouse, id.namespace);
  let metadata: ViewMetadata;
  try {
    metadata = await ctx.viewMetadataFiles.read(metadataLocation);
  } catch (error) {
    if (error instanceof NotFoundError) throw new BadRequestError(`Cannot register ${formatViewIdentifier(id)}: metadata file does not exist: ${metadataLocation}`);
    if (isRefusedByStorage(error)) throw new BadRequestError(`Cannot register ${formatViewIdentifier(id)}: the catalog cannot read ${metadataLocation}`, { cause: error });
    if (error instanceof CatalogError || error instanceof SyntaxError) throw new BadRequestError(`Cannot register ${formatViewIdentifier(id)}: not a valid view metadata file: ${error.message}`, { cause: error });
    throw error;
  }
  await createPointer(ctx, warehouse, id.namespace, id.name, { kind: 'view', uuid: metadata.viewUuid, metadataLocation });
  return { metadataLocation, metadata };
}
