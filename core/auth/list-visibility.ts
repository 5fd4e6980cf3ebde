import type { Namespace } from '../catalog/namespace.js';
import { openPageToken, sealPageToken } from '../catalog/page-token.js';
import type { ResourceRef } from './resources.js';

/**
 * List routes return only what the caller may see. The list operations stay unaware of
 * authorization: the route wrapper passes each answer through `visibleEntries` with the request's
 * `canSee` (a synchronous check against the policies already loaded for the request), and entries
 * the caller may not see are dropped from the page.
 *
 * Paging: the catalog's page token points after the last entry the store listed, which may be one
 * the caller may not see, so a page may come back shorter than `pageSize`, or empty with a
 * `next-page-token` (both allowed by the spec). Callers never see that token: the route wrapper
 * seals it (`sealNextPageToken`: AES-GCM under a catalog secret, bound to this listing and this
 * caller) and opens what comes back (`openedPageToken`), so no token reveals a hidden name, and a
 * forged, edited or foreign token is a 400.
 *
 * A list route names its kind in the route table (`list`); its answer must have the array it is
 * filtered on, or it fails closed (500) rather than answer unfiltered.
 */
export type CanSee = (resource: ResourceRef) => boolean;

export type ListKind = 'namespaces' | 'tables' | 'views';

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

const LISTS: Readonly<Record<ListKind, ListShape>> = {
  namespaces: {
    field: 'namespaces',
    resource: (warehouse, entry) => {
      const namespace = asNamespace(entry);
      return namespace === undefined ? undefined : { type: 'Namespace', warehouse, namespace };
    },
  },
  tables: { field: 'identifiers', resource: identifier('Table') },
  views: { field: 'identifiers', resource: identifier('View') },
};

/** A successful list answer's body with only the entries the caller may see. */
export function visibleEntries(kind: ListKind, warehouse: string, body: unknown, canSee: CanSee): Record<string, unknown> {
  const shape = LISTS[kind];
  const object = body as Record<string, unknown> | undefined;
  const entries = object?.[shape.field];
  if (!Array.isArray(entries)) throw new Error(`a ${kind} listing answered without a ${shape.field} array; refusing to answer unfiltered`);
  // A plain loop, not Array.prototype.filter: see the note on V8 in core/auth/resources.ts.
  const visible: unknown[] = [];
  for (let i = 0; i < entries.length; i++) {
    const resource = shape.resource(warehouse, entries[i]);
    if (resource !== undefined && canSee(resource)) visible.push(entries[i]);
  }
  return { ...object, [shape.field]: visible };
}

/**
 * What a page token is bound to: the kind of listing, the warehouse, the namespace listed (its
 * `{namespace}` path parameter or `?parent=`, as sent) and the caller (its principal label).
 */
export interface ListingBinding {
  readonly kind: ListKind;
  readonly warehouse: string;
  readonly namespace: string;
  readonly caller: string;
}

function bindingText(binding: ListingBinding): string {
  return JSON.stringify(['page-token', binding.kind, binding.warehouse, binding.namespace, binding.caller]);
}

/** The catalog's own token for a caller's `pageToken`; an empty one (the first page) stays empty. */
export function openedPageToken(key: Uint8Array, token: string, binding: ListingBinding): string {
  return token === '' ? '' : openPageToken(key, token, bindingText(binding));
}

/** The answer's `next-page-token`, sealed for the caller. */
export function sealNextPageToken(key: Uint8Array, body: Record<string, unknown>, binding: ListingBinding): Record<string, unknown> {
  const next = body['next-page-token'];
  return typeof next === 'string' ? { ...body, 'next-page-token': sealPageToken(key, next, bindingText(binding)) } : body;
}
