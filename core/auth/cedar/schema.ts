import { ACTIONS, GROUP_PARENT, type ActionGroup, type ActionId } from '../actions.js';

/**
 * The Cedar schema, generated from the action table so the two cannot drift. Entity types:
 *
 *   principals  User in [Group], ApiKey in [Group, User]        (Group: from tokens and key records)
 *   resources   Catalog ← Warehouse ← Namespace ← Namespace … ← Table | View
 *
 * Entity ids: `Warehouse::"default"`, `Namespace::"default/sales/eu"`, `Table::"default/sales/eu/orders"`
 * (`%` and `/` inside a name are written `%25` and `%2F`). Attributes let policies match by name:
 *
 *   forbid(principal, action == Action::"dropTable", resource is Table) when { resource.name like "prod_*" };
 *
 * No Cedar namespace: policies say `User::"alice"`, not `Iceberg::User::"alice"`.
 */
const ENTITY_TYPES = `entity Group;
entity User in [Group];
entity ApiKey in [Group, User];
entity Catalog;
entity Warehouse in [Catalog] = { "name": String };
entity Namespace in [Warehouse, Namespace] = { "warehouse": String, "path": String, "name": String, "depth": Long };
entity Table in [Namespace] = { "warehouse": String, "namespace": String, "name": String };
entity View in [Namespace] = { "warehouse": String, "namespace": String, "name": String };`;

function groupDeclaration(group: ActionGroup): string {
  const parent = GROUP_PARENT[group];
  return parent === undefined ? `action "${group}";` : `action "${group}" in ["${parent}"];`;
}

function actionDeclaration(id: ActionId): string {
  const action = ACTIONS[id];
  return `action "${id}" in ["${action.group}"] appliesTo { principal: [User, ApiKey], resource: [${action.resources.join(', ')}], context: {} };`;
}

export function cedarSchemaText(): string {
  const groups = (Object.keys(GROUP_PARENT) as ActionGroup[]).map(groupDeclaration);
  const actions = (Object.keys(ACTIONS) as ActionId[]).map(actionDeclaration);
  return [ENTITY_TYPES, ...groups, ...actions].join('\n');
}
