import { validateName, validateNamespace, type Namespace } from '../catalog/namespace.js';
import { BadRequestError } from '../errors.js';
import { isJsonObject, type JsonValue } from '../json/lossless-json.js';
import type { ActionId } from './actions.js';
import type { AccessCheck } from './authorizer.js';
import { CATALOG, type ResourceRef } from './resources.js';

/**
 * What one request asks to do, as (action, resource) checks, from the identifiers the HTTP layer
 * parsed out of its path and query (core/http/request-target.ts) and from its body. Most operations
 * are one check on the resource in their path. The ones whose resources are in the body, or whose
 * body makes them more than their action says:
 *
 * - createNamespace: createNamespace on the parent (the warehouse for a top-level namespace).
 * - renameTable / renameView: rename on the source, and createTable / createView on the
 *   destination namespace.
 * - commitTransaction: commitTransaction on every table it changes.
 * - updateTable with an `assert-create` requirement: it creates the table when it is missing (a
 *   staged create's commit), so it also needs createTable on the namespace; updateTable alone is
 *   a TableWriter right, which must not create tables.
 * - registerTable with `overwrite`: it replaces an existing table's metadata (as an update would)
 *   and drops the table's current state, so it also needs updateTable and dropTable on that table;
 *   otherwise a per-table forbid of those could be bypassed.
 *
 * A malformed body identifier is the same 400 the operation would give, before any decision.
 */
export interface RequestTarget {
  /** `{prefix}`; for getConfig, the warehouse `?warehouse=` names (or the default one). */
  readonly warehouse: string;
  /** `{namespace}`, decoded. */
  readonly namespace?: Namespace;
  /** listNamespaces' `?parent=`, decoded. */
  readonly parent?: Namespace;
  /** `{table}`, decoded. */
  readonly table?: string;
  /** `{view}`, decoded. */
  readonly view?: string;
  readonly body: JsonValue | undefined;
}

type Kind = 'Table' | 'View';

function requiredNamespace(target: RequestTarget): Namespace {
  if (target.namespace === undefined) throw new Error('this route has no {namespace} parameter');
  return target.namespace;
}

function namespaceResource(warehouse: string, namespace: Namespace): ResourceRef {
  return { type: 'Namespace', warehouse, namespace };
}

function objectResource(target: RequestTarget, type: Kind): ResourceRef {
  const name = type === 'Table' ? target.table : target.view;
  if (name === undefined) throw new Error(`this route has no {${type.toLowerCase()}} parameter`);
  return { type, warehouse: target.warehouse, namespace: requiredNamespace(target), name };
}

function identifierFromBody(value: JsonValue | undefined, field: string): { namespace: Namespace; name: string } {
  if (!isJsonObject(value)) throw new BadRequestError(`Invalid ${field}: expected an object with namespace and name`);
  return { namespace: validateNamespace(value['namespace']), name: validateName(value['name'], `${field}.name`) };
}

function bodyObject(target: RequestTarget, what: string): Record<string, JsonValue> {
  if (!isJsonObject(target.body)) throw new BadRequestError(`Invalid ${what}: expected a JSON object`);
  return target.body;
}

function rename(target: RequestTarget, type: Kind, action: ActionId, createAction: ActionId, what: string): AccessCheck[] {
  const body = bodyObject(target, what);
  const source = identifierFromBody(body['source'], 'source');
  const destination = identifierFromBody(body['destination'], 'destination');
  const { warehouse } = target;
  return [
    { action, resource: { type, warehouse, ...source } },
    { action: createAction, resource: namespaceResource(warehouse, destination.namespace) },
  ];
}

function transaction(target: RequestTarget): AccessCheck[] {
  const changes = bodyObject(target, 'CommitTransactionRequest')['table-changes'];
  if (!Array.isArray(changes) || changes.length === 0) throw new BadRequestError('Invalid CommitTransactionRequest: table-changes must be a non-empty array');
  const { warehouse } = target;
  const seen = new Set<string>();
  const checks: AccessCheck[] = [];
  changes.forEach((change, i) => {
    const id = identifierFromBody(isJsonObject(change) ? change['identifier'] : undefined, `table-changes[${i}].identifier`);
    const key = JSON.stringify([id.namespace, id.name]);
    if (seen.has(key)) return;
    seen.add(key);
    checks.push({ action: 'commitTransaction', resource: { type: 'Table', warehouse, ...id } });
  });
  return checks;
}

/** Whether a table commit's requirements include `assert-create` (the commit then creates a missing table). */
function assertsCreate(body: JsonValue | undefined): boolean {
  if (!isJsonObject(body) || !Array.isArray(body['requirements'])) return false;
  return body['requirements'].some((r) => isJsonObject(r) && r['type'] === 'assert-create');
}

function updateTable(target: RequestTarget): AccessCheck[] {
  const table = objectResource(target, 'Table');
  const checks: AccessCheck[] = [{ action: 'updateTable', resource: table }];
  if (assertsCreate(target.body)) checks.push({ action: 'createTable', resource: namespaceResource(target.warehouse, requiredNamespace(target)) });
  return checks;
}

function registerTable(target: RequestTarget): AccessCheck[] {
  const namespace = requiredNamespace(target);
  const checks: AccessCheck[] = [{ action: 'registerTable', resource: namespaceResource(target.warehouse, namespace) }];
  const body = target.body;
  // Only `true` overwrites (the operation treats anything else as a plain register).
  if (isJsonObject(body) && body['overwrite'] === true) {
    const table: ResourceRef = { type: 'Table', warehouse: target.warehouse, namespace, name: validateName(body['name'], 'name') };
    checks.push({ action: 'updateTable', resource: table }, { action: 'dropTable', resource: table });
  }
  return checks;
}

export function requestChecks(operationId: ActionId, target: RequestTarget): AccessCheck[] {
  const one = (resource: ResourceRef): AccessCheck[] => [{ action: operationId, resource }];
  const { warehouse } = target;
  switch (operationId) {
    case 'getConfig':
      return one({ type: 'Warehouse', warehouse });
    case 'listNamespaces':
      return one(target.parent === undefined ? { type: 'Warehouse', warehouse } : namespaceResource(warehouse, target.parent));
    case 'createNamespace': {
      const body = bodyObject(target, 'CreateNamespaceRequest');
      if (body['namespace'] === undefined) throw new BadRequestError('Invalid CreateNamespaceRequest: missing required field namespace');
      const namespace = validateNamespace(body['namespace']);
      return one(namespace.length === 1 ? { type: 'Warehouse', warehouse } : namespaceResource(warehouse, namespace.slice(0, -1)));
    }
    case 'registerTable':
      return registerTable(target);
    case 'updateTable':
      return updateTable(target);
    case 'loadNamespaceMetadata':
    case 'namespaceExists':
    case 'dropNamespace':
    case 'updateProperties':
    case 'listTables':
    case 'createTable':
    case 'listViews':
    case 'createView':
    case 'registerView':
    case 'listFunctions':
    case 'loadFunction':
      return one(namespaceResource(warehouse, requiredNamespace(target)));
    case 'loadTable':
    case 'dropTable':
    case 'tableExists':
    case 'unregisterTable':
    case 'reportMetrics':
    case 'loadCredentials':
    case 'signRequest':
    case 'planTableScan':
    case 'fetchPlanningResult':
    case 'cancelPlanning':
    case 'fetchScanTasks':
    case 'maintainTable':
      return one(objectResource(target, 'Table'));
    case 'loadView':
    case 'replaceView':
    case 'dropView':
    case 'viewExists':
      return one(objectResource(target, 'View'));
    case 'renameTable':
      return rename(target, 'Table', 'renameTable', 'createTable', 'RenameTableRequest');
    case 'renameView':
      return rename(target, 'View', 'renameView', 'createView', 'RenameTableRequest');
    case 'commitTransaction':
      return transaction(target);
    case 'createApiKey':
    case 'listApiKeys':
    case 'revokeApiKey':
    case 'createOAuthClient':
    case 'listOAuthClients':
    case 'deleteOAuthClient':
    case 'createRoleBinding':
    case 'listRoleBindings':
    case 'deleteRoleBinding':
    case 'listPolicies':
    case 'putPolicy':
    case 'getPolicy':
    case 'deletePolicy':
    case 'simulateAuthorization':
    case 'getEffectivePermissions':
      return one(CATALOG);
    default: {
      const unhandled: never = operationId;
      throw new Error(`no authorization rule for ${String(unhandled)}`);
    }
  }
}
