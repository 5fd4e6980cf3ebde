import { NoSuchNamespaceError } from '../../errors.js';
import type { VersionedRecord } from '../../store/record-store.js';
import type { CatalogContext } from '../context.js';
import { formatNamespace, type Namespace } from '../namespace.js';
import { readNamespaceRecord, type NamespaceRecord } from './namespace-record.js';

export async function findNamespace(
  ctx: CatalogContext,
  warehouse: string,
  namespace: Namespace,
): Promise<VersionedRecord<NamespaceRecord> | undefined> {
  return ctx.records.read(ctx.keys.namespaceRecord(warehouse, namespace), readNamespaceRecord);
}

export function noSuchNamespace(namespace: Namespace): NoSuchNamespaceError {
  return new NoSuchNamespaceError(`Namespace does not exist: ${formatNamespace(namespace)}`);
}

export async function requireNamespace(
  ctx: CatalogContext,
  warehouse: string,
  namespace: Namespace,
): Promise<VersionedRecord<NamespaceRecord>> {
  const found = await findNamespace(ctx, warehouse, namespace);
  if (found === undefined) throw noSuchNamespace(namespace);
  return found;
}
