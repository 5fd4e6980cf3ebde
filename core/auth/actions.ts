import type { ResourceType } from './resources.js';

/**
 * One Cedar action per operationId, each in exactly one action group. The groups nest, so a role
 * is everything in its group and in the groups below it:
 *
 *   Traverse ⊂ TableReader ⊂ TableWriter ⊂ NamespaceOwner ⊂ CatalogAdmin
 *
 * - Traverse: see a warehouse or namespace and list what is in it (lists are filtered to what the
 *   caller may see). Every role binding on a namespace also grants Traverse on its ancestors, so a
 *   reader of `sales.eu` can navigate to it from the top.
 * - TableReader: read namespaces, tables and views; plan scans; report metrics; have S3 reads of a
 *   table signed (writes are signed only for callers who may also commit to it).
 * - TableWriter: commit to existing tables (and transactions), replace views.
 * - NamespaceOwner: create, drop, rename and register namespaces, tables and views.
 * - CatalogAdmin: everything, including the management API (which acts on the Catalog resource
 *   only, so a CatalogAdmin bound on one warehouse administers that warehouse, not the catalog).
 *
 * No route may exist without an authorization decision: the authorize middleware refuses to build
 * a handler for a non-public route that has no action here (the function fails at cold start), and
 * a unit test checks the route table against this one. `getToken` is the one public route.
 */
export const ROLES = ['TableReader', 'TableWriter', 'NamespaceOwner', 'CatalogAdmin'] as const;
export type Role = (typeof ROLES)[number];
export type ActionGroup = 'Traverse' | Role;

/** Each group's parent group; CatalogAdmin is the top. */
export const GROUP_PARENT: Readonly<Record<ActionGroup, ActionGroup | undefined>> = {
  Traverse: 'TableReader',
  TableReader: 'TableWriter',
  TableWriter: 'NamespaceOwner',
  NamespaceOwner: 'CatalogAdmin',
  CatalogAdmin: undefined,
};

export interface ActionDefinition {
  readonly group: ActionGroup;
  /** The resource types the action applies to (the Cedar schema's `appliesTo`). */
  readonly resources: readonly ResourceType[];
  /** Changes catalog state: audited before it runs, and a failed audit write stops it. */
  readonly mutates: boolean;
}

const read = (group: ActionGroup, ...resources: ResourceType[]): ActionDefinition => ({ group, resources, mutates: false });
const write = (group: ActionGroup, ...resources: ResourceType[]): ActionDefinition => ({ group, resources, mutates: true });

export const ACTIONS = {
  getConfig: read('Traverse', 'Warehouse'),
  listNamespaces: read('Traverse', 'Warehouse', 'Namespace'),
  namespaceExists: read('Traverse', 'Namespace'),

  loadNamespaceMetadata: read('TableReader', 'Namespace'),
  listTables: read('TableReader', 'Namespace'),
  loadTable: read('TableReader', 'Table'),
  tableExists: read('TableReader', 'Table'),
  loadCredentials: read('TableReader', 'Table'),
  // Readers have reads signed (GET, HEAD, a list confined to the table); the operation itself signs
  // writes only for a caller who may also updateTable (core/http/operations/sign-request.ts). Not a
  // mutation: a signature changes no catalog state, so no audit record per signature (it is logged).
  signRequest: read('TableReader', 'Table'),
  reportMetrics: read('TableReader', 'Table'),
  planTableScan: read('TableReader', 'Table'),
  fetchPlanningResult: read('TableReader', 'Table'),
  cancelPlanning: read('TableReader', 'Table'),
  fetchScanTasks: read('TableReader', 'Table'),
  listViews: read('TableReader', 'Namespace'),
  loadView: read('TableReader', 'View'),
  viewExists: read('TableReader', 'View'),
  listFunctions: read('TableReader', 'Namespace'),
  loadFunction: read('TableReader', 'Namespace'),

  updateTable: write('TableWriter', 'Table'),
  commitTransaction: write('TableWriter', 'Table'),
  replaceView: write('TableWriter', 'View'),

  createNamespace: write('NamespaceOwner', 'Warehouse', 'Namespace'),
  dropNamespace: write('NamespaceOwner', 'Namespace'),
  updateProperties: write('NamespaceOwner', 'Namespace'),
  createTable: write('NamespaceOwner', 'Namespace'),
  registerTable: write('NamespaceOwner', 'Namespace'),
  dropTable: write('NamespaceOwner', 'Table'),
  unregisterTable: write('NamespaceOwner', 'Table'),
  renameTable: write('NamespaceOwner', 'Table'),
  createView: write('NamespaceOwner', 'Namespace'),
  registerView: write('NamespaceOwner', 'Namespace'),
  dropView: write('NamespaceOwner', 'View'),
  renameView: write('NamespaceOwner', 'View'),
  // Expires snapshots and deletes files (management API, on demand): as destructive as a purge of
  // part of the table, so an owner's right, not a writer's. A mutation: audited before it runs.
  maintainTable: write('NamespaceOwner', 'Table'),

  createApiKey: write('CatalogAdmin', 'Catalog'),
  listApiKeys: read('CatalogAdmin', 'Catalog'),
  revokeApiKey: write('CatalogAdmin', 'Catalog'),
  createOAuthClient: write('CatalogAdmin', 'Catalog'),
  listOAuthClients: read('CatalogAdmin', 'Catalog'),
  deleteOAuthClient: write('CatalogAdmin', 'Catalog'),
  createRoleBinding: write('CatalogAdmin', 'Catalog'),
  listRoleBindings: read('CatalogAdmin', 'Catalog'),
  deleteRoleBinding: write('CatalogAdmin', 'Catalog'),
  listPolicies: read('CatalogAdmin', 'Catalog'),
  putPolicy: write('CatalogAdmin', 'Catalog'),
  getPolicy: read('CatalogAdmin', 'Catalog'),
  deletePolicy: write('CatalogAdmin', 'Catalog'),
  simulateAuthorization: read('CatalogAdmin', 'Catalog'),
  getEffectivePermissions: read('CatalogAdmin', 'Catalog'),
} as const satisfies Record<string, ActionDefinition>;

export type ActionId = keyof typeof ACTIONS;

const ACTION_IDS = new Set<string>(Object.keys(ACTIONS));

export function isActionId(value: string): value is ActionId {
  return ACTION_IDS.has(value);
}

/** The actions that apply to a resource type, in table order (for effective permissions). */
export function actionsOn(type: ResourceType): ActionId[] {
  return (Object.keys(ACTIONS) as ActionId[]).filter((id) => (ACTIONS[id].resources as readonly ResourceType[]).includes(type));
}

/**
 * The action whose permission makes a resource visible. A caller who may not do it gets 404 for
 * anything it asks about the resource (as if it did not exist); one who may gets 403 for what else
 * it may not do. The catalog itself is always visible (its management API is no secret).
 */
export const VISIBILITY_ACTION: Readonly<Record<ResourceType, ActionId | undefined>> = {
  Catalog: undefined,
  Warehouse: 'getConfig',
  Namespace: 'namespaceExists',
  Table: 'tableExists',
  View: 'viewExists',
};
