import type { Namespace } from '../catalog/namespace.js';
import type { OperationResponse } from '../http/operation.js';
import type { OperationId } from '../http/routes.js';
import type { ResourceRef } from './resources.js';

/**
 * List routes return only what the caller may see. The list operations stay unaware of
 * authorization: the route wrapper passes each answer through `visibleOnly` with the request's
 * `canSee` (a synchronous check against the policies already loaded for the request), and entries
 * the caller may not see are dropped from the page.
 *
 * Paging is unchanged: the page token still points after the last entry the store listed, so a page
 * may come back shorter than `pageSize`, or empty with a `next-page-token` (both allowed by the
 * spec), and a hidden name never shows up in a later page either.
 *
 * A list route must be named here; its answer must have the array it is filtered on, or it fails
 * closed (500) rather than answer unfiltered.
 */
export type CanSee = (resource: ResourceRef) => boolean;

interface ListShape {
  readonly field: string;
  readonly resource: (warehouse: string, entry: unknown) => ResourceRef | undefined;
}

function asNamespace(value: unknown): Namespace | undefined {
  if (!Array.isArray(value)) return undefined;
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') return undefined;
  return value as string[];
}

function identifier(type: 'Table' | 'View') {
  return (warehouse: string, entry: unknown): ResourceRef | undefined => {
    const { namespace, name } = (entry ?? {}) as { namespace?: unknown; name?: unknown };
    const levels = asNamespace(namespace);
    return levels !== undefined && typeof name === 'string' ? { type, warehouse, namespace: levels, name } : undefined;
  };
}

const LISTS: Partial<Record<OperationId, ListShape>> = {
  listNamespaces: {
    field: 'namespaces',
    resource: (warehouse, entry) => {
      const namespace = asNamespace(entry);
      return namespace === undefined ? undefined : { type: 'Namespace', warehouse, namespace };
    },
  },
  listTables: { field: 'identifiers', resource: identifier('Table') },
  listViews: { field: 'identifiers', resource: identifier('View') },
};

export function isFilteredList(operationId: OperationId): boolean {
  return LISTS[operationId] !== undefined;
}

export function visibleOnly(operationId: OperationId, warehouse: string, response: OperationResponse, canSee: CanSee): OperationResponse {
  const shape = LISTS[operationId];
  if (shape === undefined || response.status < 200 || response.status >= 300) return response;
  const body = response.body as Record<string, unknown> | undefined;
  const entries = body?.[shape.field];
  if (!Array.isArray(entries)) throw new Error(`${operationId} answered without a ${shape.field} array; refusing to answer unfiltered`);
  // A plain loop, not Array.prototype.filter: see the note on V8 in core/auth/resources.ts.
  const visible: unknown[] = [];
  for (let i = 0; i < entries.length; i++) {
    const resource = shape.resource(warehouse, entries[i]);
    if (resource !== undefined && canSee(resource)) visible.push(entries[i]);
  }
  return { ...response, body: { ...body, [shape.field]: visible } };
}
