import {
  AlreadyExistsError,
  NoSuchTableError,
  NoSuchViewError,
  type ConcurrentModificationError,
  type NoSuchNamespaceError,
} from '../errors.js';
import type { CatalogContext } from './context.js';
import { formatNamespace, sameNamespace, type Namespace } from './namespace.js';
import { requireNamespace } from './namespaces/namespace-lookup.js';
import type { ObjectKind } from './pointers/object-pointer.js';
import { findActivePointer, pointerKey } from './pointers/pointer-protocol.js';
import { runTransaction } from './transactions/run-transaction.js';

export type RenameError = NoSuchTableError | NoSuchViewError | NoSuchNamespaceError | AlreadyExistsError | ConcurrentModificationError;

export interface ObjectIdentifier {
  readonly namespace: Namespace;
  readonly name: string;
}

/**
 * Moves a table or view to a new name (possibly in another namespace) as one transaction: the
 * source pointer is removed and the destination created with the same uuid and metadata file, so
 * readers see the object under exactly one of the two names, even across a crash.
 */
export async function renameObject(ctx: CatalogContext, warehouse: string, kind: ObjectKind, source: ObjectIdentifier, destination: ObjectIdentifier): Promise<void> {
  const from = `${formatNamespace(source.namespace)}.${source.name}`;
  const to = `${formatNamespace(destination.namespace)}.${destination.name}`;
  const sourceKey = pointerKey(ctx, warehouse, source.namespace, kind, source.name);
  const found = await findActivePointer(ctx, sourceKey);
  if (found === undefined) throw kind === 'table' ? new NoSuchTableError(`Table does not exist: ${from}`) : new NoSuchViewError(`View does not exist: ${from}`);
  await requireNamespace(ctx, warehouse, destination.namespace);
  if (sameNamespace(source.namespace, destination.namespace) && source.name === destination.name) return;
  const { pending: _pending, ...current } = found.value;
  try {
    await runTransaction(ctx, warehouse, [
      { key: sourceKey, expected: found, next: null },
      {
        key: pointerKey(ctx, warehouse, destination.namespace, kind, destination.name),
        next: { ...current, stateSinceMs: ctx.clock.now() },
        create: { warehouse, namespace: destination.namespace, name: destination.name, kind },
      },
    ]);
  } catch (error) {
    if (error instanceof AlreadyExistsError) {
      const taken = error.message.startsWith('View') ? 'View' : 'Table';
      throw new AlreadyExistsError(`Cannot rename ${from} to ${to}. ${taken} already exists`, { cause: error });
    }
    throw error;
  }
}
