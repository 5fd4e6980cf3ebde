import { validateName, validateNamespace, type Namespace } from '../catalog/namespace.js';
import type { CatalogConfig } from '../config.js';
import { BadRequestError } from '../errors.js';
import { nameFromPath, namespaceFromPath, namespaceFromQuery } from '../http/identifiers.js';
import { pathDecoding } from '../http/operations/namespace-params.js';
import { isJsonObject, type JsonValue } from '../json/lossless-json.js';
import type { ActionId } from './actions.js';
import type { AccessCheck } from './authorizer.js';
import { CATALOG, type ResourceRef } from './resources.js';

/**
 * What one request asks to do, as (action, resource) checks, from its path, query and body. Most
 * operations are one check on the resource in their path. The ones whose resources are in the body:
 *
 * - createNamespace: createNamespace on the parent (the warehouse for a top-level namespace).
 * - renameTable / renameView: rename on the source, and createTable / createView on the
 *   destination namespace.
 * - commitTransaction: commitTransaction on every table it changes.
 *
 * A malformed identifier is the same 400 the operation would give, before any decision.
 */
export interface RequestParts {
  readonly pathParams: Readonly<Record<string, string>>;
  readonly query: ReadonlyMap<string, string>;
  readonly body: JsonValue | undefined;
}

type Kind = 'Table' | 'View';

function warehouseParam(parts: RequestParts): string {
  return parts.pathParams['prefix'] ?? '';
}

function namespaceParam(parts: RequestParts, config: CatalogConfig): Namespace {
  return namespaceFromPath(parts.pathParams['namespace'] ?? '', pathDecoding(config));
}

function namespaceResource(warehouse: string, namespace: Namespace): ResourceRef {
  return { type: 'Namespace', warehouse, namespace };
}

function objectResource(parts: RequestParts, config: CatalogConfig, type: Kind, param: 'table' | 'view'): ResourceRef {
  const namespace = namespaceParam(parts, config);
  const name = validateName(nameFromPath(parts.pathParams[param] ?? '', pathDecoding(config), `${param} name`), `${param} name`);
  return { type, warehouse: warehouseParam(parts), namespace, name };
}

function identifierFromBody(value: JsonValue | undefined, field: string): { namespace: Namespace; name: string } {
  if (!isJsonObject(value)) throw new BadRequestError(`Invalid ${field}: expected an object with namespace and name`);
  return { namespace: validateNamespace(value['namespace']), name: validateName(value['name'], `${field}.name`) };
}

function bodyObject(parts: RequestParts, what: string): Record<string, JsonValue> {
  if (!isJsonObject(parts.body)) throw new BadRequestError(`Invalid ${what}: expected a JSON object`);
  return parts.body;
}

/** `GET /v1/config?warehouse=` names a warehouse by name or by location; absent: the default one. */
function configWarehouse(parts: RequestParts, config: CatalogConfig): string {
  const requested = parts.query.get('warehouse');
  if (requested === undefined || requested === '') return config.defaultWarehouse;
  const trimmed = requested.replace(/\/+$/, '');
  return config.warehouses.find((w) => w.name === requested || w.location === trimmed)?.name ?? requested;
}

function rename(parts: RequestParts, type: Kind, action: ActionId, createAction: ActionId, what: string): AccessCheck[] {
  const body = bodyObject(parts, what);
  const source = identifierFromBody(body['source'], 'source');
  const destination = identifierFromBody(body['destination'], 'destination');
  const warehouse = warehouseParam(parts);
  return [
    { action, resource: { type, warehouse, ...source } },
    { action: createAction, resource: namespaceResource(warehouse, destination.namespace) },
  ];
}

function transaction(parts: RequestParts): AccessCheck[] {
  const changes = bodyObject(parts, 'CommitTransactionRequest')['table-changes'];
  if (!Array.isArray(changes) || changes.length === 0) throw new BadRequestError('Invalid CommitTransactionRequest: table-changes must be a non-empty array');
  const warehouse = warehouseParam(parts);
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

export function requestChecks(operationId: ActionId, parts: RequestParts, config: CatalogConfig): AccessCheck[] {
  const one = (resource: ResourceRef): AccessCheck[] => [{ action: operationId, resource }];
  const warehouse = warehouseParam(parts);
  switch (operationId) {
    case 'getConfig':
      return one({ type: 'Warehouse', warehouse: configWarehouse(parts, config) });
    case 'listNamespaces': {
      const parent = namespaceFromQuery(parts.query.get('parent'), pathDecoding(config));
      return one(parent === undefined ? { type: 'Warehouse', warehouse } : namespaceResource(warehouse, parent));
    }
    case 'createNamespace': {
      const body = bodyObject(parts, 'CreateNamespaceRequest');
      if (body['namespace'] === undefined) throw new BadRequestError('Invalid CreateNamespaceRequest: missing required field namespace');
      const namespace = validateNamespace(body['namespace']);
      return one(namespace.length === 1 ? { type: 'Warehouse', warehouse } : namespaceResource(warehouse, namespace.slice(0, -1)));
    }
    case 'loadNamespaceMetadata':
    case 'namespaceExists':
    case 'dropNamespace':
    case 'updateProperties':
    case 'listTables':
    case 'createTable':
    case 'registerTable':
    case 'listViews':
    case 'createView':
    case 'registerView':
    case 'listFunctions':
    case 'loadFunction':
      return one(namespaceResource(warehouse, namespaceParam(parts, config)));
    case 'loadTable':
    case 'updateTable':
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
      return one(objectResource(parts, config, 'Table', 'table'));
    case 'loadView':
    case 'replaceView':
    case 'dropView':
    case 'viewExists':
      return one(objectResource(parts, config, 'View', 'view'));
    case 'renameTable':
      return rename(parts, 'Table', 'renameTable', 'createTable', 'RenameTableRequest');
    case 'renameView':
      return rename(parts, 'View', 'renameView', 'createView', 'RenameTableRequest');
    case 'commitTransaction':
      return transaction(parts);
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
