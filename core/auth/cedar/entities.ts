import { formatNamespace } from '../../catalog/namespace.js';
import type { PrincipalRef } from '../auth-config.js';
import type { Principal } from '../principal.js';
import { parentOf, resourceEntityId, type ResourceRef } from '../resources.js';
import type { EntityJson, EntityUidJson } from './cedar-engine.js';

/**
 * Cedar entities for one request: the principal with its groups (and the user an API key acts
 * for), and the resource with its ancestors up to the warehouse. Everything is derived from ids,
 * so a decision depends on nothing but (policies, principal, action, resource) and can be cached.
 */
export function principalUid(principal: PrincipalRef | Principal): EntityUidJson {
  return { type: principal.type, id: principal.id };
}

export function resourceUid(resource: ResourceRef): EntityUidJson {
  return { type: resource.type, id: resourceEntityId(resource) };
}

export function principalEntity(principal: Principal): EntityJson {
  const parents: EntityUidJson[] = [];
  for (const id of principal.groups) parents.push({ type: 'Group', id });
  if (principal.type === 'ApiKey' && principal.user !== undefined) parents.push({ type: 'User', id: principal.user });
  return { uid: principalUid(principal), attrs: {}, parents };
}

function resourceEntity(resource: ResourceRef): EntityJson {
  const parent = parentOf(resource);
  const parents = parent === undefined ? [] : [resourceUid(parent)];
  switch (resource.type) {
    case 'Catalog':
      return { uid: resourceUid(resource), attrs: {}, parents };
    case 'Warehouse':
      return { uid: resourceUid(resource), attrs: { name: resource.warehouse }, parents };
    case 'Namespace':
      return {
        uid: resourceUid(resource),
        attrs: { warehouse: resource.warehouse, path: formatNamespace(resource.namespace), name: resource.namespace.at(-1) ?? '', depth: resource.namespace.length },
        parents,
      };
    case 'Table':
    case 'View':
      return { uid: resourceUid(resource), attrs: { warehouse: resource.warehouse, namespace: formatNamespace(resource.namespace), name: resource.name }, parents };
  }
}

/** The resource and each ancestor below the catalog (the catalog has no attributes to supply). */
export function resourceEntities(resource: ResourceRef): EntityJson[] {
  const out: EntityJson[] = [];
  for (let r: ResourceRef | undefined = resource; r !== undefined && r.type !== 'Catalog'; r = parentOf(r)) out.push(resourceEntity(r));
  if (resource.type === 'Catalog') out.push(resourceEntity(resource));
  return out;
}
