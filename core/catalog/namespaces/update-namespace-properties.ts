import { ConcurrentModificationError, UnprocessableEntityError, type NoSuchNamespaceError } from '../../errors.js';
import type { CatalogContext } from '../context.js';
import { formatNamespace, type Namespace } from '../namespace.js';
import { MAX_CAS_ATTEMPTS, pause } from '../retry.js';
import { findNamespace, noSuchNamespace } from './namespace-lookup.js';
import { namespaceRecordToJson } from './namespace-record.js';
import { confinementOf } from '../locations/confinement.js';
import { checkNamespaceLocation } from '../locations/object-locations.js';

export interface PropertyChanges {
  readonly removals: readonly string[];
  readonly updates: Readonly<Record<string, string>>;
}

export interface PropertyChangeSummary {
  readonly updated: string[];
  readonly removed: string[];
  readonly missing: string[];
}

export type UpdatePropertiesError = NoSuchNamespaceError | UnprocessableEntityError | ConcurrentModificationError;

export async function updateNamespaceProperties(
  ctx: CatalogContext,
  warehouse: string,
  namespace: Namespace,
  changes: PropertyChanges,
): Promise<PropertyChangeSummary> {
  const both = changes.removals.filter((key) => Object.hasOwn(changes.updates, key));
  if (both.length > 0) {
    throw new UnprocessableEntityError(`Cannot remove and update the same properties: ${both.join(', ')}`);
  }
  checkNamespaceLocation(confinementOf(ctx.config), warehouse, namespace, changes.updates);
  const key = ctx.keys.namespaceRecord(warehouse, namespace);
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const current = await findNamespace(ctx, warehouse, namespace);
    if (current === undefined) throw noSuchNamespace(namespace);
    const properties: Record<string, string> = { ...current.value.properties };
    const removed: string[] = [];
    const missing: string[] = [];
    for (const removal of changes.removals) {
      if (Object.hasOwn(properties, removal)) {
        delete properties[removal];
        removed.push(removal);
      } else missing.push(removal);
    }
    Object.assign(properties, changes.updates);
    const summary = { updated: Object.keys(changes.updates), removed, missing };
    if (removed.length === 0 && Object.entries(changes.updates).every(([k, v]) => current.value.properties[k] === v)) {
      return summary;
    }
    const next = namespaceRecordToJson({ ...current.value, properties });
    if ((await ctx.records.replace(key, next, current.etag)).ok) return summary;
    await pause(ctx, attempt);
  }
  throw new ConcurrentModificationError(`Namespace ${formatNamespace(namespace)} changed concurrently; retry`);
}
