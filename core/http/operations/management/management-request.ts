import { principalLabel } from '../../../auth/principal.js';
import { RECORD_ID } from '../../../auth/role-binding.js';
import type { ResourceRef } from '../../../auth/resources.js';
import { resolveWarehouse } from '../../../catalog/context.js';
import { validateName, validateNamespace } from '../../../catalog/namespace.js';
import type { CatalogConfig } from '../../../config.js';
import { BadRequestError } from '../../../errors.js';
import { isJsonObject, type JsonValue } from '../../../json/lossless-json.js';
import type { OperationRequest } from '../../operation.js';

/** Request parsing shared by the management operations. */
export function callerLabel(request: OperationRequest): string {
  return request.caller === undefined ? 'anonymous' : principalLabel(request.caller);
}

export function idParam(request: OperationRequest, name: string): string {
  const raw = request.pathParams[name] ?? '';
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    throw new BadRequestError(`Invalid ${name}: malformed percent-encoding`);
  }
  if (!RECORD_ID.test(id)) throw new BadRequestError(`Invalid ${name}: letters, digits, '_', '.' and '-' only, at most 128`);
  return id;
}

export function optionalString(value: JsonValue | undefined, field: string, max = 512): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '' || value.length > max || !value.isWellFormed()) throw new BadRequestError(`Invalid ${field}: expected a non-empty string of at most ${max} characters`);
  return value;
}

export function requiredString(value: JsonValue | undefined, field: string, max = 512): string {
  const found = optionalString(value, field, max);
  if (found === undefined) throw new BadRequestError(`Invalid request: missing required field ${field}`);
  return found;
}

export function stringList(value: JsonValue | undefined, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== '' && v.length <= 512 && v.isWellFormed())) throw new BadRequestError(`Invalid ${field}: expected an array of non-empty strings`);
  return value as string[];
}

/** `{"type": "Table", "warehouse": "default", "namespace": ["sales"], "name": "orders"}`; the warehouse must exist. */
export function parseResource(value: JsonValue | undefined, config: CatalogConfig, field = 'resource'): ResourceRef {
  if (!isJsonObject(value)) throw new BadRequestError(`Invalid ${field}: expected an object with type`);
  const type = value['type'];
  if (type === 'Catalog') return { type };
  const warehouse = resolveWarehouse(config, requiredString(value['warehouse'], `${field}.warehouse`)).name;
  if (type === 'Warehouse') return { type, warehouse };
  const namespace = validateNamespace(value['namespace']);
  if (type === 'Namespace') return { type, warehouse, namespace };
  if (type === 'Table' || type === 'View') return { type, warehouse, namespace, name: validateName(value['name'], `${field}.name`) };
  throw new BadRequestError(`Invalid ${field}: type must be Catalog, Warehouse, Namespace, Table or View`);
}
