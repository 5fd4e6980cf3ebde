import { NoSuchViewError } from '../../errors.js';
import type { ViewMetadata } from '../../metadata/views/index.js';
import type { CatalogContext } from '../context.js';
import { formatNamespace } from '../namespace.js';
import { findActivePointer, findVisiblePointer, pointerKey, type PointerRecord } from '../pointers/pointer-protocol.js';
import type { ObjectIdentifier } from '../rename-object.js';

export type ViewIdentifier = ObjectIdentifier;

export interface LoadedView {
  readonly key: string;
  readonly pointer: PointerRecord;
  readonly metadata: ViewMetadata;
}

export function formatViewIdentifier(id: ViewIdentifier): string {
  return `${formatNamespace(id.namespace)}.${id.name}`;
}

/** Java clients pick the exception by type: a missing namespace still reads as a missing view. */
export function noSuchView(id: ViewIdentifier): NoSuchViewError {
  return new NoSuchViewError(`View does not exist: ${formatViewIdentifier(id)}`);
}

/**
 * `write`: settles any transaction the pointer takes part in, so the caller can swap it.
 * `read`: resolves it without writing, for loads and existence checks.
 */
export async function findViewPointer(
  ctx: CatalogContext,
  warehouse: string,
  id: ViewIdentifier,
  purpose: 'read' | 'write' = 'write',
): Promise<{ key: string; pointer: PointerRecord } | undefined> {
  const key = pointerKey(ctx, warehouse, id.namespace, 'view', id.name);
  const pointer = purpose === 'write' ? await findActivePointer(ctx, key) : await findVisiblePointer(ctx, key);
  return pointer === undefined ? undefined : { key, pointer };
}

export async function requireView(ctx: CatalogContext, warehouse: string, id: ViewIdentifier): Promise<LoadedView> {
  const found = await findViewPointer(ctx, warehouse, id, 'read');
  if (found === undefined) throw noSuchView(id);
  const metadata = await ctx.viewMetadataFiles.read(found.pointer.value.metadataLocation);
  return { key: found.key, pointer: found.pointer, metadata };
}
