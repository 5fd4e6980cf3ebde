import { formatNamespace, type Namespace } from '../catalog/namespace.js';

/**
 * The resources a decision is about, in the catalog's own terms. The Cedar hierarchy is
 * Catalog → Warehouse → Namespace (→ child Namespace …) → Table | View: a role granted on a
 * warehouse or namespace covers everything below it.
 */
export type ResourceRef =
  | { readonly type: 'Catalog' }
  | { readonly type: 'Warehouse'; readonly warehouse: string }
  | { readonly type: 'Namespace'; readonly warehouse: string; readonly namespace: Namespace }
  | { readonly type: 'Table' | 'View'; readonly warehouse: string; readonly namespace: Namespace; readonly name: string };

export type ResourceType = ResourceRef['type'];

export const CATALOG: ResourceRef = { type: 'Catalog' };
export const CATALOG_ENTITY_ID = 'catalog';

/** Only `%` and `/` are escaped in entity ids, so policies can name resources as people read them. */
function escapeSegment(segment: string): string {
  return segment.includes('%') || segment.includes('/') ? segment.replaceAll('%', '%25').replaceAll('/', '%2F') : segment;
}

/**
 * `<warehouse>/<level>/<level>[/<name>]`. A plain loop on purpose: this runs for every decision, and
 * Node 22's V8 can crash (a fatal "unreachable code" in the deoptimizer's builtin continuations) when
 * hot code like this, inlined with `Array.prototype.map` callbacks, is deoptimized.
 */
function joinPath(warehouse: string, namespace: readonly string[], name?: string): string {
  let id = warehouse;
  for (let i = 0; i < namespace.length; i++) id += `/${escapeSegment(namespace[i]!)}`;
  return name === undefined ? id : `${id}/${escapeSegment(name)}`;
}

/**
 * The Cedar entity id: `default` (warehouse), `default/sales/eu` (namespace sales.eu),
 * `default/sales/eu/orders` (table or view; the entity type tells them apart).
 */
export function resourceEntityId(resource: ResourceRef): string {
  switch (resource.type) {
    case 'Catalog':
      return CATALOG_ENTITY_ID;
    case 'Warehouse':
      return resource.warehouse;
    case 'Namespace':
      return joinPath(resource.warehouse, resource.namespace);
    case 'Table':
    case 'View':
      return joinPath(resource.warehouse, resource.namespace, resource.name);
  }
}

/** The resource's parent in the hierarchy (undefined for the catalog). */
export function parentOf(resource: ResourceRef): ResourceRef | undefined {
  switch (resource.type) {
    case 'Catalog':
      return undefined;
    case 'Warehouse':
      return CATALOG;
    case 'Namespace':
      return resource.namespace.length > 1
        ? { type: 'Namespace', warehouse: resource.warehouse, namespace: resource.namespace.slice(0, -1) }
        : { type: 'Warehouse', warehouse: resource.warehouse };
    case 'Table':
    case 'View':
      return { type: 'Namespace', warehouse: resource.warehouse, namespace: resource.namespace };
  }
}

/** As people read it in messages and audit records: `table sales.orders in warehouse default`. */
export function describeResource(resource: ResourceRef): string {
  switch (resource.type) {
    case 'Catalog':
      return 'the catalog';
    case 'Warehouse':
      return `warehouse ${resource.warehouse}`;
    case 'Namespace':
      return `namespace ${formatNamespace(resource.namespace)} in warehouse ${resource.warehouse}`;
    case 'Table':
    case 'View':
      return `${resource.type.toLowerCase()} ${formatNamespace(resource.namespace)}.${resource.name} in warehouse ${resource.warehouse}`;
  }
}
