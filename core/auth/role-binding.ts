import { validateNamespace, type Namespace } from '../catalog/namespace.js';
import { BadRequestError } from '../errors.js';
import { isJsonObject, type JsonValue } from '../json/lossless-json.js';
import type { PrincipalRef, PrincipalRefType } from './auth-config.js';
import { ROLES, type Role } from './actions.js';
import { parentOf, type ResourceRef } from './resources.js';

/**
 * A role binding grants one built-in role to one principal (a user, an API key or a group) on one
 * scope: the whole catalog, a warehouse, or a namespace and everything below it. Bindings are
 * immutable records; changing one is deleting it and creating another.
 */
export type BindingScope =
  | { readonly type: 'Catalog' }
  | { readonly type: 'Warehouse'; readonly warehouse: string }
  | { readonly type: 'Namespace'; readonly warehouse: string; readonly namespace: Namespace };

export interface RoleBinding {
  readonly id: string;
  readonly role: Role;
  readonly principal: PrincipalRef;
  readonly scope: BindingScope;
  readonly createdAt: string;
  readonly createdBy: string;
}

const PRINCIPAL_TYPES: readonly PrincipalRefType[] = ['User', 'ApiKey', 'Group'];
/** Ids of bindings, policies, keys and clients: short, printable, safe in keys and policy ids. */
export const RECORD_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

function field(value: Record<string, JsonValue>, name: string, what: string): string {
  const v = value[name];
  if (typeof v !== 'string' || v === '') throw new BadRequestError(`Invalid ${what}: ${name} must be a non-empty string`);
  return v;
}

export function parsePrincipalRef(value: JsonValue | undefined, what = 'principal'): PrincipalRef {
  if (!isJsonObject(value)) throw new BadRequestError(`Invalid ${what}: expected an object with type and id`);
  const type = field(value, 'type', what);
  if (!(PRINCIPAL_TYPES as readonly string[]).includes(type)) throw new BadRequestError(`Invalid ${what}: type must be one of ${PRINCIPAL_TYPES.join(', ')}`);
  const id = field(value, 'id', what);
  if (id.length > 512 || /[\u0000-\u001f]/.test(id)) throw new BadRequestError(`Invalid ${what}: id must be printable and at most 512 characters`);
  return { type: type as PrincipalRefType, id };
}

export function parseScope(value: JsonValue | undefined, what = 'scope'): BindingScope {
  if (!isJsonObject(value)) throw new BadRequestError(`Invalid ${what}: expected an object with type`);
  const type = field(value, 'type', what);
  if (type === 'Catalog') return { type };
  const warehouse = field(value, 'warehouse', what);
  if (type === 'Warehouse') return { type, warehouse };
  if (type === 'Namespace') return { type, warehouse, namespace: validateNamespace(value['namespace']) };
  throw new BadRequestError(`Invalid ${what}: type must be Catalog, Warehouse or Namespace`);
}

export function parseRole(value: JsonValue | undefined): Role {
  if (typeof value !== 'string' || !(ROLES as readonly string[]).includes(value)) throw new BadRequestError(`Invalid role: must be one of ${ROLES.join(', ')}`);
  return value as Role;
}

export function readRoleBinding(value: JsonValue, key: string): RoleBinding {
  if (!isJsonObject(value)) throw new Error(`role binding ${key} is not an object`);
  const { id, createdAt, createdBy } = value;
  if (typeof id !== 'string' || typeof createdAt !== 'string' || typeof createdBy !== 'string') throw new Error(`role binding ${key} is malformed`);
  return { id, role: parseRole(value['role']), principal: parsePrincipalRef(value['principal']), scope: parseScope(value['scope']), createdAt, createdBy };
}

export function roleBindingJson(binding: RoleBinding): JsonValue {
  return {
    id: binding.id,
    role: binding.role,
    principal: { type: binding.principal.type, id: binding.principal.id },
    scope: scopeJson(binding.scope),
    createdAt: binding.createdAt,
    createdBy: binding.createdBy,
  };
}

export function scopeJson(scope: BindingScope): JsonValue {
  switch (scope.type) {
    case 'Catalog':
      return { type: scope.type };
    case 'Warehouse':
      return { type: scope.type, warehouse: scope.warehouse };
    case 'Namespace':
      return { type: scope.type, warehouse: scope.warehouse, namespace: [...scope.namespace] };
  }
}

/** The warehouse and parent namespaces above a scope: a binding grants Traverse on each. */
export function ancestorsOf(scope: BindingScope): ResourceRef[] {
  const out: ResourceRef[] = [];
  for (let r = scope.type === 'Namespace' ? parentOf(scope) : undefined; r !== undefined && r.type !== 'Catalog'; r = parentOf(r)) out.push(r);
  return out;
}
